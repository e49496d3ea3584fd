import { sql } from 'drizzle-orm';
import type { Db } from './connect.ts';
import { queryRows } from './query.ts';

// Reads the live catalog of the `public` schema. Used by the schema-rule tests and by the backup
// engine's schema checksum, so both see the columns the database really has, not what the code says.

export interface CatalogColumn {
  table: string;
  name: string;
  type: string;
  notNull: boolean;
  position: number;
}

export interface CatalogConstraint {
  table: string;
  name: string;
  /** p = primary key, f = foreign key, u = unique */
  type: 'p' | 'f' | 'u';
  columns: string[];
  refTable: string | null;
  refColumns: string[] | null;
}

export interface CatalogUniqueIndex {
  table: string;
  name: string;
  /** Index expressions appear as null. */
  columns: (string | null)[];
}

export async function catalogTables(db: Db): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

/** Columns with their exact SQL type (`numeric(15,2)`, `timestamp(6) with time zone`...), in order. */
export async function catalogColumns(db: Db): Promise<CatalogColumn[]> {
  return queryRows<CatalogColumn>(
    db,
    sql`SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
               a.attnotnull AS "notNull", a.attnum::int AS position
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`,
  );
}

export async function catalogConstraints(db: Db): Promise<CatalogConstraint[]> {
  return queryRows<CatalogConstraint>(
    db,
    sql`SELECT cl.relname AS "table", co.conname AS name, co.contype AS type,
               (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(co.conkey) WITH ORDINALITY k(num, ord)
                  JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num) AS columns,
               rc.relname AS "refTable",
               (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(co.confkey) WITH ORDINALITY k(num, ord)
                  JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num) AS "refColumns"
        FROM pg_constraint co
        JOIN pg_class cl ON cl.oid = co.conrelid
        JOIN pg_namespace n ON n.oid = cl.relnamespace
        LEFT JOIN pg_class rc ON rc.oid = co.confrelid
        WHERE n.nspname = 'public' AND co.contype IN ('p', 'f', 'u')
        ORDER BY cl.relname, co.conname`,
  );
}

/** Unique indexes that are not backing a primary key (unique constraints included). */
export async function catalogUniqueIndexes(db: Db): Promise<CatalogUniqueIndex[]> {
  return queryRows<CatalogUniqueIndex>(
    db,
    sql`SELECT t.relname AS "table", i.relname AS name,
               (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(num, ord)
                  LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.num) AS columns
        FROM pg_index ix
        JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND ix.indisunique AND NOT ix.indisprimary
        ORDER BY t.relname, i.relname`,
  );
}
