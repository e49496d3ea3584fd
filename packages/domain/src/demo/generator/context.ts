import { auditLog } from '@hisaabo/db';
import type { Rng } from '../prng.ts';
import type { PendingRows } from './rows.ts';

/** The generated history is this long, ending on the seed's end date. */
export const HISTORY_DAYS = 730;

/** What every generator of one organization shares: its ids, its randomness, its pending rows. */
export interface SeedContext {
  readonly tenantId: string;
  /** Names, amounts, dates and choices; ids come from their own stream (`newId`). */
  readonly rng: Rng;
  readonly newId: () => string;
  /** The two years of history: first and last business date. */
  readonly startDate: string;
  readonly endDate: string;
  readonly rows: PendingRows;
}

/** The business a generator is filling, and when it was set up. */
export interface BusinessScope {
  readonly index: number;
  readonly businessId: string;
  /** The instant the business and its master data were created. */
  readonly created: string;
  /** Documents this business gets. */
  readonly docCount: number;
}

/** An instant during office hours of `date`, with microseconds (as PostgreSQL keeps them). */
export function stamp(ctx: SeedContext, date: string): string {
  const { rng } = ctx;
  return `${date} ${String(rng.int(8, 19)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}.${String(rng.int(0, 999999)).padStart(6, '0')}+00`;
}

/** One audit trail entry, made by the system (no user). */
export function audit(
  ctx: SeedContext,
  businessId: string,
  entityType: string,
  entityId: string,
  createdAt: string,
  details: Record<string, unknown>,
  action = 'create',
): void {
  ctx.rows.push(auditLog, {
    tenantId: ctx.tenantId,
    id: ctx.newId(),
    businessId,
    userId: null,
    action,
    entityType,
    entityId,
    details,
    createdAt,
  });
}
