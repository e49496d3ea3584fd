import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { type TestServer, startTestServer } from '../../server/test/support/server.ts';
import { registerUser } from '../../server/test/support/trpc.ts';
import { exportToFile, tableEntries } from './support/archives.ts';
import { CliSandbox, describeRun } from './support/cli.ts';
import { startServeProcess, TEST_SECRET } from './support/servers.ts';

// The operator's path when an instance is gone: its server is stopped, its data directory is all
// that is left. `hisaabo export --local` reads it through the backup engine, and the archive is
// restored into another, running server (PostgreSQL when available: embedded to server migration).

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

describe('disaster recovery with --local', () => {
  const sandbox = new CliSandbox();
  const dataDir = sandbox.path('old-instance');
  let target: TestServer;

  beforeAll(async () => {
    const serve = await startServeProcess(dataDir, sandbox.baseEnv());
    try {
      const registered = await sandbox.run(
        [
          'register',
          '--api-url',
          serve.url,
          '--email',
          'operator@example.com',
          '--name',
          'Operator',
          '--password-stdin',
        ],
        { input: 'operator password\n' },
      );
      expect(registered.code, describeRun(registered)).toBe(0);
      const created = await sandbox.run([
        'tenant',
        'create',
        '--slug',
        'old-company',
        '--name',
        'Old Company',
      ]);
      expect(created.code, describeRun(created)).toBe(0);
    } finally {
      await serve.stop();
    }
    const backend = testBackends().at(-1)!;
    target = await startTestServer(backend, { env: { HISAABO_SECRET: TEST_SECRET } });
  });

  afterAll(async () => {
    await target?.close();
    sandbox.remove();
  });

  it('seeds, exports and migrates the stopped instance directly', async () => {
    const migrate = await sandbox.run(['db', 'migrate', '--data-dir', dataDir]);
    expect(migrate.code, describeRun(migrate)).toBe(0);
    expect(migrate.stdout).toContain('already at schema version');
    const seeded = await sandbox.run([
      'demo',
      'seed',
      '--tenant',
      'old-company',
      '--invoices',
      '30',
      '--data-dir',
      dataDir,
    ]);
    expect(seeded.code, describeRun(seeded)).toBe(0);
    const exported = await sandbox.run([
      'export',
      '--local',
      '--data-dir',
      dataDir,
      '--tenant',
      'old-company',
      '-o',
      'rescued.tar.gz',
    ]);
    expect(exported.code, describeRun(exported)).toBe(0);
    expect(exported.stdout).toMatch(/invoices\s+30 rows/);
  });

  it('restores the rescued archive into a running server, exactly', async () => {
    const user = await registerUser(target.url, { email: 'new-home@example.com' });
    const env = { HISAABO_API_URL: target.url, HISAABO_TOKEN: user.token };
    const created = await sandbox.run(['tenant', 'create', '--slug', 'old-company', '--json'], { env });
    expect(created.code, describeRun(created)).toBe(0);
    const restored = await sandbox.run(
      ['restore', '--tenant', 'old-company', '-i', 'rescued.tar.gz', '--yes'],
      { env },
    );
    expect(restored.code, describeRun(restored)).toBe(0);
    const copy = sandbox.path('restored.tar.gz');
    await exportToFile(target.database, JSON.parse(created.stdout).id, copy);
    expect(await tableEntries(copy)).toEqual(await tableEntries(sandbox.path('rescued.tar.gz')));
  });
});
