import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businesses, newId, parties, tenants } from '../src/index.ts';
import { type TestDatabase, testBackends } from '../src/testing.ts';

for (const backend of testBackends()) {
  describe(`cross-tenant references on ${backend.kind}`, () => {
    let database: TestDatabase;
    const tenantA = newId();
    const tenantB = newId();
    const businessA = newId();
    beforeAll(async () => {
      database = await backend.create();
      await database.db.insert(tenants).values([
        { id: tenantA, name: 'A', slug: `a-${tenantA}` },
        { id: tenantB, name: 'B', slug: `b-${tenantB}` },
      ]);
      await database.db.insert(businesses).values({ tenantId: tenantA, id: businessA, name: 'A Traders' });
    });
    afterAll(() => database?.close());

    it('accepts a row that references its own organization', async () => {
      await database.db
        .insert(parties)
        .values({ tenantId: tenantA, businessId: businessA, type: 'customer', name: 'Asha' });
    });

    it("refuses a row that references another organization's row", async () => {
      const insert = database.db
        .insert(parties)
        .values({ tenantId: tenantB, businessId: businessA, type: 'customer', name: 'Intruder' });
      const error = await insert.then(
        () => null,
        (e: unknown) => e as { cause?: { message?: string } },
      );
      expect(error, 'the insert must be refused').not.toBeNull();
      expect(error?.cause?.message).toMatch(/parties_business_fk/);
    });
  });
}
