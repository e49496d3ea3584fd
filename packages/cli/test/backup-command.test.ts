import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, newId, tenants } from '@hisaabo/db';
import { copyMigratedDataDir, testBackends } from '@hisaabo/db/testing';
import { seedDemoOrganization } from '@hisaabo/domain';
import { sweepPartials } from '../../server/src/backup/stored/rotation.ts';
import { listStoredBackups } from '../../server/src/backup/stored/store.ts';
import { type TestServer, startTestServer } from '../../server/test/support/server.ts';
import { createTenant, ok, registerUser } from '../../server/test/support/trpc.ts';
import { BIN, CliSandbox, describeRun } from './support/cli.ts';
import { TEST_SECRET } from './support/servers.ts';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const visible = (folder: string) => {
  try {
    return readdirSync(folder)
      .filter((name) => !name.startsWith('.'))
      .sort();
  } catch {
    return [];
  }
};

describe('hisaabo backup run --local (embedded database of a stopped server)', () => {
  const sandbox = new CliSandbox();
  const dataDir = sandbox.path('data');
  const backupDir = sandbox.path('backups');
  const tenantId = newId();
  const folder = path.join(backupDir, tenantId);
  const env = { HISAABO_BACKUP_DIR: backupDir };
  const run = (args: string[]) =>
    sandbox.run(['backup', 'run', '--local', '--data-dir', dataDir, ...args, '--json'], { env });

  beforeAll(async () => {
    await copyMigratedDataDir(path.join(dataDir, 'pglite'));
    const database = await connect({ dataDir: path.join(dataDir, 'pglite') });
    try {
      await database.db.insert(tenants).values({ id: tenantId, name: 'Acme', slug: 'acme' });
      await seedDemoOrganization(database, { tenantId, invoices: 400 });
    } finally {
      await database.close();
    }
  });
  afterAll(() => sandbox.remove());

  it('refuses without --local, and without saying which organizations', async () => {
    const noLocal = await sandbox.run(['backup', 'run', '--all'], { env });
    expect(noLocal.code, describeRun(noLocal)).toBe(64);
    expect(noLocal.stderr).toContain('add --local');
    const noTarget = await sandbox.run(['backup', 'run', '--local', '--data-dir', dataDir], { env });
    expect(noTarget.code, describeRun(noTarget)).toBe(64);
  });

  it('writes a verified backup into HISAABO_BACKUP_DIR, and rotates with --keep', async () => {
    const first = await run(['--tenant', 'acme', '--keep', '2']);
    expect(first.code, describeRun(first)).toBe(0);
    const report = JSON.parse(first.stdout) as {
      results: { status: string; file: string; totalRows: number }[];
    };
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ status: 'verified' });
    expect(report.results[0]!.file.startsWith(`${folder}/hisaabo-acme-`)).toBe(true);
    expect(report.results[0]!.totalRows).toBeGreaterThan(400);

    const all = await run(['--all', '--keep', '1']);
    expect(all.code, describeRun(all)).toBe(0);
    const second = (JSON.parse(all.stdout) as { results: { file: string; deleted: string[] }[] }).results[0]!;
    expect(second.deleted).toEqual([path.basename(report.results[0]!.file)]);
    expect(visible(folder)).toEqual([path.basename(second.file)]);
  });

  it('SIGKILL mid-write leaves no file that counts and loses no older backup', async () => {
    const [older] = visible(folder);
    const olderBytes = readFileSync(path.join(folder, older!));
    mkdirSync(folder, { recursive: true });
    const child = spawn(
      process.execPath,
      [BIN, 'backup', 'run', '--local', '--data-dir', dataDir, '--tenant', 'acme', '--keep', '1'],
      {
        env: { ...sandbox.baseEnv(), ...env },
        stdio: 'ignore',
      },
    );
    // Killed the moment its temporary file appears: mid-write.
    const watcher = watch(folder, (_event, name) => {
      if (name?.endsWith('.partial')) child.kill('SIGKILL');
    });
    const exit = await new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    watcher.close();
    expect(exit).toBe('SIGKILL');
    expect(visible(folder)).toEqual([older]);
    expect(readFileSync(path.join(folder, older!)).equals(olderBytes)).toBe(true);

    const database = await connect({ dataDir: path.join(dataDir, 'pglite') });
    try {
      // The killed run is not listed as a backup, and once taken for dead its partial file goes.
      const verified = await listStoredBackups(database.db, tenantId, { status: 'verified' });
      expect(verified.map((b) => b.fileName)).toEqual([older]);
      const runs = await listStoredBackups(database.db, tenantId, { staleAfterMs: 0 });
      expect(runs[0]).toMatchObject({ status: 'failed' });
      await sweepPartials(database.db, backupDir, tenantId);
      expect(readdirSync(folder)).toEqual([older]);
    } finally {
      await database.close();
    }

    // And the next run works as usual.
    const next = await run(['--tenant', 'acme', '--keep', '1']);
    expect(next.code, describeRun(next)).toBe(0);
    expect(visible(folder)).toHaveLength(1);
    expect(visible(folder)).not.toEqual([older]);
  });
});

describe.each(testBackends().slice(-1))('hisaabo backup list / download ($kind)', (backend) => {
  const sandbox = new CliSandbox();
  const backupDir = sandbox.path('backups');
  let server: TestServer;
  let tenantSlug: string;

  beforeAll(async () => {
    server = await startTestServer(backend, {
      env: { HISAABO_SECRET: TEST_SECRET, HISAABO_BACKUP_DIR: backupDir },
    });
    const owner = await registerUser(server.url);
    const org = await createTenant(server.url, owner.token);
    tenantSlug = org.slug;
    await ok(server.url, 'backupSchedule.runNow', { tenantId: org.id }, { token: owner.token });
    for (let i = 0; i < 400; i++) {
      const { backups } = await ok<{ backups: { status: string }[] }>(
        server.url,
        'storedBackup.list',
        { tenantId: org.id },
        { token: owner.token },
      );
      if (backups[0]?.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const login = await sandbox.run(
      ['login', '--api-url', server.url, '--email', owner.email, '--password-stdin'],
      {
        input: `${owner.password}\n`,
      },
    );
    expect(login.code, describeRun(login)).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
    sandbox.remove();
  });

  it('lists the stored backups and downloads one as stored', async () => {
    const listed = await sandbox.run(['backup', 'list', '--tenant', tenantSlug, '--json']);
    expect(listed.code, describeRun(listed)).toBe(0);
    const { backups } = JSON.parse(listed.stdout) as {
      backups: { id: string; status: string; fileName: string }[];
    };
    expect(backups).toHaveLength(1);
    expect(backups[0]!.status).toBe('verified');
    const human = await sandbox.run(['backup', 'list', '--tenant', tenantSlug]);
    expect(human.stdout).toContain(backups[0]!.id);

    const target = sandbox.path('copy.tar.gz');
    const downloaded = await sandbox.run([
      'backup',
      'download',
      '--tenant',
      tenantSlug,
      '--id',
      backups[0]!.id,
      '-o',
      target,
    ]);
    expect(downloaded.code, describeRun(downloaded)).toBe(0);
    const [folder] = readdirSync(backupDir);
    const original = readFileSync(path.join(backupDir, folder!, backups[0]!.fileName));
    expect(readFileSync(target).equals(original)).toBe(true);

    const unknown = await sandbox.run([
      'backup',
      'download',
      '--tenant',
      tenantSlug,
      '--id',
      newId(),
      '-o',
      sandbox.path('x.tar.gz'),
    ]);
    expect(unknown.code, describeRun(unknown)).toBe(1);
  });
});
