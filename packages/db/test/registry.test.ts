import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTROL_TABLES,
  TENANT_TABLES,
  catalogColumns,
  catalogConstraints,
  catalogTables,
  columnNames,
} from '../src/index.ts';
import { type TestDatabase, testBackends } from '../src/testing.ts';

for (const backend of testBackends()) {
  describe(`table registry on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    it('names every tenant table of the catalog, and only those', async () => {
      const tables = await catalogTables(database.db);
      const tenantTables = tables.filter((t) => !(t in CONTROL_TABLES)).sort();
      expect([...TENANT_TABLES.map((t) => t.name)].sort()).toEqual(tenantTables);
      for (const control of Object.keys(CONTROL_TABLES)) expect(tables).toContain(control);
    });

    it('knows every column of every tenant table, in catalog order', async () => {
      const columns = await catalogColumns(database.db);
      for (const spec of TENANT_TABLES) {
        const inCatalog = columns.filter((c) => c.table === spec.name).map((c) => c.name);
        expect(columnNames(spec), spec.name).toEqual(inCatalog);
        for (const column of [...(spec.selfReferences ?? []), ...Object.keys(spec.redacted ?? {})]) {
          expect(inCatalog, `${spec.name}.${column}`).toContain(column);
        }
      }
    });

    it('is in foreign-key-safe order: every referenced table comes first', async () => {
      const order = new Map(TENANT_TABLES.map((t, i) => [t.name, i]));
      const constraints = await catalogConstraints(database.db);
      for (const fk of constraints.filter((c) => c.type === 'f' && order.has(c.table))) {
        if (fk.refTable === fk.table || !order.has(fk.refTable ?? '')) continue;
        expect(order.get(fk.refTable!)!, `${fk.table} -> ${fk.refTable} (${fk.name})`).toBeLessThan(
          order.get(fk.table)!,
        );
      }
    });

    it('lists every self-reference, so restore can load them in a second pass', async () => {
      const constraints = await catalogConstraints(database.db);
      for (const spec of TENANT_TABLES) {
        const selfColumns = constraints
          .filter((c) => c.type === 'f' && c.table === spec.name && c.refTable === spec.name)
          .map((c) => c.columns[1]);
        expect(selfColumns.sort(), spec.name).toEqual([...(spec.selfReferences ?? [])].sort());
      }
    });
  });
}
