import { TENANT_TABLES, queryRows } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_VERSION } from '../src/app-version.ts';
import { BackupError, restoreTenant } from '../src/index.ts';
import { type TarEntry, readEntries, toStream, writeArchive } from './support/archive.ts';
import { reindex, replaceBody } from './support/reindex.ts';
import { richArchive } from './support/rich-archive.ts';
import { createTenant, uid } from './support/rich-organization.ts';
import { tenantRowCount } from './support/tenant-rows.ts';
import { failureOf } from './support/walk.ts';

// What a restore tells its caller besides the rows: the warnings (exactly those that apply), the
// progress of a large table, its duration, and the precise refusals of a target or a database it
// cannot restore into.

for (const backend of testBackends()) {
  describe(`a restore's report on ${backend.kind}`, () => {
    let database: TestDatabase;
    let archive: Buffer;
    let entries: TarEntry[];

    beforeAll(async () => {
      ({ database, archive, entries } = await richArchive(backend));
    });
    afterAll(() => database?.close());

    const REDACTED = {
      table: 'businesses',
      message: expect.stringMatching(/^einvoice_password is not in backups \(.+\)$/),
    };

    it('warns of exactly what applies: the redacted column, and nothing paused when nothing was', async () => {
      const target = await createTenant(database);
      const started = performance.now();
      const report = await restoreTenant(database, target.id, toStream(archive));
      const elapsed = performance.now() - started;
      expect(report.warnings).toEqual([REDACTED]);
      expect(report.pausedRecurringTemplates).toBe(0);
      expect(report.durationMs).toBeGreaterThanOrEqual(0);
      expect(report.durationMs).toBeLessThanOrEqual(Math.ceil(elapsed) + 1);
    });

    it('names the releases when an archive comes from another one, and counts the paused templates', async () => {
      const older = replaceBody(entries, 'manifest.json', (b) =>
        b.replace(`"appVersion": "${APP_VERSION}"`, '"appVersion": "0.0.9"'),
      );
      expect(older[0]!.body.toString()).toContain('"appVersion": "0.0.9"');
      const target = await createTenant(database);
      const report = await restoreTenant(database, target.id, toStream(await writeArchive(reindex(older))), {
        pauseRecurring: true,
      });
      expect(report.warnings).toEqual([
        REDACTED,
        { message: `the archive was written by Hisaabo 0.0.9; this server is ${APP_VERSION}` },
        { table: 'recurring_invoice_templates', message: '1 recurring template(s) restored paused' },
      ]);
      expect(report.source.appVersion).toBe('0.0.9');
    });

    it('reports the progress of a large table every 5,000 rows and at its end', async () => {
      const extra = 12_345;
      const grown = replaceBody(entries, 'expense_categories.ndjson', (body) => {
        const row = JSON.parse(body.split('\n')[0]!);
        const more = Array.from({ length: extra }, (_, i) =>
          JSON.stringify({ ...row, id: uid(0x7700000 + i), name: `Category ${i}` }),
        );
        return `${body}${more.join('\n')}\n`;
      });
      const rows = grown
        .find((e) => e.name === 'expense_categories.ndjson')!
        .body.toString()
        .split('\n')
        .filter(Boolean).length;
      const target = await createTenant(database);
      const progress: { table: string; rows: number }[] = [];
      const report = await restoreTenant(database, target.id, toStream(await writeArchive(reindex(grown))), {
        onProgress: (p) => progress.push(p),
      });
      expect(report.rowsInserted.expense_categories).toBe(rows);
      const categories = progress.filter((p) => p.table === 'expense_categories').map((p) => p.rows);
      // One report as each multiple of 5,000 is passed (with the rows loaded by then), one at the end.
      expect(categories).toHaveLength(Math.floor(rows / 5000) + 1);
      expect(categories.at(-1)).toBe(rows);
      categories.slice(0, -1).forEach((n, i) => {
        expect(n).toBeGreaterThanOrEqual((i + 1) * 5000);
        expect(n).toBeLessThan((i + 2) * 5000);
      });
      expect(new Set(progress.map((p) => p.table))).toEqual(new Set(TENANT_TABLES.map((t) => t.name)));
    });

    it('names what the target already holds, and an organization that does not exist', async () => {
      const target = await createTenant(database);
      await restoreTenant(database, target.id, toStream(archive));
      const full = (await failureOf(restoreTenant(database, target.id, toStream(archive)))) as BackupError;
      expect(full.code).toBe('TARGET_NOT_EMPTY');
      expect(full.message).toMatch(
        /^the organization is not empty \(it has ([a-z_]+, )*businesses(, [a-z_]+)*\); restore needs an empty organization$/,
      );
      const missing = '0193ffff-0000-7000-8000-00000000dead';
      const none = (await failureOf(restoreTenant(database, missing, toStream(archive)))) as BackupError;
      expect(none.code).toBe('TENANT_NOT_FOUND');
      expect(none.message).toBe(`organization ${missing} does not exist`);
    });

    it('refuses a database whose schema is not the migrated one, before reading the archive', async () => {
      const target = await createTenant(database);
      await database.db.execute(sql.raw('ALTER TABLE expense_categories ADD COLUMN colour text'));
      try {
        const error = await failureOf(restoreTenant(database, target.id, toStream(archive)));
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(
          /^the database schema \(sha256:[0-9a-f]{64}\) is not the one of schema version \d+: apply the migrations first$/,
        );
      } finally {
        await database.db.execute(sql.raw('ALTER TABLE expense_categories DROP COLUMN colour'));
      }
      expect(await tenantRowCount(database, target.id)).toBe(0);
    });

    it('an archive refused before its first table is read: the archive at fault, nothing loaded', async () => {
      // The first table's entry missing: the walk stops before any table has started loading.
      const first = entries[1]!.name;
      const without = (await readEntries(archive)).filter((e) => e.name !== first);
      const target = await createTenant(database);
      const error = (await failureOf(
        restoreTenant(database, target.id, toStream(await writeArchive(without))),
      )) as BackupError;
      expect(error).toBeInstanceOf(BackupError);
      expect(error.code).toBe('INVALID_ARCHIVE');
      expect(error.message).toContain(first);
      expect(await tenantRowCount(database, target.id)).toBe(0);
    });

    it('a row the database refuses mid-table: the COPY is given up and the same connection restores next', async () => {
      // Two rows with one id: the database refuses the second inside the table's COPY.
      const twice = replaceBody(entries, 'parties.ndjson', (body) => body + body.split('\n')[0]! + '\n');
      const target = await createTenant(database);
      const error = (await failureOf(
        restoreTenant(database, target.id, toStream(await writeArchive(reindex(twice)))),
      )) as BackupError;
      expect(error).toBeInstanceOf(BackupError);
      expect(error.code).toBe('INVALID_ARCHIVE');
      expect(error.message).toMatch(/the database refused rows of the archive: .*duplicate key/);
      expect(await tenantRowCount(database, target.id)).toBe(0);
      const report = await restoreTenant(database, target.id, toStream(archive));
      expect(report.rowsInserted.parties).toBeGreaterThan(0);
      const [row] = await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM parties WHERE tenant_id = ${target.id}`,
      );
      expect(row!.n).toBe(report.rowsInserted.parties);
    });
  });
}
