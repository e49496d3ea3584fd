import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TENANT_TABLES, catalogColumns, queryRows } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreTenant, verifyArchive } from '../src/index.ts';
import { exportToBuffer, readEntries, tableEntries, toStream } from './support/archive.ts';
import { gzipMembers } from './support/gzip-members.ts';
import { createTenant, seedRichOrganization } from './support/rich-organization.ts';

/** Rows of one organization's table, as PostgreSQL compares them, without tenant_id or redacted columns. */
async function differingRows(database: TestDatabase, table: string, a: string, b: string): Promise<number> {
  const spec = TENANT_TABLES.find((t) => t.name === table)!;
  const columns = (await catalogColumns(database.db))
    .filter((c) => c.table === table && c.name !== 'tenant_id' && !(c.name in (spec.redacted ?? {})))
    .map((c) => `"${c.name}"`)
    .join(', ');
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql.raw(`SELECT
      (SELECT count(*) FROM (SELECT ${columns} FROM "${table}" WHERE tenant_id = '${a}'
                             EXCEPT ALL SELECT ${columns} FROM "${table}" WHERE tenant_id = '${b}') x)::int +
      (SELECT count(*) FROM (SELECT ${columns} FROM "${table}" WHERE tenant_id = '${b}'
                             EXCEPT ALL SELECT ${columns} FROM "${table}" WHERE tenant_id = '${a}') y)::int AS n`),
  );
  return row!.n;
}

