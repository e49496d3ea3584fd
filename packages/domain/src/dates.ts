/** Calendar arithmetic on 'YYYY-MM-DD' business dates, in UTC so no time zone shifts a day. */

const parse = (date: string): Date => new Date(`${date}T00:00:00Z`);
const format = (d: Date): string => d.toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  const d = parse(date);
  d.setUTCDate(d.getUTCDate() + days);
  return format(d);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / 86_400_000);
}

/** Adds months keeping the anchor day where the month has it (31 Jan + 1 month = 28/29 Feb, then 31 Mar). */
export function addMonths(
  date: string,
  months: number,
  anchorDay: number = parse(date).getUTCDate(),
): string {
  const d = parse(date);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(anchorDay, lastDay));
  return format(target);
}

export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

/** The run after `date` for a schedule that started on `startDate`. */
export function nextOccurrence(
  date: string,
  frequency: Frequency,
  interval: number,
  startDate: string,
): string {
  const anchorDay = parse(startDate).getUTCDate();
  switch (frequency) {
    case 'daily':
      return addDays(date, interval);
    case 'weekly':
      return addDays(date, 7 * interval);
    case 'monthly':
      return addMonths(date, interval, anchorDay);
    case 'quarterly':
      return addMonths(date, 3 * interval, anchorDay);
    case 'yearly':
      return addMonths(date, 12 * interval, anchorDay);
  }
}
