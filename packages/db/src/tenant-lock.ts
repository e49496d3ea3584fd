import { type SQL, sql } from 'drizzle-orm';

// The lock that makes a restore's "organization is empty" check and a business being created never
// interleave: a transaction-scoped advisory lock keyed by the organization, taken first by both.
// Not a row lock on `tenants`: on Citus, where tenants is a reference table, any row lock on it locks
// the whole table on every node, which would serialize every organization's restores and business
// creations behind one another. An advisory lock is per organization on PGlite, PostgreSQL and Citus
// (taken on the coordinator, through which every transaction goes).

/** The lock's key for an organization id. */
export const tenantLockKey = (tenantId: string): string => `hisaabo:tenant:${tenantId.toLowerCase()}`;

/** Takes the organization's lock until the transaction ends; `$1` is {@link tenantLockKey}. */
export const TENANT_LOCK_SQL = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

/** The same, as a Drizzle query. */
export const tenantLock = (tenantId: string): SQL =>
  sql`SELECT pg_advisory_xact_lock(hashtextextended(${tenantLockKey(tenantId)}, 0))`;
