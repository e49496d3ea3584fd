import type { Db } from '@hisaabo/db';

/** A Drizzle transaction on the application database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that runs queries: the database handle or a transaction already open on it. */
export type Executor = Db | Tx;

/** Who acts, in which organization. Every query of the domain is filtered by `tenantId`. */
export interface ActorContext {
  tenantId: string;
  /** The acting user, recorded in the audit log; null for the scheduler and the demo seeder. */
  userId?: string | null;
}

/** An actor working inside one business of the organization. */
export interface BusinessContext extends ActorContext {
  businessId: string;
}

/** Runs `work` in a transaction (a savepoint when `executor` is already a transaction). */
export function inTransaction<T>(executor: Executor, work: (tx: Tx) => Promise<T>): Promise<T> {
  return executor.transaction(work);
}

/** Today's date in UTC as YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
