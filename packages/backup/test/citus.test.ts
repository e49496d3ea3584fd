import { PassThrough } from 'node:stream';
import { TENANT_TABLES, queryRows } from '@hisaabo/db';
import {
  type TestDatabase,
  citusTestsEnabled,
  createCitusDatabase,
  createPgliteDatabase,
} from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTenant, restoreTenant } from '../src/index.ts';
import { exportToBuffer, readEntries, tableEntries, toStream } from './support/archive.ts';
import { createTenant, seedRichOrganization } from './support/rich-organization.ts';

// What docs/operations.md promises of the distributed layout, on a real Citus cluster.

interface Worker {
  host: string;
  port: number;
}

/** The worker holding the organization's shard of `table`, with that shard's id. */
async function shardOf(database: TestDatabase, table: string, tenantId: string) {
  const rows = await queryRows<{ shard: string; host: string; port: number }>(
    database.db,
    sql`SELECT s.shardid::text AS shard, n.nodename AS host, n.nodeport AS port
        FROM pg_dist_placement p JOIN pg_dist_node n ON n.groupid = p.groupid
        JOIN (SELECT get_shard_id_for_distribution_column(${table}, ${tenantId}::uuid) AS shardid) s
          ON s.shardid = p.shardid`,
  );
  expect(rows, table).toHaveLength(1);
  return rows[0]!;
}

/** Runs a query directly on a worker's copy of this database, bypassing the coordinator. */
async function onWorker<T extends pg.QueryResultRow>(
  database: TestDatabase,
  worker: Worker,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const url = new URL(database.url!);
  url.hostname = worker.host;
  url.port = String(worker.port);
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function tablesOf(database: TestDatabase, tenantId: string): Promise<Map<string, Buffer>> {
  return tableEntries(await readEntries((await exportToBuffer(database, tenantId)).archive));
}

function expectSameTables(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [name, body] of expected) expect(actual.get(name)?.equals(body), name).toBe(true);
}

/** New organizations until one lands on the given worker (hashing spreads them over both). */
async function tenantOnWorker(database: TestDatabase, port: number): Promise<{ id: string; slug: string }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const tenant = await createTenant(database);
    if ((await shardOf(database, 'businesses', tenant.id)).port === port) return tenant;
  }
  throw new Error(`no organization hashed to the worker on port ${port}`);
}

