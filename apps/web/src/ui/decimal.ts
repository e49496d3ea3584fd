// Exact arithmetic on money strings ("1234.50") where the app needs any: amounts become integer paise
// (BigInt), never binary floats.

function toPaise(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace(/^[-+]/, '').split('.');
  const paise = BigInt(whole || '0') * 100n + BigInt(`${fraction}00`.slice(0, 2));
  return negative ? -paise : paise;
}

function fromPaise(paise: bigint): string {
  const negative = paise < 0n;
  const abs = negative ? -paise : paise;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function subtractMoney(a: string, b: string): string {
  return fromPaise(toPaise(a) - toPaise(b));
}

/** The larger of two amounts. */
export function maxMoney(a: string, b: string): string {
  return toPaise(a) >= toPaise(b) ? a : b;
}

export function sumMoney(values: readonly string[]): string {
  return fromPaise(values.reduce((sum, value) => sum + toPaise(value), 0n));
}

/** value / max as a fraction in [0, 1], for a bar's height only. */
export function ratio(value: string, max: string): number {
  const m = toPaise(max);
  if (m <= 0n) return 0;
  return Number((toPaise(value) * 1000n) / m) / 1000;
}
