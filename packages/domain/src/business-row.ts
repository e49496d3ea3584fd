import { and, eq, type InferSelectModel } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { BusinessContext, Executor, Tx } from './context.ts';
import { notFound } from './errors.ts';

/** A table whose rows belong to one business of one organization. */
export type BusinessTable = PgTable & { tenantId: AnyPgColumn; businessId: AnyPgColumn; id: AnyPgColumn };

const ofBusiness = (table: BusinessTable, ctx: BusinessContext, id: string) =>
  and(eq(table.tenantId, ctx.tenantId), eq(table.businessId, ctx.businessId), eq(table.id, id));

/** Reads a row of this business; an id of another tenant or business reads as not found. */
export async function findBusinessRow<T extends BusinessTable>(
  executor: Executor,
  table: T,
  ctx: BusinessContext,
  id: string,
  label: string,
): Promise<InferSelectModel<T>> {
  const [row] = await executor
    .select()
    .from(table as PgTable)
    .where(ofBusiness(table, ctx, id));
  if (!row) throw notFound(label, id);
  return row as InferSelectModel<T>;
}

/**
 * Selects a row of this business FOR UPDATE, so that a change read from it cannot race another
 * change of the same row; an id of another tenant or business reads as not found.
 */
export async function lockBusinessRow<T extends BusinessTable>(
  tx: Tx,
  table: T,
  ctx: BusinessContext,
  id: string,
  label: string,
): Promise<InferSelectModel<T>> {
  const [row] = await tx
    .select()
    .from(table as PgTable)
    .where(ofBusiness(table, ctx, id))
    .for('update');
  if (!row) throw notFound(label, id);
  return row as InferSelectModel<T>;
}