describe.runIf(citusTestsEnabled())('organizations on a Citus cluster', () => {
  let citus: TestDatabase;
  let pglite: TestDatabase;
  let workers: Worker[];
  beforeAll(async () => {
    [citus, pglite] = await Promise.all([createCitusDatabase(), createPgliteDatabase()]);
    workers = await queryRows<Worker>(
      citus.db,
      sql`SELECT nodename AS host, nodeport AS port FROM pg_dist_node WHERE groupid <> 0 ORDER BY nodeport`,
    );
    expect(workers).toHaveLength(2);
  });
  afterAll(async () => {
    await citus?.close();
    await pglite?.close();
  });

  it('keeps every row of one organization, in every table, on one worker', async () => {
    const tenant = await createTenant(citus);
    await seedRichOrganization(citus, tenant.id);
    const home = await shardOf(citus, TENANT_TABLES[0]!.name, tenant.id);
    for (const { name } of TENANT_TABLES) {
      const shard = await shardOf(citus, name, tenant.id);
      expect(shard.port, name).toBe(home.port);
      // The rows are physically in that worker's shard: as many as the coordinator sees, all of them.
      const [seen] = await queryRows<{ n: number }>(
        citus.db,
        sql`SELECT count(*)::int AS n FROM ${sql.identifier(name)} WHERE tenant_id = ${tenant.id}`,
      );
      const [stored] = await onWorker<{ n: number }>(
        citus,
        shard,
        `SELECT count(*)::int AS n FROM "${name}_${shard.shard}" WHERE tenant_id = $1`,
        [tenant.id],
      );
      expect(seen!.n, name).toBeGreaterThan(0);
      expect(stored!.n, name).toBe(seen!.n);
    }
  });

  it('restores an archive of PGlite byte-identically, and PGlite restores an archive of Citus', async () => {
    const fromPglite = await createTenant(pglite);
    await seedRichOrganization(pglite, fromPglite.id);
    const pgliteArchive = (await exportToBuffer(pglite, fromPglite.id)).archive;
    const intoCitus = await createTenant(citus);
    await restoreTenant(citus, intoCitus.id, toStream(pgliteArchive));
    expectSameTables(await tablesOf(citus, intoCitus.id), tableEntries(await readEntries(pgliteArchive)));

    const fromCitus = await createTenant(citus);
    await seedRichOrganization(citus, fromCitus.id);
    const citusArchive = (await exportToBuffer(citus, fromCitus.id)).archive;
    const intoPglite = await createTenant(pglite);
    await restoreTenant(pglite, intoPglite.id, toStream(citusArchive));
    expectSameTables(await tablesOf(pglite, intoPglite.id), tableEntries(await readEntries(citusArchive)));
  });

  it('runs two restores into organizations on different workers at the same time', async () => {
    const source = await createTenant(citus);
    await seedRichOrganization(citus, source.id);
    const archive = (await exportToBuffer(citus, source.id)).archive;
    const [first, second] = [
      await tenantOnWorker(citus, workers[0]!.port),
      await tenantOnWorker(citus, workers[1]!.port),
    ];

    // The first restore gets half of its archive and stays inside its transaction (holding its
    // organization's lock and the rows loaded so far) until the second restore has finished.
    const slow = new PassThrough();
    let firstLoading!: () => void;
    const firstHasLoaded = new Promise<void>((resolve) => {
      firstLoading = resolve;
    });
    let firstDone = false;
    const firstRestore = restoreTenant(citus, first.id, slow, { onProgress: () => firstLoading() }).finally(
      () => {
        firstDone = true;
      },
    );
    const half = Math.floor(archive.length / 2);
    try {
      slow.write(archive.subarray(0, half));
      await firstHasLoaded;
      await restoreTenant(citus, second.id, toStream(archive));
      // The second restore committed while the first was still inside its transaction.
      expect(firstDone).toBe(false);
    } finally {
      slow.end(archive.subarray(half));
      await firstRestore;
    }

    const expected = tableEntries(await readEntries(archive));
    expectSameTables(await tablesOf(citus, first.id), expected);
    expectSameTables(await tablesOf(citus, second.id), expected);
  });

  it("moving an organization's shard group to the other worker changes nothing in its export", async () => {
    const tenant = await createTenant(citus);
    await seedRichOrganization(citus, tenant.id);
    const before = await tablesOf(citus, tenant.id);
    const home = await shardOf(citus, 'businesses', tenant.id);
    const other = workers.find((w) => w.port !== home.port)!;
    // Moves the shard and every shard colocated with it: the whole organization.
    await citus.db.execute(
      sql`SELECT citus_move_shard_placement(${home.shard}::bigint, ${home.host}, ${home.port}::int,
            ${other.host}, ${other.port}::int, shard_transfer_mode => 'block_writes')`,
    );
    for (const { name } of TENANT_TABLES) {
      expect((await shardOf(citus, name, tenant.id)).port, name).toBe(other.port);
    }
    expectSameTables(await tablesOf(citus, tenant.id), before);
  });

  it('keeps an export consistent while other organizations on both workers write', async () => {
    const source = await createTenant(citus);
    await seedRichOrganization(citus, source.id);
    const before = await tablesOf(citus, source.id);
    const archiveOfOthers = (await exportToBuffer(citus, source.id)).archive;

    // Small chunks and fetches so the export is still reading while the others write.
    const handle = exportTenant(citus, source.id, { chunkBytes: 256, fetchRows: 1 });
    const iterator = handle.stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    const others = [
      await tenantOnWorker(citus, workers[0]!.port),
      await tenantOnWorker(citus, workers[1]!.port),
    ];
    await Promise.all([
      restoreTenant(citus, others[0]!.id, toStream(archiveOfOthers)),
      seedRichOrganization(citus, others[1]!.id),
    ]);
    const rest: Buffer[] = [first.value as Buffer];
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      rest.push(next.value as Buffer);
    }
    await handle.done;
    const during = new Map<string, Buffer[]>();
    for (const [name, body] of tableEntries(await readEntries(Buffer.concat(rest)))) {
      const table = name.split('.')[0]!;
      during.set(table, [...(during.get(table) ?? []), body]);
    }
    for (const [name, body] of before) {
      expect(Buffer.concat(during.get(name.split('.')[0]!)!).equals(body), name).toBe(true);
    }
  });
});
