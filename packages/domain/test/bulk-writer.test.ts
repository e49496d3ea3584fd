import { newId, queryRows, tenants } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBulkWriter } from '../src/demo/bulk-writer.ts';

/** The parts of a pooled pg client this test intercepts. */
interface PooledClient {
  query: (...args: unknown[]) => Promise<unknown>;
  release: (error?: Error | boolean) => void;
}
type Pool = { connect: () => Promise<PooledClient> };

for (const backend of testBackends()) {
  describe(`the demo bulk writer on ${backend.kind}`, () => {
    let database: TestDatabase;
    const tenantId = newId();
    beforeAll(async () => {
      database = await backend.create();
      await database.db.insert(tenants).values({ id: tenantId, name: 'Bulk', slug: `bulk-${tenantId}` });
    });
    afterAll(() => database?.close());

    const categories = async () =>
      (
        await queryRows<{ n: number }>(
          database.db,
          sql`SELECT count(*)::int AS n FROM expense_categories WHERE tenant_id = ${tenantId}`,
        )
      )[0]!.n;

    it('loads everything or nothing: a failure after a COPY leaves no row, and the next load works', async () => {
      const businessId = newId();
      const load = (fail: boolean) =>
        withBulkWriter(database, async (writer) => {
          await writer.copy(
            'businesses',
            ['tenant_id', 'id', 'name'],
            [[tenantId, businessId, 'Bulk Traders']],
          );
          await writer.copy(
            'expense_categories',
            ['tenant_id', 'id', 'business_id', 'name'],
            [
              [tenantId, newId(), businessId, 'Rent'],
              [tenantId, newId(), businessId, 'Tea\tand\\snacks'],
            ],
          );
          if (fail) throw new Error('stopped after the COPY');
        });
      await expect(load(true)).rejects.toThrow('stopped after the COPY');
      expect(await categories()).toBe(0);
      await load(false);
      expect(await categories()).toBe(2);
      const names = await queryRows<{ name: string }>(
        database.db,
        sql`SELECT name FROM expense_categories WHERE tenant_id = ${tenantId} ORDER BY name`,
      );
      expect(names.map((n) => n.name)).toEqual(['Rent', 'Tea\tand\\snacks']);
    });

    if (backend.kind === 'postgres') {
      it('destroys a connection whose ROLLBACK failed instead of handing it back to the pool', async () => {
        const { pool } = database.driver as unknown as { pool: Pool };
        const connect = pool.connect.bind(pool);
        let releasedWith: unknown = 'never released';
        // The ROLLBACK of this one connection fails as if the link broke.
        pool.connect = async () => {
          const client = await connect();
          const query = client.query.bind(client);
          client.query = (...args: unknown[]) =>
            args[0] === 'ROLLBACK' ? Promise.reject(new Error('connection lost')) : query(...args);
          const release = client.release.bind(client);
          client.release = (error?: Error | boolean) => {
            releasedWith = error;
            release(error);
          };
          return client;
        };
        try {
          await expect(
            withBulkWriter(database, async (writer) => {
              await writer.exec('SELECT 1');
              throw new Error('work failed');
            }),
          ).rejects.toThrow('work failed');
        } finally {
          pool.connect = connect;
        }
        // Released with the error: pg's pool then closes the connection instead of reusing it.
        expect(releasedWith).toBeInstanceOf(Error);
        expect((releasedWith as Error).message).toBe('connection lost');
        // The pool goes on with a fresh connection.
        await withBulkWriter(database, (writer) => writer.exec('SELECT 1'));
      });
    }
  });
}
