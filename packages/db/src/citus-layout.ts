import type pg from 'pg';
import { DISTRIBUTION_COLUMN, REFERENCE_TABLES } from './citus.ts';
import { CONTROL_TABLES, TENANT_TABLES } from './registry.ts';

// The distributed layout, laid out by migration itself on a database where the `citus` extension is
// installed: reference tables (tenants) first, then every organization table hash-distributed by
// tenant_id in one colocation group. It is idempotent and reads the live catalog, so it also finishes
// the layout of a database migrated before Citus was installed, and distributes an organization table
// added by a later migration. Control tables stay on the coordinator (Citus turns those that reference
// tenants into "Citus local tables", which keeps their foreign keys).

type Client = Pick<pg.ClientBase, 'query'>;

/** True when the database has the citus extension installed. */
export async function hasCitus(client: Client): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`);
  return rows.length > 0;
}

/**
 * Control tables that reference a reference table become Citus local tables, which needs the
 * coordinator in Citus's metadata; without it the error Citus gives is obscure, so say what to do.
 */
export async function assertCoordinatorInMetadata(client: Client): Promise<void> {
  const { rows } = await client.query(`SELECT 1 FROM pg_dist_node WHERE groupid = 0`);
  if (rows.length === 0) {
    throw new Error(
      "Citus: the coordinator is not in the cluster's metadata. Run once on the coordinator: " +
        "SELECT citus_set_coordinator_host('<coordinator host>', <port>); then migrate again.",
    );
  }
}

interface Placed {
  table: string;
  method: string;
  replication: string;
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Organization tables in the live catalog: every public table with tenant_id that is not a control table. */
async function organizationTables(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ table: string }>(
    `SELECT c.relname AS "table" FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $1 AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    [DISTRIBUTION_COLUMN],
  );
  const registryOrder = TENANT_TABLES.map((t) => t.name);
  const rank = (table: string) => {
    const index = registryOrder.indexOf(table);
    return index === -1 ? registryOrder.length : index;
  };
  return rows
    .map((r) => r.table)
    .filter((table) => !(table in CONTROL_TABLES))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function placements(client: Client): Promise<Map<string, Placed>> {
  const { rows } = await client.query<Placed>(
    `SELECT c.relname AS "table", p.partmethod AS method, p.repmodel AS replication
     FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`,
  );
  return new Map(rows.map((r) => [r.table, r]));
}

/** True once any table of the database is hash-distributed. */
export async function hasDistributedTables(client: Client): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM pg_dist_partition WHERE partmethod = 'h' LIMIT 1`);
  return rows.length > 0;
}

async function tableExists(client: Client, table: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`public.${table}`]);
  return rows[0]?.present === true;
}

/**
 * Lays out what is not laid out yet. Runs inside the caller's transaction (with the migration lock
 * held). Citus distributes a table only when no local table has a foreign key to it and it has none
 * to a local table, so the foreign keys between organization tables that touch a table still to be
 * distributed are dropped, the tables distributed, and the keys added back (validated) in the same
 * transaction: no moment exists where another session sees the tables without them.
 */
export async function layOutCitus(client: Client): Promise<void> {
  let placed = await placements(client);
  for (const table of Object.keys(REFERENCE_TABLES)) {
    const current = placed.get(table);
    const isReference = current?.method === 'n' && current.replication === 't';
    if (!isReference && (await tableExists(client, table))) {
      await client.query(`SELECT create_reference_table(${literal(table)})`);
    }
  }
  placed = await placements(client);
  const organization = await organizationTables(client);
  const pending = organization.filter((table) => placed.get(table)?.method !== 'h');
  if (pending.length === 0) return;

  const { rows: foreignKeys } = await client.query<ForeignKey>(
    `SELECT cl.relname AS "table", co.conname AS name, pg_get_constraintdef(co.oid) AS definition
     FROM pg_constraint co
     JOIN pg_class cl ON cl.oid = co.conrelid
     JOIN pg_class ref ON ref.oid = co.confrelid
     WHERE co.contype = 'f' AND cl.relnamespace = 'public'::regnamespace
       AND cl.relname = ANY($1) AND ref.relname = ANY($1)
       AND (cl.relname = ANY($2) OR ref.relname = ANY($2))
     ORDER BY cl.relname, co.conname`,
    [organization, pending],
  );
  for (const key of foreignKeys) {
    await client.query(`ALTER TABLE ${ident(key.table)} DROP CONSTRAINT ${ident(key.name)}`);
  }
  // One colocation group: join the first organization table already distributed, if any.
  let anchor = organization.find((table) => placed.get(table)?.method === 'h') ?? null;
  for (const table of pending) {
    const colocate = anchor === null ? `'none'` : literal(anchor);
    await client.query(
      `SELECT create_distributed_table(${literal(table)}, ${literal(DISTRIBUTION_COLUMN)}, colocate_with => ${colocate})`,
    );
    anchor ??= table;
  }
  for (const key of foreignKeys) {
    await client.query(`ALTER TABLE ${ident(key.table)} ADD CONSTRAINT ${ident(key.name)} ${key.definition}`);
  }
}
