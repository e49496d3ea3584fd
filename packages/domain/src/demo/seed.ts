import type { Database } from '@hisaabo/db';
import { getTableName } from 'drizzle-orm';
import { addDays } from '../dates.ts';
import type { LineTotals } from '../totals.ts';
import { withBulkWriter } from './bulk-writer.ts';
import { GENERATED_TABLES, generateBusinessBooks } from './generator/business-books.ts';
import { documentsPerBusiness } from './generator/business.ts';
import { HISTORY_DAYS, type SeedContext } from './generator/context.ts';
import { PendingRows } from './generator/rows.ts';
import { createIdFactory, createRng } from './prng.ts';

export interface SeedProgress {
  phase: 'setup' | 'documents' | 'finish';
  invoices: number;
  total: number;
}

export interface SeedOptions {
  tenantId: string;
  /** Rows in `invoices` (every document type together). Default 1,000. */
  invoices?: number;
  /** Same seed, same organization: ids, names, amounts, dates. Default "hisaabo". */
  seed?: string | number;
  /** The last business date of the generated history (two years long). Default 2026-10-31. */
  endDate?: string;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedResult {
  businessIds: string[];
  rows: Record<string, number>;
  durationMs: number;
}

/**
 * Builds a realistic organization in one transaction with bulk COPY: businesses, parties, items with
 * variants, every document type (corrections reference what they correct), payments with partial and
 * multi-invoice allocations, expenses, accounts and transfers, stock adjustments, recurring templates
 * with their runs, and an audit trail. Every rule of the domain holds on the result (see
 * `checkConsistency`). Ids are UUIDv7-shaped and derived from the seed, so the same seed gives the
 * same rows; only the organization row itself is not made here. The rows of each table are made by
 * the generators in ./generator, typed by the schema.
 */
export async function seedDemoOrganization(database: Database, options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const total = Math.max(1, Math.floor(options.invoices ?? 1000));
  const seed = options.seed ?? 'hisaabo';
  const endDate = options.endDate ?? '2026-10-31';
  const startDate = addDays(endDate, -HISTORY_DAYS);
  const tenantId = options.tenantId;
  const progress = (phase: SeedProgress['phase'], invoices: number) =>
    options.onProgress?.({ phase, invoices, total });

  return withBulkWriter(database, async (writer) => {
    const existing = await writer.exec('SELECT id FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
    if (!existing.rows.length) throw new Error(`organization ${tenantId} does not exist`);
    const used = await writer.exec('SELECT count(*)::int AS n FROM businesses WHERE tenant_id = $1', [
      tenantId,
    ]);
    if (Number(used.rows[0]?.n) > 0) {
      throw new Error(
        `organization ${tenantId} already has businesses: demo data goes into an empty organization`,
      );
    }

    const ctx: SeedContext = {
      tenantId,
      rng: createRng(`${seed}`),
      newId: createIdFactory(createRng(`${seed}:ids`), Date.parse(`${startDate}T00:00:00Z`)),
      startDate,
      endDate,
      rows: new PendingRows(writer),
    };
    const lineCache = new Map<string, LineTotals>();
    const documents = { done: 0, onBatch: (done: number) => progress('documents', done) };
    const businessIds: string[] = [];
    progress('setup', 0);
    for (const [index, docCount] of documentsPerBusiness(total).entries()) {
      const businessId = ctx.newId();
      businessIds.push(businessId);
      await generateBusinessBooks(ctx, writer, index, businessId, docCount, documents, lineCache);
    }

    // Fresh planner statistics: without them, the first queries over a bulk-loaded organization
    // pick nested loops and take minutes instead of seconds.
    await writer.exec(`ANALYZE ${GENERATED_TABLES.map(getTableName).join(', ')}`);
    progress('finish', documents.done);
    return { businessIds, rows: ctx.rows.counts, durationMs: Date.now() - started };
  });
}
