import { type DecimalInput, dec, roundPaisa, toMoney } from './money.ts';

export interface LineInput {
  quantity: DecimalInput;
  unitPrice: DecimalInput;
  discountPercent?: DecimalInput;
  taxRate?: DecimalInput;
  /** The unit price already includes tax (MRP-style): tax is carved out of it, not added. */
  taxInclusive?: boolean;
}

export interface LineTotals {
  taxableAmount: string;
  taxAmount: string;
  total: string;
}

/**
 * One line: qty × price − discount%, then tax% added (or carved out of a tax-inclusive price).
 * Each line is rounded to the paisa, so printed lines always add up to the printed totals.
 */
export function computeLine(line: LineInput): LineTotals {
  const gross = dec(line.quantity).times(line.unitPrice);
  const discount = gross.times(line.discountPercent ?? 0).dividedBy(100);
  const net = gross.minus(discount);
  const rate = dec(line.taxRate ?? 0);
  if (line.taxInclusive) {
    const total = roundPaisa(net);
    const taxable = roundPaisa(total.times(100).dividedBy(rate.plus(100)));
    return {
      taxableAmount: toMoney(taxable),
      taxAmount: toMoney(total.minus(taxable)),
      total: toMoney(total),
    };
  }
  const taxable = roundPaisa(net);
  const tax = roundPaisa(taxable.times(rate).dividedBy(100));
  return { taxableAmount: toMoney(taxable), taxAmount: toMoney(tax), total: toMoney(taxable.plus(tax)) };
}

export type InvoiceDiscount =
  | { type: 'amount'; value: DecimalInput }
  | { type: 'percent'; value: DecimalInput };

export interface InvoiceTotalsInput {
  lines: readonly LineTotals[];
  /** Applied to the taxed total (subtotal + tax), as the printed bill shows it. */
  discount?: InvoiceDiscount;
  /** Round the grand total to the nearest rupee and record the difference as round-off. */
  roundToRupee?: boolean;
}

export interface InvoiceTotals {
  subtotal: string;
  taxAmount: string;
  discountAmount: string;
  roundOff: string;
  total: string;
}

export function computeInvoiceTotals(input: InvoiceTotalsInput): InvoiceTotals {
  let subtotal = dec(0);
  let tax = dec(0);
  for (const line of input.lines) {
    subtotal = subtotal.plus(line.taxableAmount);
    tax = tax.plus(line.taxAmount);
  }
  const gross = subtotal.plus(tax);
  let discount = dec(0);
  if (input.discount) {
    discount =
      input.discount.type === 'amount'
        ? dec(input.discount.value)
        : roundPaisa(gross.times(input.discount.value).dividedBy(100));
  }
  if (discount.isNegative()) throw new RangeError('discount cannot be negative');
  if (discount.greaterThan(gross)) {
    throw new RangeError(`discount ${toMoney(discount)} exceeds the invoice amount ${toMoney(gross)}`);
  }
  const beforeRounding = gross.minus(discount);
  const total = input.roundToRupee ? beforeRounding.toDecimalPlaces(0) : beforeRounding;
  return {
    subtotal: toMoney(subtotal),
    taxAmount: toMoney(tax),
    discountAmount: toMoney(discount),
    roundOff: toMoney(total.minus(beforeRounding)),
    total: toMoney(total),
  };
}
