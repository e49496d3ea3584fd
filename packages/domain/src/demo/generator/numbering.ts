import { documentSequences } from '@hisaabo/db';
import { DEFAULT_PREFIXES, formatNumber, type SequenceKind } from '../../numbering.ts';
import { type BusinessScope, type SeedContext, stamp } from './context.ts';

/** Numbers documents and payments per kind, in issue order, as the domain's sequences would. */
export class DocumentNumbers {
  private readonly used = new Map<SequenceKind, number>();

  take(kind: SequenceKind): string {
    const n = (this.used.get(kind) ?? 0) + 1;
    this.used.set(kind, n);
    return formatNumber(DEFAULT_PREFIXES[kind], n, 5);
  }

  /** One sequence row per kind, each at the number after the last one taken. */
  generateSequences(ctx: SeedContext, scope: BusinessScope): void {
    for (const kind of Object.keys(DEFAULT_PREFIXES) as SequenceKind[]) {
      ctx.rows.push(documentSequences, {
        tenantId: ctx.tenantId,
        id: ctx.newId(),
        businessId: scope.businessId,
        kind,
        prefix: DEFAULT_PREFIXES[kind],
        nextNumber: (this.used.get(kind) ?? 0) + 1,
        padding: 5,
        createdAt: scope.created,
        updatedAt: stamp(ctx, ctx.endDate),
      });
    }
  }
}
