import { expenses, invoices, parties, payments, queryRows, recurringInvoiceTemplates } from '@hisaabo/db';
import { and, asc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import { writeAudit } from './audit.ts';
import { type BusinessContext, type Executor, inTransaction } from './context.ts';
import { DomainError, notFound } from './errors.ts';
import { balanceSignSql, effectiveInvoiceSql } from './ledger.ts';
import { toMoney } from './money.ts';
import type { PartyInput } from './schemas.ts';

const scope = (ctx: BusinessContext) =>
  and(eq(parties.tenantId, ctx.tenantId), eq(parties.businessId, ctx.businessId));

export async function createParty(executor: Executor, ctx: BusinessContext, input: PartyInput) {
  return inTransaction(executor, async (tx) => {
    const [row] = await tx
      .insert(parties)
      .values({ ...input, tenantId: ctx.tenantId, businessId: ctx.businessId })
      .returning();
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'create',
      entityType: 'party',
      entityId: row!.id,
      details: { name: row!.name },
    });
    return row!;
  });
}

export async function listParties(
  executor: Executor,
  ctx: BusinessContext,
  input: { search?: string; type?: 'customer' | 'supplier' | 'both'; limit: number; offset: number },
) {
  const conditions = [scope(ctx)];
  if (input.type) conditions.push(or(eq(parties.type, input.type), eq(parties.type, 'both')));
  if (input.search) {
    const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(ilike(parties.name, pattern), ilike(parties.phone, pattern), ilike(parties.gstin, pattern)),
    );
  }
  const where = and(...conditions);
  const [rows, [count]] = await Promise.all([
    executor
      .select()
      .from(parties)
      .where(where)
      .orderBy(asc(parties.name), asc(parties.id))
      .limit(input.limit)
      .offset(input.offset),
    executor.select({ n: sql<number>`count(*)::int` }).from(parties).where(where),
  ]);
  return { parties: rows, total: Number(count?.n ?? 0) };
}

/** What the party owes (positive) or is owed (negative): derived from documents and payments. */
export async function partyBalance(
  executor: Executor,
  ctx: BusinessContext,
  partyId: string,
): Promise<string> {
  const rows = await queryRows<{ balance: string }>(
    executor,
    sql`SELECT (p.opening_balance
          + COALESCE((SELECT sum(${balanceSignSql} * i.total) FROM invoices i
                      WHERE i.tenant_id = p.tenant_id AND i.party_id = p.id AND ${effectiveInvoiceSql}), 0)
          - COALESCE((SELECT sum(CASE WHEN y.direction = 'in' THEN y.amount ELSE -y.amount END) FROM payments y
                      WHERE y.tenant_id = p.tenant_id AND y.party_id = p.id), 0))::numeric(15,2)::text AS balance
        FROM parties p
        WHERE p.tenant_id = ${ctx.tenantId} AND p.business_id = ${ctx.businessId} AND p.id = ${partyId}`,
  );
  const row = rows[0];
  if (!row) throw notFound('party', partyId);
  return toMoney(row.balance);
}

export async function getParty(executor: Executor, ctx: BusinessContext, partyId: string) {
  const [row] = await executor
    .select()
    .from(parties)
    .where(and(scope(ctx), eq(parties.id, partyId)));
  if (!row) throw notFound('party', partyId);
  return { ...row, balance: await partyBalance(executor, ctx, partyId) };
}

/** Throws unless the party exists in this business: ids from the client are never trusted. */
export async function requireParty(executor: Executor, ctx: BusinessContext, partyId: string) {
  const [row] = await executor
    .select()
    .from(parties)
    .where(and(scope(ctx), eq(parties.id, partyId)));
  if (!row) throw notFound('party', partyId);
  return row;
}

export async function updateParty(
  executor: Executor,
  ctx: BusinessContext,
  partyId: string,
  input: Partial<PartyInput>,
) {
  return inTransaction(executor, async (tx) => {
    const [row] = await tx
      .update(parties)
      .set({ ...input, updatedAt: sql`now()` })
      .where(and(scope(ctx), eq(parties.id, partyId)))
      .returning();
    if (!row) throw notFound('party', partyId);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update',
      entityType: 'party',
      entityId: partyId,
      details: { fields: Object.keys(input) },
    });
    return row;
  });
}

/** Deleting is refused while any document, payment, expense or template refers to the party. */
export async function deleteParty(executor: Executor, ctx: BusinessContext, partyId: string) {
  return inTransaction(executor, async (tx) => {
    const party = await requireParty(tx, ctx, partyId);
    // A transaction is one connection: its queries must run one after another, not in parallel.
    const queries = [
      tx
        .select({ n: sql<number>`count(*)::int` })
        .from(invoices)
        .where(
          and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.partyId, partyId), isNull(invoices.deletedAt)),
        ),
      tx
        .select({ n: sql<number>`count(*)::int` })
        .from(payments)
        .where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.partyId, partyId))),
      tx
        .select({ n: sql<number>`count(*)::int` })
        .from(expenses)
        .where(and(eq(expenses.tenantId, ctx.tenantId), eq(expenses.partyId, partyId))),
      tx
        .select({ n: sql<number>`count(*)::int` })
        .from(recurringInvoiceTemplates)
        .where(
          and(
            eq(recurringInvoiceTemplates.tenantId, ctx.tenantId),
            eq(recurringInvoiceTemplates.partyId, partyId),
          ),
        ),
    ];
    const uses: { n: number }[][] = [];
    for (const query of queries) uses.push(await query);
    const [docs, pays, exps, templates] = uses.map((u) => Number(u[0]?.n ?? 0));
    const deletedDocs = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(invoices)
      .where(and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.partyId, partyId)));
    if (docs || pays || exps || templates || Number(deletedDocs[0]?.n ?? 0)) {
      throw new DomainError(
        'PRECONDITION_FAILED',
        `party ${party.name} is still used by ${docs} document(s), ${pays} payment(s), ${exps} expense(s) and ${templates} recurring template(s)`,
      );
    }
    await tx.delete(parties).where(and(scope(ctx), eq(parties.id, partyId)));
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'delete',
      entityType: 'party',
      entityId: partyId,
      details: { name: party.name },
    });
    return { id: partyId };
  });
}
