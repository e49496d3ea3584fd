import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTROL_TABLES,
  catalogColumns,
  catalogConstraints,
  catalogTables,
  catalogUniqueIndexes,
  type CatalogConstraint,
} from '../src/index.ts';
import { type TestDatabase, testBackends } from '../src/testing.ts';

/** Lists every breach of the tenancy rules in the live catalog, each naming table and constraint. */
async function tenancyViolations(database: TestDatabase): Promise<string[]> {
  const db = database.db;
  const tables = await catalogTables(db);
  const tenantTables = new Set(tables.filter((t) => !(t in CONTROL_TABLES)));
  const columns = await catalogColumns(db);
  const constraints = await catalogConstraints(db);
  const uniques = await catalogUniqueIndexes(db);
  const problems: string[] = [];

  for (const table of tenantTables) {
    const tenantId = columns.find((c) => c.table === table && c.name === 'tenant_id');
    if (!tenantId) problems.push(`${table}: no tenant_id column`);
    else if (tenantId.type !== 'uuid' || !tenantId.notNull)
      problems.push(`${table}: tenant_id must be uuid not null`);

    const pk = constraints.find((c) => c.table === table && c.type === 'p');
    if (pk?.columns.join(',') !== 'tenant_id,id') {
      problems.push(
        `${table}: primary key ${pk?.name ?? '(none)'} must be (tenant_id, id), is (${pk?.columns ?? ''})`,
      );
    }
  }

  const isTenantFk = (c: CatalogConstraint) => c.type === 'f' && tenantTables.has(c.table);
  for (const fk of constraints.filter(isTenantFk)) {
    const toTenantTable = fk.refTable !== null && tenantTables.has(fk.refTable);
    if (toTenantTable) {
      if (fk.columns[0] !== 'tenant_id' || fk.refColumns?.[0] !== 'tenant_id' || fk.columns.length < 2) {
        problems.push(
          `${fk.table}: foreign key ${fk.name} must be composite (tenant_id, …) -> (tenant_id, …)`,
        );
      }
    } else if (!(fk.refTable === 'tenants' && fk.columns.join() === 'tenant_id')) {
      problems.push(`${fk.table}: foreign key ${fk.name} points outside the organization (${fk.refTable})`);
    }
  }

  for (const index of uniques.filter((u) => tenantTables.has(u.table))) {
    if (index.columns[0] !== 'tenant_id') {
      problems.push(`${index.table}: unique constraint ${index.name} must start with tenant_id`);
    }
  }
  return problems;
}

for (const backend of testBackends()) {
  describe(`tenancy rules on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    it('every tenant table follows the rules in the live catalog', async () => {
      expect(await tenancyViolations(database)).toEqual([]);
    });

    it('the rule check names the table and constraint that breaks a rule', async () => {
      const exec = (text: string) => database.db.execute(sql.raw(text));
      await exec(`CREATE TABLE rogue (
        tenant_id uuid NOT NULL, id uuid NOT NULL, business_id uuid, code text,
        CONSTRAINT rogue_pkey PRIMARY KEY (id),
        CONSTRAINT rogue_code_key UNIQUE (code, tenant_id),
        CONSTRAINT rogue_business_fk FOREIGN KEY (business_id, tenant_id) REFERENCES businesses (id, tenant_id))`);
      try {
        const problems = await tenancyViolations(database);
        expect(problems).toEqual([
          'rogue: primary key rogue_pkey must be (tenant_id, id), is (id)',
          'rogue: foreign key rogue_business_fk must be composite (tenant_id, …) -> (tenant_id, …)',
          'rogue: unique constraint rogue_code_key must start with tenant_id',
        ]);
      } finally {
        await exec('DROP TABLE rogue');
      }
    });
  });
}
