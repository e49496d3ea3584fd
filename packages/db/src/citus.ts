import { CONTROL_TABLES, TENANT_TABLES } from './registry.ts';

// The scale-out path: the same schema on Citus (distributed PostgreSQL). Every organization table is
// hash-distributed by `tenant_id`, all in one colocation group, so every row of one organization (in
// every table) lives in one shard group on one worker node. Control tables stay on the coordinator.
// `packages/db/test/citus-readiness.test.ts` checks against the live catalog that the schema keeps the
// rules Citus needs for this; docs/operations.md explains how to apply the statements.

/** The distribution column of every organization table. */
export const DISTRIBUTION_COLUMN = 'tenant_id';

export type CitusPlacementKind = 'distributed' | 'reference' | 'local';

export interface CitusPlacement {
  table: string;
  kind: CitusPlacementKind;
  /** For distributed tables: the table whose colocation group this one joins (null for the first). */
  colocateWith: string | null;
  reason: string;
}

/**
 * Control tables referenced by a foreign key from organization tables must be reference tables (a
 * copy on every node): Citus allows a foreign key from a distributed table to a reference table, not
 * to a plain local one. Every other control table stays a local table on the coordinator.
 */
export const REFERENCE_TABLES: Readonly<Record<string, string>> = {
  tenants:
    'every organization table has a foreign key tenant_id -> tenants(id) (ON DELETE CASCADE); small and rarely written',
};

/** Where every table goes on a Citus cluster: organization tables first in registry (load) order. */
export function citusPlacements(): CitusPlacement[] {
  const first = TENANT_TABLES[0]!.name;
  const placements: CitusPlacement[] = [];
  for (const [table, reason] of Object.entries(CONTROL_TABLES)) {
    const reference = REFERENCE_TABLES[table];
    placements.push(
      reference
        ? { table, kind: 'reference', colocateWith: null, reason: reference }
        : {
            table,
            kind: 'local',
            colocateWith: null,
            reason: `instance data kept on the coordinator (${reason})`,
          },
    );
  }
  for (const spec of TENANT_TABLES) {
    placements.push({
      table: spec.name,
      kind: 'distributed',
      colocateWith: spec.name === first ? null : first,
      reason: 'organization data: all rows of one organization in one shard group',
    });
  }
  return placements;
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The SQL that turns a migrated, empty database on a Citus coordinator into the distributed layout:
 * reference tables first (distributed tables reference them), then every organization table in
 * foreign-key-safe registry order, each colocated with the first.
 */
export function citusDistributionStatements(): string[] {
  const statements: string[] = [];
  for (const placement of citusPlacements()) {
    if (placement.kind === 'reference') {
      statements.push(`SELECT create_reference_table(${literal(placement.table)});`);
    }
  }
  for (const placement of citusPlacements()) {
    if (placement.kind !== 'distributed') continue;
    const colocate = placement.colocateWith === null ? "'none'" : literal(placement.colocateWith);
    statements.push(
      `SELECT create_distributed_table(${literal(placement.table)}, ${literal(DISTRIBUTION_COLUMN)}, colocate_with => ${colocate});`,
    );
  }
  return statements;
}
