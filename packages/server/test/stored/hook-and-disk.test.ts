import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, tenants } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { runStoredBackup } from '../../src/backup/stored/run.ts';
import { listStoredBackups } from '../../src/backup/stored/store.ts';
import { createLogger } from '../../src/logger.ts';
import { seedBusiness } from '../backup-support.ts';
import { filesOf, settingsFor, tempBackupDir } from './support.ts';

const logger = createLogger({ level: 'silent' });
const [pglite] = testBackends();

describe('stored backups: the operator hook', () => {
  let database: TestDatabase;
  let tenantId: string;
  const dir = tempBackupDir();
  const backupDir = path.join(dir.directory, 'backups');

  beforeAll(async () => {
    database = await pglite!.create();
    tenantId = newId();
    await database.db.insert(tenants).values({ id: tenantId, name: 'Hooked', slug: 'hooked' });
    await seedBusiness(database.db, tenantId);
  });
  afterAll(async () => {
    await database?.close();
    await dir.cleanup();
  });

  const run = (hook: string, hookTimeoutSeconds = 60) =>
    runStoredBackup(
      database,
      settingsFor(backupDir, { hook, hookTimeoutSeconds }),
      { tenantId, trigger: 'cli', keep: 10, recipients: [] },
      logger,
    );

  it('is given the file and the organization, after the backup is verified', async () => {
    const seen = path.join(dir.directory, 'seen.txt');
    const outcome = await run(
      `printf '%s|%s|%s|%s' "$HISAABO_BACKUP_FILE" "$HISAABO_BACKUP_TENANT_ID" "$HISAABO_BACKUP_TENANT_SLUG" "$HISAABO_BACKUP_ID" > ${seen}; test -s "$HISAABO_BACKUP_FILE"`,
    );
    expect(outcome).toMatchObject({ status: 'verified', hookOutcome: 'succeeded' });
    if (outcome?.status !== 'verified') return;
    expect(readFileSync(seen, 'utf8')).toBe(`${outcome.file}|${tenantId}|hooked|${outcome.id}`);
  });

  it('a failing hook is recorded and deletes nothing', async () => {
    const outcome = await run('echo "bucket not found" >&2; exit 3');
    expect(outcome).toMatchObject({ status: 'verified', hookOutcome: 'failed: exit 3: bucket not found' });
    if (outcome?.status !== 'verified') return;
    expect(filesOf(backupDir, tenantId)).toContain(path.basename(outcome.file));
    const [listed] = await listStoredBackups(database.db, tenantId);
    expect(listed).toMatchObject({
      id: outcome.id,
      status: 'verified',
      hookOutcome: 'failed: exit 3: bucket not found',
    });
  });

  it('a hook past its timeout is killed, recorded, and the backup kept', async () => {
    const began = Date.now();
    const outcome = await run('sleep 30', 1);
    expect(Date.now() - began).toBeLessThan(20_000);
    expect(outcome).toMatchObject({
      status: 'verified',
      hookOutcome: 'failed: timed out after 1 s (killed)',
    });
    if (outcome?.status !== 'verified') return;
    expect(filesOf(backupDir, tenantId)).toContain(path.basename(outcome.file));
  });
});

/** A real full disk needs a small file system of its own: a tmpfs, which only root may mount. */
function mountSmallDisk(at: string, size: string): boolean {
  try {
    mkdirSync(at, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('stored backups: a full disk', () => {
  let database: TestDatabase;
  let tenantId: string;
  const dir = tempBackupDir();
  const disk = path.join(dir.directory, 'disk');
  const mounted = process.platform === 'linux' && mountSmallDisk(disk, '1m');

  beforeAll(async () => {
    database = await pglite!.create();
    tenantId = newId();
    await database.db.insert(tenants).values({ id: tenantId, name: 'Full', slug: 'full' });
    await seedBusiness(database.db, tenantId);
  });
  afterAll(async () => {
    await database?.close();
    if (mounted) execFileSync('umount', [disk]);
    await dir.cleanup();
  });

  it.skipIf(!mounted)('fails the run clearly, leaves no partial file and keeps older backups', async () => {
    const settings = settingsFor(disk);
    const request = { tenantId, trigger: 'cli' as const, keep: 1, recipients: [] };
    const first = await runStoredBackup(database, settings, request, logger);
    expect(first?.status).toBe('verified');
    if (first?.status !== 'verified') return;
    const before = readFileSync(first.file);

    // Leave less room than a backup needs.
    const free = Number(execFileSync('df', ['--output=avail', '-B1', disk]).toString().split('\n')[1]);
    writeFileSync(path.join(disk, 'filler'), Buffer.alloc(Math.max(0, free - 1024)));

    const second = await runStoredBackup(database, settings, request, logger);
    expect(second).toMatchObject({
      status: 'failed',
      error: `the disk is full: could not write the backup into ${disk}; older backups are kept`,
    });
    expect(filesOf(disk, tenantId)).toEqual([path.basename(first.file)]);
    expect(readFileSync(first.file).equals(before)).toBe(true);
    const listed = await listStoredBackups(database.db, tenantId);
    expect(listed.map((b) => [b.id, b.status])).toEqual([
      [second!.id, 'failed'],
      [first.id, 'verified'],
    ]);
  });
});
