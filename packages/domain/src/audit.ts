import { auditLog } from '@hisaabo/db';
import type { ActorContext, Executor } from './context.ts';

export interface AuditEntry {
  businessId?: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

/** Records a mutation; callers pass their transaction so the entry commits or rolls back with it. */
export async function writeAudit(tx: Executor, ctx: ActorContext, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: ctx.tenantId,
    businessId: entry.businessId ?? null,
    userId: ctx.userId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    details: entry.details ?? null,
  });
}
