import type { SQL } from 'drizzle-orm';
import type { Db } from './connect.ts';
import { isoInstant } from './schema/columns.ts';

/** PostgreSQL's type OID of `timestamp with time zone`. */
const TIMESTAMPTZ_OID = 1184;

interface RawResult<T> {
  rows: T[];
  fields?: readonly { name: string; dataTypeID: number }[];
}

/**
 * Runs raw SQL and returns its rows; both drivers answer with `{ rows, fields }`. Raw SQL has no
 * column decoders, so timestamptz values are turned into {@link isoInstant} strings here, as typed
 * queries do through the `instant` column.
 */
export async function queryRows<T>(db: Pick<Db, 'execute'>, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as RawResult<T>;
  const instants = (result.fields ?? []).filter((f) => f.dataTypeID === TIMESTAMPTZ_OID).map((f) => f.name);
  if (instants.length > 0) {
    for (const row of result.rows as Record<string, unknown>[]) {
      for (const name of instants) {
        const value = row[name];
        if (typeof value === 'string') row[name] = isoInstant(value);
      }
    }
  }
  return result.rows;
}
