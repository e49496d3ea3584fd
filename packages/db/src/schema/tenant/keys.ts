import { type AnyPgColumn, foreignKey, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../control.ts';

// The keys every organization table shares: see ../tenant.ts for the rules they serve.

export const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });

/** Composite foreign key (tenant_id, column) -> (tenant_id, id) of the target table. */
export function ref(
  name: string,
  from: { tenantId: AnyPgColumn; col: AnyPgColumn },
  to: { tenantId: AnyPgColumn; id: AnyPgColumn },
) {
  // Drizzle's tuple generics cannot say "columns of the table being declared" here; the casts are safe
  // because every caller passes columns of its own table and of the referenced table.
  return foreignKey({
    name,
    columns: [from.tenantId, from.col] as never,
    foreignColumns: [to.tenantId, to.id] as never,
  });
}
