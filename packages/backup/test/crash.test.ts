import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Database, connect, migrate } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreTenant } from '../src/index.ts';
import { exportToBuffer, toStream } from './support/archive.ts';
import { addBulkInvoices } from './support/bulk.ts';
import { createTenant, seedRichOrganization } from './support/rich-organization.ts';
import { tenantRowCount } from './support/tenant-rows.ts';

const child = fileURLToPath(new URL('./support/restore-child.ts', import.meta.url));

/** Starts the restoring child and resolves once it has rows in its open transaction. */
function startRestoringChild(target: string, archivePath: string, location: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, target, archivePath, location], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('LOADING')) resolve(proc);
      if (/FINISHED|FAILED/.test(out)) reject(new Error(`child ended instead of loading: ${out}`));
    });
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    proc.on('exit', (code) => reject(new Error(`child exited (${code}) before loading: ${out}${err}`)));
  });
}

async function kill(proc: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'hisaabo-crash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An archive big enough that the child is mid-way when it stops, and its source organization. */
async function bigArchive(database: Database): Promise<{ file: string; archive: Buffer }> {
  const source = await createTenant(database);
  await seedRichOrganization(database, source.id);
  await addBulkInvoices(database, source.id, 3000);
  const { archive } = await exportToBuffer(database, source.id);
  const file = path.join(scratch, `${source.id}.tar.gz`);
  writeFileSync(file, archive);
  return { file, archive };
}

describe('a restore killed mid-way leaves the target empty, and a retry succeeds', () => {
  for (const backend of testBackends().filter((b) => b.kind === 'postgres')) {
    it('on PostgreSQL', { timeout: 120_000 }, async () => {
      const database: TestDatabase = await backend.create();
      try {
        const { file, archive } = await bigArchive(database);
        const target = await createTenant(database);
        const proc = await startRestoringChild(target.id, file, database.url!);
        await kill(proc);
        expect(await tenantRowCount(database, target.id)).toBe(0);
        const report = await restoreTenant(database, target.id, toStream(archive));
        expect(report.rowsInserted.invoices).toBe(3008);
        expect(await tenantRowCount(database, target.id)).toBeGreaterThan(9000);
      } finally {
        await database.close();
      }
    });
  }

  // Creating a PGlite data directory on disk takes tens of seconds on a busy machine.
  it('on PGlite with its data directory on disk', { timeout: 300_000 }, async () => {
    const dataDir = path.join(scratch, 'pglite');
    let database = await connect({ dataDir });
    await migrate(database);
    const { file, archive } = await bigArchive(database);
    const target = await createTenant(database);
    await database.close();

    const proc = await startRestoringChild(target.id, file, dataDir);
    await kill(proc);

    database = await connect({ dataDir });
    try {
      expect(await tenantRowCount(database, target.id)).toBe(0);
      const report = await restoreTenant(database, target.id, toStream(archive));
      expect(report.rowsInserted.invoices).toBe(3008);
    } finally {
      await database.close();
    }
  });
});
