import { TENANT_TABLES } from '@hisaabo/db';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { type EnumValues, type RowValidator, rowChecker } from './row-checks.ts';
import type { TableDef } from './table-defs.ts';

export type { EnumValues, Row, RowValidator } from './row-checks.ts';

/**
 * Allowed values of text columns the application treats as enumerations, from the schema. Built on
 * each call (once per table of a restore) rather than at import, so that a fault here fails the
 * validator's construction, which a test sees, rather than the module's load.
 */
export function tenantEnumValues(): EnumValues {
  return new Map(
    TENANT_TABLES.flatMap((spec) =>
      getTableConfig(spec.table)
        // drizzle's `enum` option takes at least one value; columns without it have none.
        .columns.filter((c) => Array.isArray(c.enumValues))
        .map((c) => [`${spec.name}.${c.name}`, c.enumValues as readonly string[]] as const),
    ),
  );
}

/** What the line work needs of the schema, as plain data (it may run in a worker thread). */
export interface TableRules {
  enumValues: [string, readonly string[]][];
  /** Self-referencing columns by table, loaded in a second pass. */
  selfReferences: Record<string, readonly string[]>;
}

export function tenantTableRules(): TableRules {
  return {
    enumValues: [...tenantEnumValues()],
    selfReferences: Object.fromEntries(TENANT_TABLES.map((t) => [t.name, t.selfReferences ?? []])),
  };
}

/** The validator of one table's rows (row-checks.ts), with the schema's enumerations. */
export function rowValidator(table: TableDef): RowValidator {
  return rowChecker(table, tenantEnumValues());
}
