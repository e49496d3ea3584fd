import { sql } from 'drizzle-orm';
import { customType, date, numeric, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

/** Application-generated UUIDv7: sortable by creation time, no database default needed. */
export const newId = (): string => uuidv7();

/** Money: numeric(15,2), always a decimal string in TypeScript. */
export const money = (name: string) => numeric(name, { precision: 15, scale: 2 });
/** Quantities: numeric(15,3). */
export const quantity = (name: string) => numeric(name, { precision: 15, scale: 3 });
/** Rates in percent: numeric(5,2). */
export const rate = (name: string) => numeric(name, { precision: 5, scale: 2 });
/** Business dates (invoice date, due date...) as 'YYYY-MM-DD' strings. */
export const businessDate = (name: string) => date(name, { mode: 'string' });
/** The SQL type of every instant column. */
export const INSTANT_SQL_TYPE = 'timestamp(6) with time zone';

// PostgreSQL's text form ('2026-11-25 15:00:00.5+00', DateStyle ISO) and its JSON form
// ('2026-11-25T15:00:00.5+00:00'): fraction trimmed of trailing zeros, offset of the session zone.
const PG_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)$/;

/**
 * An instant as the API and the backup archive write it: ISO-8601 in UTC with exactly 6 fractional
 * digits ('2026-11-25T15:00:00.500000Z'), so the microseconds PostgreSQL keeps are never cut.
 * Values with no such form (`infinity`, years before 1 or after 9999) are returned unchanged.
 */
export function isoInstant(text: string): string {
  const m = PG_INSTANT.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, fraction = '', zone, sign, oh = '0', om = '0', os = '0'] = m;
  const micros = fraction.padEnd(6, '0');
  const offsetSeconds = (Number(oh) * 60 + Number(om)) * 60 + Number(os);
  if (zone === 'Z' || offsetSeconds === 0) return `${y}-${mo}-${d}T${h}:${mi}:${s}.${micros}Z`;
  // Only when a session runs outside UTC. Offsets are whole seconds, so the fraction stays as it is.
  const utc = new Date(0);
  utc.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  utc.setUTCHours(Number(h), Number(mi), Number(s) - (sign === '-' ? -offsetSeconds : offsetSeconds), 0);
  return `${utc.toISOString().slice(0, 19)}.${micros}Z`;
}

/** An instant made in JavaScript (millisecond precision) in the same form as {@link isoInstant}. */
export function isoInstantOf(time: Date | number): string {
  return `${new Date(time).toISOString().slice(0, 23)}000Z`;
}

/**
 * Instants with microsecond precision, read as {@link isoInstant} strings. A custom type rather than
 * `timestamp(…, { mode: 'string' })`: both Drizzle drivers hand timestamptz over as PostgreSQL's
 * text (they replace the drivers' own parsers on every query), and only a column's decoder sees it.
 */
export const instant = customType<{ data: string; driverData: string }>({
  dataType: () => INSTANT_SQL_TYPE,
  fromDriver: isoInstant,
});

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

export const idColumn = () => uuid('id').notNull().$defaultFn(newId);
export const createdAt = () => instant('created_at').notNull().default(sql`now()`);
export const updatedAt = () => instant('updated_at').notNull().default(sql`now()`);
