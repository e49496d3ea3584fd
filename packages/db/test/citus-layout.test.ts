import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusPlacements } from '../src/citus.ts';
import { MIGRATIONS_FOLDER, migrate, queryRows } from '../src/index.ts';
import { citusTestsEnabled, createCitusDatabase, type TestDatabase } from '../src/testing.ts';

// On a database with the citus extension, migrating lays out the distributed layout itself.

interface Placement {
  table: string;
  method: string;
  replication: string;
  colocation: number;
}

async function livePlacements(database: TestDatabase): Promise<Map<string, Placement>> {
  const rows = await queryRows<Placement>(
    database.db,
    sql`SELECT logicalrelid::regclass::text AS "table", partmethod AS method, repmodel AS replication,
               colocationid AS colocation
        FROM pg_dist_partition`,
  );
  return new Map(rows.map((r) => [r.table, r]));
}

describe.runIf(citusTestsEnabled())('Citus layout laid out by migration', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createCitusDatabase();
  });
  afterAll(() => database?.close());

  it('places every table as docs/operations.md says: one colocation group, tenants a reference table', async () => {
    const live = await livePlacements(database);
    const groups = new Set<number>();
    for (const placement of citusPlacements()) {
      const found = live.get(placement.table);
      if (placement.kind === 'distributed') {
        expect(found?.method, placement.table).toBe('h');
        groups.add(found!.colocation);
      } else if (placement.kind === 'reference') {
        expect([found?.method, found?.replication], placement.table).toEqual(['n', 't']);
      } else {
        // Local control tables stay on the coordinator: plain, or Citus local tables (no shards elsewhere).
        expect(
          found === undefined || (found.method === 'n' && found.replication === 's'),
          placement.table,
        ).toBe(true);
      }
    }
    expect(groups.size).toBe(1);
  });

  it('is idempotent: migrating again changes nothing', async () => {
    const before = await livePlacements(database);
    await migrate(database);
    expect(await livePlacements(database)).toEqual(before);
  });

  it('distributes an organization table that a later migration adds, colocated, with its foreign keys', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'hisaabo-migrations-'));
    try {
      cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
      const journalPath = path.join(folder, 'meta/_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
      const last = journal.entries.at(-1);
      journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: '9999_widgets' });
      writeFileSync(journalPath, JSON.stringify(journal));
      // What drizzle-kit writes for a new organization table: the table, then its foreign keys.
      writeFileSync(
        path.join(folder, '9999_widgets.sql'),
        [
          `CREATE TABLE "widgets" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "business_id" uuid NOT NULL,
             CONSTRAINT "widgets_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"));`,
          `ALTER TABLE "widgets" ADD CONSTRAINT "widgets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade;`,
          `ALTER TABLE "widgets" ADD CONSTRAINT "widgets_business_fk" FOREIGN KEY ("tenant_id","business_id") REFERENCES "public"."businesses"("tenant_id","id");`,
        ].join('--> statement-breakpoint\n'),
      );
      await migrate(database, folder);

      const live = await livePlacements(database);
      expect(live.get('widgets')?.method).toBe('h');
      expect(live.get('widgets')?.colocation).toBe(live.get('businesses')?.colocation);
      const keys = await queryRows<{ name: string }>(
        database.db,
        sql`SELECT conname AS name FROM pg_constraint WHERE conrelid = 'widgets'::regclass AND contype = 'f'
            ORDER BY conname`,
      );
      expect(keys.map((k) => k.name)).toEqual(['widgets_business_fk', 'widgets_tenant_id_tenants_id_fk']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
