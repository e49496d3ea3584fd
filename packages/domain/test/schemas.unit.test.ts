import { describe, expect, it } from 'vitest';
import { invoiceInput, paymentInput } from '../src/index.ts';

const messages = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));

describe('input schemas', () => {
  it('reports every malformed amount, quantity, rate and date as an issue (never a crash)', () => {
    const result = invoiceInput.safeParse({
      docType: 'invoice',
      direction: 'sale',
      invoiceDate: '2026-02-30',
      lines: [{ description: 'x', quantity: 'abc', unitPrice: '1e3', taxRate: 'x', discountPercent: '101' }],
    });
    expect(messages(result)).toEqual({
      invoiceDate: 'not a calendar date',
      'lines.0.quantity': 'quantity must be a decimal number with at most 3 decimals, like "118.00"',
      'lines.0.unitPrice': 'amount must be a decimal number with at most 2 decimals, like "118.00"',
      'lines.0.taxRate': 'rate must be a decimal number with at most 2 decimals, like "118.00"',
      'lines.0.discountPercent': 'rate must be between 0 and 100',
    });
    expect(
      messages(
        paymentInput.safeParse({ direction: 'in', mode: 'cash', amount: 'abc', paymentDate: '2026-01-01' }),
      ),
    ).toEqual({
      amount: 'amount must be a decimal number with at most 2 decimals, like "118.00"',
    });
    expect(
      messages(
        paymentInput.safeParse({ direction: 'in', mode: 'cash', amount: '0.00', paymentDate: '2026-01-01' }),
      ),
    ).toEqual({
      amount: 'amount must be greater than zero',
    });
  });

  it('reads JSON numbers as their exact decimal text', () => {
    const parsed = paymentInput.parse({
      direction: 'in',
      mode: 'cash',
      amount: 118.1,
      paymentDate: '2026-01-01',
    });
    expect(parsed.amount).toBe('118.1');
  });
});
