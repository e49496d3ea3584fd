import { customType, date, numeric, timestamp, uuid } from 'drizzle-orm/pg-core';
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
/** Instants with microsecond precision, kept as the database's string so nothing is truncated. */
export const instant = (name: string) =>
  timestamp(name, { withTimezone: true, precision: 6, mode: 'string' });

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

export const idColumn = () => uuid('id').notNull().$defaultFn(newId);
export const createdAt = () => instant('created_at').notNull().defaultNow();
export const updatedAt = () => instant('updated_at').notNull().defaultNow();
