import { bankAccounts, businesses, documentSequences, SEQUENCE_KINDS } from '@hisaabo/db';
import { and, asc, eq, sql } from 'drizzle-orm';
import { writeAudit } from './audit.ts';
import { type ActorContext, type BusinessContext, type Executor, inTransaction } from './context.ts';
import { notFound } from './errors.ts';
import { DEFAULT_PREFIXES, type SequenceKind, updateSequence } from './numbering.ts';
import type { BusinessInput } from './schemas.ts';
import { lockTenant } from './tenant.ts';

export type Business = typeof businesses.$inferSelect;

/** The columns a caller may read: everything but the stored e-invoice credential. */
function publicBusiness(row: Business): Omit<Business, 'einvoicePassword'> {
  const { einvoicePassword: _secret, ...rest } = row;
  return rest;
}

/**
 * Creates a business with one document sequence per kind and a default Cash account. The
 * organization row is locked first: restore checks emptiness under the same lock.
 */
export async function createBusiness(executor: Executor, ctx: ActorContext, input: BusinessInput) {
  return inTransaction(executor, async (tx) => {
    await lockTenant(tx, ctx.tenantId);
    const [business] = await tx
      .insert(businesses)
      .values({ ...input, tenantId: ctx.tenantId })
      .returning();
    const businessId = business!.id;
    await tx.insert(documentSequences).values(
      SEQUENCE_KINDS.map((kind) => ({
        tenantId: ctx.tenantId,
        businessId,
        kind,
        prefix: DEFAULT_PREFIXES[kind],
      })),
    );
    await tx.insert(bankAccounts).values({
      tenantId: ctx.tenantId,
      businessId,
      type: 'cash',
      name: 'Cash',
      isDefault: true,
    });
    await writeAudit(tx, ctx, {
      businessId,
      action: 'create',
      entityType: 'business',
      entityId: businessId,
      details: { name: business!.name },
    });
    return publicBusiness(business!);
  });
}

export async function listBusinesses(executor: Executor, ctx: ActorContext) {
  const rows = await executor
    .select()
    .from(businesses)
    .where(eq(businesses.tenantId, ctx.tenantId))
    .orderBy(asc(businesses.createdAt), asc(businesses.id));
  return rows.map(publicBusiness);
}

export async function getBusiness(executor: Executor, ctx: BusinessContext) {
  const [row] = await executor
    .select()
    .from(businesses)
    .where(and(eq(businesses.tenantId, ctx.tenantId), eq(businesses.id, ctx.businessId)));
  if (!row) throw notFound('business', ctx.businessId);
  return publicBusiness(row);
}

export async function updateBusiness(
  executor: Executor,
  ctx: BusinessContext,
  input: Partial<BusinessInput>,
) {
  return inTransaction(executor, async (tx) => {
    const [row] = await tx
      .update(businesses)
      .set({ ...input, updatedAt: sql`now()` })
      .where(and(eq(businesses.tenantId, ctx.tenantId), eq(businesses.id, ctx.businessId)))
      .returning();
    if (!row) throw notFound('business', ctx.businessId);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update',
      entityType: 'business',
      entityId: ctx.businessId,
      details: { fields: Object.keys(input) },
    });
    return publicBusiness(row);
  });
}

export async function updateBusinessSequence(
  executor: Executor,
  ctx: BusinessContext,
  input: { kind: SequenceKind; nextNumber?: number; prefix?: string },
) {
  return inTransaction(executor, async (tx) => {
    const row = await updateSequence(tx, ctx, input);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update_sequence',
      entityType: 'document_sequence',
      entityId: row.id,
      details: { kind: input.kind, nextNumber: row.nextNumber, prefix: row.prefix },
    });
    return row;
  });
}
