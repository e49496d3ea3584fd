import { createHash } from 'node:crypto';
import { TENANT_TABLES, queryRows } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_VERSION } from '../src/app-version.ts';
import { DEFAULT_CHUNK_BYTES, exportTenant } from '../src/export.ts';
import { FORMAT, FORMAT_VERSION, type ArchiveIndex, type Manifest } from '../src/manifest.ts';
import { CURRENT_SCHEMA_VERSION } from '../src/schema-versions.ts';
import { liveTableDefs, schemaChecksum } from '../src/table-defs.ts';
import { collect, exportToBuffer, readEntries } from './support/archive.ts';
import { gzipMembers } from './support/gzip-members.ts';
import { createTenant, seedRichOrganization } from './support/rich-organization.ts';

// What the export writes around the table lines, exactly: the manifest's fields, the index's sizes
// and hashes of every entry, the tar headers, and the summary the caller gets. Each test exports
// for itself (not in a hook), so every line of the export is tied to the tests that run it.

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const backend of testBackends()) {
  describe(`export archive on ${backend.kind}`, () => {
    let database: TestDatabase;
    let source: { id: string; slug: string };
    beforeAll(async () => {
      database = await backend.create();
      source = await createTenant(database, 'masala-works');
      await seedRichOrganization(database, source.id);
    });
    afterAll(() => database?.close());

    it('writes a manifest naming the format, schema, versions, source and tables', async () => {
      const options = { appVersion: '9.9.9-test', instanceId: 'instance-7' };
      const { archive } = await exportToBuffer(database, source.id, options);
      const [first] = await readEntries(archive);
      const manifest = JSON.parse(first!.body.toString()) as Manifest;
      const tables = await liveTableDefs(database.db);
      expect(manifest).toEqual({
        format: FORMAT,
        formatVersion: FORMAT_VERSION,
        schemaVersion: CURRENT_SCHEMA_VERSION,
        schemaChecksum: schemaChecksum(tables),
        appVersion: '9.9.9-test',
        exportedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
        source: {
          instanceId: 'instance-7',
          tenantId: source.id,
          slug: 'masala-works',
          name: 'Organization masala-works',
        },
        tables,
        chunkBytes: DEFAULT_CHUNK_BYTES,
      });
      expect(first!.body.toString()).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
      expect(Math.abs(Date.parse(manifest.exportedAt) - Date.now())).toBeLessThan(10 * 60_000);
    });

    it('states this code version and no instance when not told otherwise', async () => {
      const { archive } = await exportToBuffer(database, source.id, { chunkBytes: 4096 });
      const manifest = JSON.parse((await readEntries(archive))[0]!.body.toString()) as Manifest;
      expect(manifest.appVersion).toBe(APP_VERSION);
      expect(manifest.source.instanceId).toBe('');
      expect(manifest.chunkBytes).toBe(4096);
    });

    it('indexes every entry with its size, hash and rows, and every table as a whole', async () => {
      const { archive, summary } = await exportToBuffer(database, source.id, { chunkBytes: 2048 });
      const entries = await readEntries(archive);
      const index = JSON.parse(entries.at(-1)!.body.toString()) as ArchiveIndex;
      expect(entries.at(-1)!.name).toBe('index.json');
      expect(index.manifest).toEqual({ bytes: entries[0]!.body.length, sha256: sha256(entries[0]!.body) });
      const tableEntries = entries.slice(1, -1);
      expect(index.entries).toEqual(
        tableEntries.map((entry) => {
          const [, table, chunk] = /^(.+?)(?:\.(\d+))?\.ndjson$/.exec(entry.name)!;
          return {
            name: entry.name,
            table,
            chunk: chunk ? Number(chunk) : 1,
            rows: entry.body.toString().split('\n').length - 1,
            bytes: entry.body.length,
            sha256: sha256(entry.body),
          };
        }),
      );
      expect(index.entries.some((e) => e.chunk > 1)).toBe(true);
      for (const [table, stated] of Object.entries(index.tables)) {
        const bodies = tableEntries.filter((_e, i) => index.entries[i]!.table === table).map((e) => e.body);
        const whole = Buffer.concat(bodies);
        expect(stated, table).toEqual({
          rows: whole.toString().split('\n').length - 1,
          bytes: whole.length,
          sha256: sha256(whole),
        });
      }
      expect(summary.tables).toEqual(index.tables);
      expect(summary.totalRows).toBe(Object.values(index.tables).reduce((n, t) => n + t.rows, 0));
      expect(summary.totalRows).toBeGreaterThan(30);
      expect(summary.bytes).toBe(archive.length);
      expect(summary.sha256).toBe(sha256(archive));
      expect(summary.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('writes plain files, readable by all, dated when the export started', async () => {
      const { archive } = await exportToBuffer(database, source.id);
      const entries = await readEntries(archive);
      const { exportedAt } = JSON.parse(entries[0]!.body.toString()) as Manifest;
      for (const { name, header } of entries) {
        expect(header, name).toMatchObject({ type: 'file', mode: 0o644 });
        expect(header.mtime?.getTime(), name).toBe(Math.floor(Date.parse(exportedAt) / 1000) * 1000);
      }
    });

    it('reports the progress of each table, ending with its full counts', async () => {
      const seen = new Map<string, { rows: number; bytes: number }>();
      const { summary } = await exportToBuffer(database, source.id, {
        onProgress: ({ table, rows, bytes }) => seen.set(table, { rows, bytes }),
      });
      expect(Object.fromEntries(seen)).toEqual(
        Object.fromEntries(
          Object.entries(summary.tables).map(([t, s]) => [t, { rows: s.rows, bytes: s.bytes }]),
        ),
      );
    });

    it('reads the organization id in either case, and the same lines with any fetch size', async () => {
      const lower = await readEntries((await exportToBuffer(database, source.id)).archive);
      const upper = await readEntries(
        (await exportToBuffer(database, source.id.toUpperCase(), { fetchRows: 2 })).archive,
      );
      const tableLines = (entries: typeof lower) =>
        entries.slice(1, -1).map((e) => [e.name, e.body.toString()]);
      expect(tableLines(upper)).toEqual(tableLines(lower));
      expect(tableLines(lower).length).toBeGreaterThan(5);
    });

    it('lists each table with the columns of the database, in their order, and its redacted ones', async () => {
      const { archive } = await exportToBuffer(database, source.id);
      const entries = await readEntries(archive);
      const manifest = JSON.parse(entries[0]!.body.toString()) as Manifest;
      const catalog = await queryRows<{ table: string; name: string }>(
        database.db,
        sql`SELECT c.relname AS "table", a.attname AS name FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      );
      expect(manifest.tables.map((t) => t.name)).toEqual(TENANT_TABLES.map((t) => t.name));
      for (const table of manifest.tables) {
        const spec = TENANT_TABLES.find((t) => t.name === table.name)!;
        expect(
          table.columns.map((c) => c.name),
          table.name,
        ).toEqual(catalog.filter((c) => c.table === table.name).map((c) => c.name));
        const redacted = Object.keys(spec.redacted ?? {});
        expect(table.redacted, table.name).toEqual(redacted.length > 0 ? spec.redacted : undefined);
        const body = entries.find((e) => e.name === `${table.name}.ndjson`)!.body.toString();
        for (const line of body.split('\n').filter(Boolean)) {
          const row = JSON.parse(line) as Record<string, unknown>;
          for (const column of redacted) expect(row[column], `${table.name}.${column}`).toBeNull();
        }
      }
      expect(TENANT_TABLES.some((t) => Object.keys(t.redacted ?? {}).length > 0)).toBe(true);
    });

    it('sends the manifest as a gzip member of its own, so the first bytes leave at once', async () => {
      const { archive } = await exportToBuffer(database, source.id);
      // The whole organization is far less than one member (1 MiB): the second member is the rest.
      expect(gzipMembers(archive)).toBe(2);
    });

    it('says how long it took', async () => {
      const before = performance.now();
      const { summary } = await exportToBuffer(database, source.id);
      expect(summary.durationMs).toBeGreaterThanOrEqual(0);
      expect(summary.durationMs).toBeLessThanOrEqual(Math.ceil(performance.now() - before));
    });

    it('refuses an unknown organization by name, and an export aborted before it starts', async () => {
      const missing = '0193ffff-0000-7000-8000-0000000000ee';
      const unknown = exportTenant(database, missing);
      await expect(unknown.done).rejects.toMatchObject({
        code: 'TENANT_NOT_FOUND',
        message: `organization ${missing} does not exist`,
      });
      const controller = new AbortController();
      controller.abort();
      const aborted = exportTenant(database, source.id, { signal: controller.signal });
      await expect(aborted.done).rejects.toThrow('export aborted');
      await expect(collect(aborted.stream)).rejects.toThrow('export aborted');
    });
  });
}
