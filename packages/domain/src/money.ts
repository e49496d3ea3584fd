import DecimalJs from 'decimal.js';

/**
 * Exact decimal arithmetic for money and quantities. Amounts travel as decimal strings ("118.00")
 * and are computed with decimal.js, never with JavaScript floats. Half-up rounding to the paisa is
 * what Indian invoices print.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;
export type DecimalInput = string | number | Decimal;

export const dec = (value: DecimalInput): Decimal => new Decimal(value);

/** Money as stored: exactly two decimals. */
export const toMoney = (value: DecimalInput): string => dec(value).toFixed(2);
/** Quantities as stored: exactly three decimals. */
export const toQuantity = (value: DecimalInput): string => dec(value).toFixed(3);

export const sumMoney = (values: readonly DecimalInput[]): Decimal =>
  values.reduce<Decimal>((acc, v) => acc.plus(v), dec(0));

/** Rounds to the paisa (two decimals), half up. */
export const roundPaisa = (value: Decimal): Decimal => value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
