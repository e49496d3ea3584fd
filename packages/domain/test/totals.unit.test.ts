import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeInvoiceTotals, computeLine, dec } from '../src/index.ts';

describe('line totals', () => {
  it('adds tax to a tax-exclusive price, rounding half up to the paisa', () => {
    // 3 × 99.99 = 299.97; 18% = 53.9946 → 53.99
    expect(computeLine({ quantity: '3', unitPrice: '99.99', taxRate: '18' })).toEqual({
      taxableAmount: '299.97',
      taxAmount: '53.99',
      total: '353.96',
    });
    // 0.125 → 0.13 (half up, not banker's rounding)
    expect(computeLine({ quantity: '1', unitPrice: '0.25', taxRate: '50' }).taxAmount).toBe('0.13');
  });

  it('carves tax out of a tax-inclusive price', () => {
    expect(computeLine({ quantity: '1', unitPrice: '118.00', taxRate: '18', taxInclusive: true })).toEqual({
      taxableAmount: '100.00',
      taxAmount: '18.00',
      total: '118.00',
    });
    // 100 incl. 12%: 89.2857… → 89.29 taxable, tax is the rest so the printed total stays 100.00
    expect(computeLine({ quantity: '1', unitPrice: '100', taxRate: '12', taxInclusive: true })).toEqual({
      taxableAmount: '89.29',
      taxAmount: '10.71',
      total: '100.00',
    });
  });

  it('applies the line discount before tax, inclusive or not', () => {
    // 2 × 399 = 798, −10% = 718.20 incl. 5%: taxable 684.00, tax 34.20
    expect(
      computeLine({
        quantity: '2',
        unitPrice: '399',
        discountPercent: '10',
        taxRate: '5',
        taxInclusive: true,
      }),
    ).toEqual({ taxableAmount: '684.00', taxAmount: '34.20', total: '718.20' });
    // 1.5 kg × 142.50 = 213.75, −2.5% = 208.40625 → 208.41, 0% tax
    expect(computeLine({ quantity: '1.5', unitPrice: '142.50', discountPercent: '2.5' })).toEqual({
      taxableAmount: '208.41',
      taxAmount: '0.00',
      total: '208.41',
    });
  });
});

describe('invoice totals', () => {
  const lines = [
    computeLine({ quantity: '3', unitPrice: '99.99', taxRate: '18' }),
    computeLine({ quantity: '1', unitPrice: '100', taxRate: '12', taxInclusive: true }),
  ];

  it('sums the lines', () => {
    expect(computeInvoiceTotals({ lines })).toEqual({
      subtotal: '389.26',
      taxAmount: '64.70',
      discountAmount: '0.00',
      roundOff: '0.00',
      total: '453.96',
    });
  });

  it('takes an invoice-level discount (amount or percent of the taxed total) and rounds to the rupee', () => {
    expect(
      computeInvoiceTotals({ lines, discount: { type: 'amount', value: '3.50' }, roundToRupee: true }),
    ).toEqual({
      subtotal: '389.26',
      taxAmount: '64.70',
      discountAmount: '3.50',
      roundOff: '-0.46',
      total: '450.00',
    });
    // 2% of 453.96 = 9.0792 → 9.08; 444.88 → 445 (+0.12)
    expect(
      computeInvoiceTotals({ lines, discount: { type: 'percent', value: '2' }, roundToRupee: true }),
    ).toEqual({
      subtotal: '389.26',
      taxAmount: '64.70',
      discountAmount: '9.08',
      roundOff: '0.12',
      total: '445.00',
    });
  });

  it('refuses a discount larger than the invoice', () => {
    expect(() => computeInvoiceTotals({ lines, discount: { type: 'amount', value: '500' } })).toThrow(
      /exceeds/,
    );
  });

  it('always adds up: line = taxable + tax, total = subtotal + tax − discount + round-off, |round-off| ≤ 0.50', () => {
    const money = fc.integer({ min: 0, max: 10_000_000 }).map((p) => (p / 100).toFixed(2));
    const qty = fc.integer({ min: 1, max: 100_000 }).map((q) => (q / 1000).toFixed(3));
    const pct = fc.integer({ min: 0, max: 10_000 }).map((r) => (r / 100).toFixed(2));
    const line = fc.record({
      quantity: qty,
      unitPrice: money,
      discountPercent: pct,
      taxRate: fc.constantFrom('0', '5', '12', '18', '28'),
      taxInclusive: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), fc.boolean(), (raw, round) => {
        const priced = raw.map((l) => computeLine(l));
        for (const p of priced) expect(dec(p.taxableAmount).plus(p.taxAmount).toFixed(2)).toBe(p.total);
        const t = computeInvoiceTotals({ lines: priced, roundToRupee: round });
        expect(dec(t.subtotal).plus(t.taxAmount).minus(t.discountAmount).plus(t.roundOff).toFixed(2)).toBe(
          t.total,
        );
        expect(dec(t.roundOff).abs().lessThanOrEqualTo('0.50')).toBe(true);
        if (round) expect(dec(t.total).isInteger()).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