for (const backend of testBackends()) {
  describe(`round trip on ${backend.kind}`, () => {
    let database: TestDatabase;
    let source: { id: string; slug: string };
    let archive: Buffer;

    beforeAll(async () => {
      database = await backend.create();
      source = await createTenant(database, 'chai-and-sons');
      await seedRichOrganization(database, source.id);
      ({ archive } = await exportToBuffer(database, source.id));
    });
    afterAll(() => database?.close());

    it('writes manifest.json first, every table in registry order, index.json last', async () => {
      const names = (await readEntries(archive)).map((e) => e.name);
      expect(names).toEqual(['manifest.json', ...TENANT_TABLES.map((t) => `${t.name}.ndjson`), 'index.json']);
    });

    it('is a .tar.gz that GNU tar lists and extracts', async () => {
      const listed = execFileSync('tar', ['-tzf', '-'], { input: archive }).toString().trim().split('\n');
      expect(listed).toEqual((await readEntries(archive)).map((e) => e.name));
      const dir = mkdtempSync(path.join(tmpdir(), 'hisaabo-archive-'));
      try {
        execFileSync('tar', ['-xzf', '-', '-C', dir], { input: archive });
        for (const entry of await readEntries(archive)) {
          expect(readFileSync(path.join(dir, entry.name)).equals(entry.body), entry.name).toBe(true);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('is several gzip members, compressed in parallel, that gzip, GNU tar and the reader accept', async () => {
      const { archive: members } = await exportToBuffer(database, source.id, { gzipMemberBytes: 4096 });
      expect(gzipMembers(members)).toBeGreaterThan(5);
      execFileSync('gzip', ['-t'], { input: members });
      const listed = execFileSync('tar', ['-tzf', '-'], { input: members }).toString().trim().split('\n');
      expect(listed).toEqual((await readEntries(archive)).map((e) => e.name));
      // The same table entries as an export cut into members of the default size.
      expect(tableEntries(await readEntries(members))).toEqual(tableEntries(await readEntries(archive)));
      expect((await verifyArchive(toStream(members))).ok).toBe(true);
      const target = await createTenant(database);
      await restoreTenant(database, target.id, toStream(members));
      for (const spec of TENANT_TABLES) {
        expect(await differingRows(database, spec.name, source.id, target.id), spec.name).toBe(0);
      }
    });

    it('covers every tenant table and every column (coverage guard), each table non-empty', async () => {
      const entries = tableEntries(await readEntries(archive));
      const columns = await catalogColumns(database.db);
      for (const spec of TENANT_TABLES) {
        const body = entries.get(`${spec.name}.ndjson`);
        expect(body, spec.name).toBeDefined();
        const lines = body!.toString('utf8').split('\n').filter(Boolean);
        expect(lines.length, `${spec.name} has rows`).toBeGreaterThan(0);
        const expected = columns
          .filter((c) => c.table === spec.name && c.name !== 'tenant_id')
          .map((c) => c.name);
        for (const line of lines) expect(Object.keys(JSON.parse(line)), spec.name).toEqual(expected);
      }
    });

    it('encodes values exactly: decimals as stored, microseconds, bytes, JSON, unicode, redaction', async () => {
      const entries = tableEntries(await readEntries(archive));
      const business = JSON.parse(entries.get('businesses.ndjson')!.toString('utf8').split('\n')[0]!);
      expect(business.name).toBe('Chai ☕ & Sons — मुंबई 🚀');
      expect(business.created_at).toBe('2024-04-01T00:00:00.000001Z');
      expect(business.logo.__type).toBe('bytes');
      expect(business.einvoice_password).toBeNull();
      expect(business.einvoice_username).toBe('chai_api');
      expect(business.settings.theme).toEqual({ dark: true, accent: '#ff9900' });
      const party = JSON.parse(entries.get('parties.ndjson')!.toString('utf8').split('\n')[0]!);
      expect(party.opening_balance).toBe('9999999999999.99');
      expect(party.credit_limit).toBe('-9999999999999.99');
      const second = JSON.parse(entries.get('businesses.ndjson')!.toString('utf8').split('\n')[1]!);
      expect(second.updated_at).toBe('2000-01-01T00:00:00.000000Z');
      expect(second.financial_year_start_month).toBe(1);
    });

    it('verifies offline', async () => {
      const report = await verifyArchive(toStream(archive));
      expect(report.errors).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.tables.invoices?.rows).toBe(8);
    });

    it('restores into a new organization exactly: rows equal, re-export byte-identical', async () => {
      const target = await createTenant(database);
      const report = await restoreTenant(database, target.id, toStream(archive));
      expect(report.rowsInserted.invoices).toBe(8);
      expect(report.source).toMatchObject({ tenantId: source.id, slug: 'chai-and-sons' });
      expect(report.compatibility.schemaChecksumMatch).toBe(true);
      expect(report.warnings.some((w) => w.message.includes('einvoice_password'))).toBe(true);
      for (const spec of TENANT_TABLES) {
        expect(await differingRows(database, spec.name, source.id, target.id), spec.name).toBe(0);
      }
      const again = tableEntries(await readEntries((await exportToBuffer(database, target.id)).archive));
      const first = tableEntries(await readEntries(archive));
      expect([...again.keys()]).toEqual([...first.keys()]);
      for (const [name, body] of first) expect(again.get(name)!.equals(body), name).toBe(true);
    });

    it('writes self-references in the COPY itself when foreign keys are checked at commit', async () => {
      // PGlite's role and the test server's are superusers, so the restore checks foreign keys
      // set-based before commit; a row and its reference to a row of the same table are then one
      // insert, with no UPDATE pass afterwards (which would leave the row's live version written by
      // a later command of the transaction).
      const target = await createTenant(database);
      await restoreTenant(database, target.id, toStream(archive));
      for (const [table, column] of [
        ['invoices', 'reference_invoice_id'],
        ['bank_transactions', 'transfer_pair_id'],
      ]) {
        const [row] = await queryRows<{ refs: number; commands: number }>(
          database.db,
          sql.raw(`SELECT count(${column})::int AS refs, count(DISTINCT cmin::text)::int AS commands
                   FROM ${table} WHERE tenant_id = '${target.id}'`),
        );
        expect(row!.refs, table).toBeGreaterThan(0);
        expect(row!.commands, table).toBe(1);
      }
    });

    it('restores recurring templates paused when asked, and reports progress', async () => {
      const target = await createTenant(database);
      const progress: string[] = [];
      const report = await restoreTenant(database, target.id, toStream(archive), {
        pauseRecurring: true,
        onProgress: (p) => progress.push(p.table),
      });
      expect(report.pausedRecurringTemplates).toBe(1);
      expect(report.warnings.some((w) => w.table === 'recurring_invoice_templates')).toBe(true);
      const rows = await queryRows<{ status: string }>(
        database.db,
        sql`SELECT status FROM recurring_invoice_templates WHERE tenant_id = ${target.id}`,
      );
      expect(rows.map((r) => r.status)).toEqual(['paused']);
      expect(new Set(progress)).toEqual(new Set(TENANT_TABLES.map((t) => t.name)));
    });

    it('restores the same archive into two more organizations side by side', async () => {
      const [x, y] = [await createTenant(database), await createTenant(database)];
      await restoreTenant(database, x.id, toStream(archive));
      await restoreTenant(database, y.id, toStream(archive));
      for (const spec of TENANT_TABLES) {
        expect(await differingRows(database, spec.name, x.id, y.id), spec.name).toBe(0);
        expect(await differingRows(database, spec.name, source.id, y.id), spec.name).toBe(0);
      }
    });
  });
}
