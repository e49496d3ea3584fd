import { randomBytes } from 'node:crypto';
import { type Database, type Session, connect, inTransaction } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError, restoreTenant } from '../src/index.ts';
import { checkForeignKeys, deferForeignKeysToCommit } from '../src/integrity.ts';
import { foreignKeysByTable } from '../src/references.ts';
import {
  type TarEntry,
  exportToBuffer,
  readEntries,
  tableEntries,
  toStream,
  writeArchive,
} from './support/archive.ts';
import { reindex, replaceBody } from './support/reindex.ts';
import { richArchive } from './support/rich-archive.ts';
import { createTenant, uid } from './support/rich-organization.ts';
import { tenantRowCount } from './support/tenant-rows.ts';

// Restore checks foreign keys one of two ways: set-based before commit when the role may switch the
// per-row triggers off (superusers, as in these tests' default connections), or by PostgreSQL's
// per-row triggers when it may not. Both must refuse every dangling reference and load good archives.

const MISSING = '0193a000-0000-7000-8000-00000000dead';

/** The archive with the first non-null value of `table.column` pointed at a row that does not exist. */
function dangle(entries: TarEntry[], table: string, column: string): TarEntry[] | undefined {
  const name = `${table}.ndjson`;
  const body = entries.find((e) => e.name === name)?.body.toString('utf8');
  if (!body) return undefined;
  const lines = body.split('\n');
  const at = lines.findIndex((line) => line && typeof JSON.parse(line)[column] === 'string');
  if (at < 0) return undefined;
  return replaceBody(entries, name, () => {
    const row = JSON.parse(lines[at]!);
    row[column] = MISSING;
    lines[at] = JSON.stringify(row);
    return lines.join('\n');
  });
}

async function restoreError(database: Database, bytes: Buffer): Promise<BackupError> {
  const target = await createTenant(database);
  const error = await restoreTenant(database, target.id, toStream(bytes)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  expect((error as BackupError).code).toBe('INVALID_ARCHIVE');
  expect(await tenantRowCount(database, target.id)).toBe(0);
  return error as BackupError;
}

for (const backend of testBackends()) {
  describe(`foreign keys at restore on ${backend.kind}`, () => {
    let database: TestDatabase;
    let archive: Buffer;
    let entries: TarEntry[];

    beforeAll(async () => {
      ({ database, archive, entries } = await richArchive(backend));
    });
    afterAll(() => database?.close());

    it('refuses a dangling value in every foreign-key column, naming the table, column and row', async () => {
      const checked: string[] = [];
      for (const [table, keys] of foreignKeysByTable()) {
        for (const { column, refTable } of keys) {
          const altered = dangle(entries, table, column);
          if (!altered) continue;
          const error = await restoreError(database, await writeArchive(reindex(altered)));
          expect(error.errors[0], `${table}.${column}`).toMatchObject({ table, column });
          expect(error.message).toContain(`refers to ${refTable} ${MISSING}, which is not in the archive`);
          checked.push(`${table}.${column}`);
        }
      }
      // The rich organization fills the references that matter most for a book of accounts.
      expect(checked).toEqual(
        expect.arrayContaining([
          'invoices.party_id',
          'invoice_items.invoice_id',
          'invoice_items.item_id',
          'payment_allocations.invoice_id',
          'payment_allocations.payment_id',
        ]),
      );
      expect(checked.length).toBeGreaterThanOrEqual(15);
    });

    it('reports the first 20 dangling references across constraints, and no more', async () => {
      // 12 items of invoices that do not exist, 12 of items that do not exist: the check of the first
      // constraint finds 12, the next may add only 8.
      const altered = replaceBody(entries, 'invoice_items.ndjson', (body) => {
        const row = { ...JSON.parse(body.split('\n')[0]!), variant_id: null };
        const lines = Array.from({ length: 24 }, (_, i) =>
          JSON.stringify({
            ...row,
            id: uid(0x7800000 + i),
            ...(i < 12 ? { invoice_id: uid(0x7900000 + i) } : { item_id: uid(0x7a00000 + i) }),
          }),
        );
        return `${body}${lines.join('\n')}\n`;
      });
      const error = await restoreError(database, await writeArchive(reindex(altered)));
      expect(error.errors).toHaveLength(20);
      expect(error.errors.map((e) => e.column)).toEqual([
        ...Array(12).fill('invoice_id'),
        ...Array(8).fill('item_id'),
      ]);
    });

    it('switches the per-row triggers off for its transaction, and back on to check', async () => {
      const target = await createTenant(database);
      const setting = async (session: Session, name: string) =>
        (await session.query<{ value: string }>('SELECT current_setting($1, true) AS value', [name]))[0]!
          .value;
      await inTransaction(database, 'write', async (session) => {
        expect(await deferForeignKeysToCommit(session)).toBe(true);
        expect(await setting(session, 'session_replication_role')).toBe('replica');
        // So that Citus passes both switches on to its workers.
        expect(await setting(session, 'citus.propagate_set_commands')).toBe('local');
        expect(await checkForeignKeys(session, target.id)).toEqual([]);
        expect(await setting(session, 'session_replication_role')).toBe('origin');
        // Turned off for the check's joins only.
        expect(await setting(session, 'enable_nestloop')).toBe('on');
      });
    });

    describe('as a role that may not switch the triggers off', () => {
      const role = `hisaabo_restorer_${randomBytes(4).toString('hex')}`;
      let restricted: Database;

      beforeAll(async () => {
        await database.db.execute(`CREATE ROLE ${role} LOGIN`);
        await database.db.execute(`GRANT USAGE ON SCHEMA public TO ${role}`);
        await database.db.execute(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
        await database.db.execute(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
        if (database.url) {
          const url = new URL(database.url);
          url.username = role;
          restricted = await connect({ databaseUrl: url.toString(), maxConnections: 2 });
        } else {
          // PGlite has one connection: the role is switched on it, and back in afterAll. Its COPY
          // input is a server-side device (/dev/blob), which a non-superuser reads by this role.
          await database.db.execute(`GRANT pg_read_server_files TO ${role}`);
          await database.db.execute(`SET ROLE ${role}`);
          restricted = database;
        }
      });
      afterAll(async () => {
        if (restricted && restricted !== database) await restricted.close();
        await database.db.execute('RESET ROLE');
        await database.db.execute(`DROP OWNED BY ${role}`);
        await database.db.execute(`DROP ROLE ${role}`);
      });

      it('is indeed refused the switch', async () => {
        const error = await restricted.db.execute('SET session_replication_role = replica').then(
          () => null,
          (e: { code?: string; cause?: { code?: string } }) => e,
        );
        expect(error?.code ?? error?.cause?.code).toBe('42501');
      });

      it('still refuses a dangling reference, through the per-row check', async () => {
        const altered = dangle(entries, 'invoice_items', 'invoice_id')!;
        const error = await restoreError(restricted, await writeArchive(reindex(altered)));
        expect(error.message).toMatch(/refused.*foreign key/);
        expect(error.errors[0]).toMatchObject({ table: 'invoice_items' });
      });

      it('restores a good archive exactly', async () => {
        const target = await createTenant(restricted);
        await restoreTenant(restricted, target.id, toStream(archive));
        const again = await exportToBuffer(restricted, target.id);
        expect(tableEntries(await readEntries(again.archive))).toEqual(tableEntries(entries));
      });
    });
  });
}
