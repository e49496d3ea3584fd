import { queryRows, tenantLock } from '@hisaabo/db';
import { sql } from 'drizzle-orm';
import type { Executor } from './context.ts';
import { notFound } from './errors.ts';

/**
 * Locks the organization until the transaction ends (tenantLock in @hisaabo/db). Business creation and backup
 * restore both take this lock first, so a restore's "organization is empty" check can never
 * interleave with a business being created.
 */
export async function lockTenant(tx: Executor, tenantId: string): Promise<{ id: string; status: string }> {
  await tx.execute(tenantLock(tenantId));
  const rows = await queryRows<{ id: string; status: string }>(
    tx,
    sql`SELECT id, status FROM tenants WHERE id = ${tenantId}`,
  );
  const row = rows[0];
  if (!row) throw notFound('organization', tenantId);
  return row;
}
