import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { type TestServer, startTestServer } from '../../server/test/support/server.ts';
import { addMember, call, registerUser, type TestUser } from '../../server/test/support/trpc.ts';
import { exportToFile, seedSmall, tableEntries } from './support/archives.ts';
import { CliSandbox, describeRun } from './support/cli.ts';
import { TEST_SECRET } from './support/servers.ts';

// The real binary, as a child process, against the real server over HTTP.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/** A port nothing listens on: the "server down" of these tests. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

describe.each(testBackends())('hisaabo against a running server ($kind)', (backend) => {
  let server: TestServer;
  let owner: TestUser;
  const sandbox = new CliSandbox();
  const ids: Record<string, string> = {};

  /** Runs the CLI as the logged-in owner (credentials from the sandbox's config file). */
  const hisaabo = (args: string[], input?: string) => sandbox.run(args, { input });

  async function createOrganization(slug: string): Promise<string> {
    const result = await hisaabo(['tenant', 'create', '--slug', slug, '--name', `Org ${slug}`, '--json']);
    expect(result.code, describeRun(result)).toBe(0);
    const id = JSON.parse(result.stdout).id as string;
    ids[slug] = id;
    return id;
  }

  async function rowsIn(slug: string): Promise<number> {
    const file = sandbox.path(`${slug}-check-${Date.now()}.tar.gz`);
    await exportToFile(server.database, ids[slug]!, file);
    let rows = 0;
    for (const bytes of (await tableEntries(file)).values()) {
      rows += bytes.toString('utf8').split('\n').filter(Boolean).length;
    }
    return rows;
  }

  beforeAll(async () => {
    server = await startTestServer(backend, { env: { HISAABO_SECRET: TEST_SECRET } });
    owner = await registerUser(server.url, { email: `owner-${backend.kind}@example.com`, name: 'Owner' });
  });

  afterAll(async () => {
    await server?.close();
    sandbox.remove();
  });

  describe('accounts', () => {
    it('logs in with --password-stdin, keeps the credential 0600 and never prints it', async () => {
      const result = await hisaabo(
        ['login', '--api-url', server.url, '--email', owner.email, '--password-stdin'],
        `${owner.password}\n`,
      );
      expect(result.code, describeRun(result)).toBe(0);
      expect(result.stdout).toContain(`Logged in to ${server.url} as Owner <${owner.email}>`);
      expect(result.stdout).toContain('No organization yet');
      expect(statSync(sandbox.configFile).mode & 0o777).toBe(0o600);
      const config = JSON.parse(readFileSync(sandbox.configFile, 'utf8'));
      expect(config).toMatchObject({ apiUrl: server.url, email: owner.email, tokenKind: 'session' });
      expect(result.stdout + result.stderr).not.toContain(config.token);
      const whoami = await hisaabo(['whoami', '--json']);
      expect(whoami.code, describeRun(whoami)).toBe(0);
      expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { email: owner.email }, organizations: [] });
    });

    it('refuses a wrong password with exit 1 and keeps the existing login', async () => {
      const result = await hisaabo(
        ['login', '--api-url', server.url, '--email', owner.email, '--password-stdin'],
        'wrong password\n',
      );
      expect(result.code, describeRun(result)).toBe(1);
      expect(result.stderr).toContain('Email or password is incorrect');
      expect((await hisaabo(['whoami'])).code).toBe(0);
    });

    it('creates, lists and selects organizations', async () => {
      await createOrganization('my-company');
      await createOrganization('new-company');
      const taken = await hisaabo(['tenant', 'create', '--slug', 'my-company']);
      expect(taken.code, describeRun(taken)).toBe(64);
      expect(taken.stderr).toContain('already taken');
      const select = await hisaabo(['tenant', 'select', 'my-company']);
      expect(select.code, describeRun(select)).toBe(0);
      const list = await hisaabo(['tenant', 'list']);
      expect(list.stdout).toMatch(/\* my-company\s+owner/);
      expect(list.stdout).toMatch(/ {2}new-company\s+owner/);
    });

    it('registers a new account and logs in with it; HISAABO_TOKEN and HISAABO_API_URL override the login', async () => {
      const other = new CliSandbox();
      try {
        const result = await other.run(
          [
            'register',
            '--api-url',
            server.url,
            '--email',
            `new-${backend.kind}@example.com`,
            '--name',
            'Newcomer',
            '--password-stdin',
          ],
          { input: 'a long enough password\n' },
        );
        expect(result.code, describeRun(result)).toBe(0);
        const whoami = await other.run(['whoami']);
        expect(whoami.stdout).toContain(`Newcomer <new-${backend.kind}@example.com>`);
        const asOwner = await other.run(['whoami', '--json'], { env: { HISAABO_TOKEN: owner.token } });
        expect(JSON.parse(asOwner.stdout).user.email).toBe(owner.email);
        const down = await other.run(['whoami'], {
          env: { HISAABO_API_URL: `http://127.0.0.1:${await closedPort()}`, HISAABO_TOKEN: owner.token },
        });
        expect(down.code, describeRun(down)).toBe(5);
        expect(down.stderr).toContain('cannot reach the Hisaabo server');
      } finally {
        other.remove();
      }
    });

    it('logs out: the session is revoked on the server and forgotten locally', async () => {
      const other = new CliSandbox();
      try {
        const login = await other.run(
          ['login', '--api-url', server.url, '--email', owner.email, '--password-stdin'],
          {
            input: owner.password,
          },
        );
        expect(login.code, describeRun(login)).toBe(0);
        const token = JSON.parse(readFileSync(other.configFile, 'utf8')).token as string;
        const logout = await other.run(['logout']);
        expect(logout.code, describeRun(logout)).toBe(0);
        expect(JSON.parse(readFileSync(other.configFile, 'utf8')).token).toBeUndefined();
        expect((await call(server.url, 'auth.me', undefined, { token })).status).toBe(401);
        const whoami = await other.run(['whoami']);
        expect(whoami.code, describeRun(whoami)).toBe(1);
        expect(whoami.stderr).toContain('not logged in');
      } finally {
        other.remove();
      }
    });
  });

  describe('the product page commands', () => {
    beforeAll(async () => {
      await seedSmall(server.database, ids['my-company']!);
    });

    it('export then restore, verbatim, give the same data', async () => {
      const exported = await hisaabo(['export', '--tenant', 'my-company', '-o', 'backup.tar.gz']);
      expect(exported.code, describeRun(exported)).toBe(0);
      expect(exported.stdout).toMatch(/sha256\s+[0-9a-f]{64}/);
      expect(exported.stdout).toMatch(/invoices\s+40 rows/);
      expect(readdirSync(sandbox.dir).filter((name) => name.endsWith('.part'))).toEqual([]);

      const restored = await hisaabo(['restore', '--tenant', 'new-company', '-i', 'backup.tar.gz', '--yes']);
      expect(restored.code, describeRun(restored)).toBe(0);
      expect(restored.stdout).toMatch(/invoices\s+40 rows/);
      expect(restored.stdout).toContain('Source: my-company');

      const original = sandbox.path('original-direct.tar.gz');
      const copy = sandbox.path('copy-direct.tar.gz');
      await exportToFile(server.database, ids['my-company']!, original);
      await exportToFile(server.database, ids['new-company']!, copy);
      const downloaded = await tableEntries(sandbox.path('backup.tar.gz'));
      expect(await tableEntries(copy)).toEqual(downloaded);
      expect(await tableEntries(original)).toEqual(downloaded);
    });

    it('exit 3: restoring into an organization that has data changes nothing', async () => {
      const before = await rowsIn('my-company');
      const result = await hisaabo(['restore', '--tenant', 'my-company', '-i', 'backup.tar.gz', '--yes']);
      expect(result.code, describeRun(result)).toBe(3);
      expect(result.stderr).toContain('already has data');
      expect(result.stderr).toContain('hisaabo tenant create');
      expect(await rowsIn('my-company')).toBe(before);
    });

    it('exit 64: restore without --yes and without a terminal refuses before doing anything', async () => {
      const id = await createOrganization('no-yes-company');
      const result = await hisaabo(['restore', '--tenant', 'no-yes-company', '-i', 'backup.tar.gz']);
      expect(result.code, describeRun(result)).toBe(64);
      expect(result.stderr).toContain('pass --yes');
      expect(await rowsIn('no-yes-company')).toBe(0);
      expect(id).toBeTruthy();
    });

    it('exit 4: a corrupt file never reaches the server', async () => {
      const good = readFileSync(sandbox.path('backup.tar.gz'));
      const corrupt = Buffer.from(good);
      corrupt[Math.floor(corrupt.length / 2)]! ^= 0x01;
      writeFileSync(sandbox.path('corrupt.tar.gz'), corrupt);
      await createOrganization('corrupt-target');
      const result = await hisaabo([
        'restore',
        '--tenant',
        'corrupt-target',
        '-i',
        'corrupt.tar.gz',
        '--yes',
      ]);
      expect(result.code, describeRun(result)).toBe(4);
      expect(await rowsIn('corrupt-target')).toBe(0);
      // With the server unreachable the answer is still 4, not 5: the file is judged before any request.
      const unreachable = await sandbox.run(
        ['restore', '--tenant', 'corrupt-target', '-i', 'corrupt.tar.gz', '--yes'],
        {
          env: { HISAABO_API_URL: `http://127.0.0.1:${await closedPort()}`, HISAABO_TOKEN: owner.token },
        },
      );
      expect(unreachable.code, describeRun(unreachable)).toBe(4);
    });

    it('exit 1: a member who is not an owner is refused, and so is nobody', async () => {
      const admin = await registerUser(server.url, { email: `admin-${backend.kind}@example.com` });
      await addMember(server.url, owner.token, ids['my-company']!, admin, 'admin');
      const asAdmin = await sandbox.run(['export', '--tenant', 'my-company', '-o', 'admin.tar.gz'], {
        env: { HISAABO_TOKEN: admin.token },
      });
      expect(asAdmin.code, describeRun(asAdmin)).toBe(1);
      expect(existsSync(sandbox.path('admin.tar.gz'))).toBe(false);
      const anonymous = new CliSandbox();
      try {
        const result = await anonymous.run([
          'export',
          '--tenant',
          'my-company',
          '-o',
          'x.tar.gz',
          '--api-url',
          server.url,
        ]);
        expect(result.code, describeRun(result)).toBe(1);
        expect(result.stderr).toContain('not logged in');
      } finally {
        anonymous.remove();
      }
      const unknown = await hisaabo(['export', '--tenant', 'new-compnay', '-o', 'typo.tar.gz']);
      expect(unknown.code, describeRun(unknown)).toBe(1);
      expect(unknown.stderr).toContain('organization new-compnay not found');
      expect(unknown.stderr).toContain('hisaabo tenant create --slug new-compnay');
    });

    it('exit 5: the server is down', async () => {
      const result = await sandbox.run(['export', '--tenant', 'my-company', '-o', 'down.tar.gz'], {
        env: { HISAABO_API_URL: `http://127.0.0.1:${await closedPort()}`, HISAABO_TOKEN: owner.token },
      });
      expect(result.code, describeRun(result)).toBe(5);
      expect(existsSync(sandbox.path('down.tar.gz'))).toBe(false);
    });

    it('exit 2: the third export of a day is rate limited', async () => {
      const second = await hisaabo(['export', '--tenant', 'my-company', '-o', 'second.tar.gz', '--json']);
      expect(second.code, describeRun(second)).toBe(0);
      const third = await hisaabo(['export', '--tenant', 'my-company', '-o', 'third.tar.gz', '--json']);
      expect(third.code, describeRun(third)).toBe(2);
      expect(JSON.parse(third.stdout)).toMatchObject({
        ok: false,
        error: { code: 'rate_limited', exitCode: 2 },
      });
      expect(existsSync(sandbox.path('third.tar.gz'))).toBe(false);
    });
  });

  describe('encrypted backups through the server', () => {
    let identityFile: string;
    let wrongIdentityFile: string;

    beforeAll(async () => {
      await createOrganization('secret-company');
      await seedSmall(server.database, ids['secret-company']!, 25);
      const identity = await generateIdentity();
      identityFile = sandbox.path('secret-key.txt');
      wrongIdentityFile = sandbox.path('other-key.txt');
      writeFileSync(identityFile, `${identity}\n`);
      writeFileSync(wrongIdentityFile, `${await generateIdentity()}\n`);
      const recipient = await identityToRecipient(identity);
      const result = await hisaabo([
        'export',
        '--tenant',
        'secret-company',
        '-o',
        'secret.tar.gz.age',
        '--encrypt-to',
        recipient,
      ]);
      expect(result.code, describeRun(result)).toBe(0);
    });

    it('fails cleanly with the wrong identity (exit 4, nothing written) and restores with the right one', async () => {
      await createOrganization('secret-copy');
      const wrong = await hisaabo([
        'restore',
        '--tenant',
        'secret-copy',
        '-i',
        'secret.tar.gz.age',
        '--identity',
        wrongIdentityFile,
        '--yes',
      ]);
      expect(wrong.code, describeRun(wrong)).toBe(4);
      expect(await rowsIn('secret-copy')).toBe(0);
      const right = await hisaabo([
        'restore',
        '--tenant',
        'secret-copy',
        '-i',
        'secret.tar.gz.age',
        '--identity',
        identityFile,
        '--yes',
      ]);
      expect(right.code, describeRun(right)).toBe(0);
      const original = sandbox.path('secret-original.tar.gz');
      const copy = sandbox.path('secret-copy.tar.gz');
      await exportToFile(server.database, ids['secret-company']!, original);
      await exportToFile(server.database, ids['secret-copy']!, copy);
      expect(await tableEntries(copy)).toEqual(await tableEntries(original));
    });

    it('with a passphrase: the wrong one fails with exit 4, the right one restores', async () => {
      writeFileSync(sandbox.path('pass.txt'), 'a passphrase for the backup\n');
      writeFileSync(sandbox.path('bad-pass.txt'), 'not the passphrase\n');
      const exported = await hisaabo([
        'export',
        '--tenant',
        'secret-company',
        '-o',
        'secret-pass.tar.gz.age',
        '--passphrase-file',
        'pass.txt',
      ]);
      expect(exported.code, describeRun(exported)).toBe(0);
      await createOrganization('secret-copy-2');
      const wrong = await hisaabo([
        'restore',
        '--tenant',
        'secret-copy-2',
        '-i',
        'secret-pass.tar.gz.age',
        '--passphrase-file',
        'bad-pass.txt',
        '--yes',
      ]);
      expect(wrong.code, describeRun(wrong)).toBe(4);
      expect(await rowsIn('secret-copy-2')).toBe(0);
      const right = await hisaabo([
        'restore',
        '--tenant',
        'secret-copy-2',
        '-i',
        'secret-pass.tar.gz.age',
        '--passphrase-file',
        'pass.txt',
        '--yes',
        '--pause-recurring',
      ]);
      expect(right.code, describeRun(right)).toBe(0);
      expect(right.stdout).toMatch(/recurring invoice templates were restored paused/);
    });
  });
});
