import { describe, expect, it } from 'vitest';
import { maxMoney, ratio, subtractMoney, sumMoney } from '../src/ui/decimal.ts';
import { formatAmount, formatMoney } from '../src/ui/format.ts';

describe('money on screen', () => {
  it('adds and subtracts exactly, where binary floats would not', () => {
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30');
    expect(sumMoney(['9999999999999.99', '0.01'])).toBe('10000000000000.00');
    expect(sumMoney([])).toBe('0.00');
    expect(subtractMoney('7328.00', '3288.10')).toBe('4039.90');
    expect(subtractMoney('1.00', '2.50')).toBe('-1.50');
    expect(maxMoney('100.5', '100.49')).toBe('100.5');
    expect(ratio('50.00', '200.00')).toBe(0.25);
    expect(ratio('1.00', '0.00')).toBe(0);
  });

  it('formats the decimal string digit for digit, with Indian grouping', () => {
    expect(formatAmount('2823531.76')).toBe('28,23,531.76');
    expect(formatAmount('-1234.5')).toBe('-1,234.5');
    expect(formatAmount('999.00')).toBe('999.00');
    expect(formatAmount('12345678901234.99', 'en-US')).toBe('12,345,678,901,234.99');
    expect(formatMoney('4130.00')).toBe('₹4,130.00');
    expect(formatMoney('-50.00', 'USD')).toBe('-$50.00');
    expect(formatMoney(null)).toBe('—');
  });
});
