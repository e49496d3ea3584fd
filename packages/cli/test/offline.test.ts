import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect } from '@hisaabo/db';
import { copyMigratedDataDir } from '@hisaabo/db/testing';
import { exportToFile, insertTenant, seedSmall, tableEntries } from './support/archives.ts';
import { CliSandbox, describeRun } from './support/cli.ts';

// The command line without a server: usage errors, offline verify, encryption, and operator mode
// (--local) on the data directory of a stopped instance.

// Every step is a real child process compiling TypeScript on a shared machine: allow for it.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const sandbox = new CliSandbox();
const dataDir = sandbox.path('data');
const reference = sandbox.path('reference.tar.gz');
const hasAgeTool = spawnSync('age', ['--version']).status === 0;

beforeAll(async () => {
  await copyMigratedDataDir(`${dataDir}/pglite`);
  const database = await connect({ dataDir: `${dataDir}/pglite` });
  const tenantId = await insertTenant(database, 'my-company');
  await insertTenant(database, 'new-company');
  await insertTenant(database, 'copy-company');
  await seedSmall(database, tenantId);
  await exportToFile(database, tenantId, reference);
  await database.close();
  const good = readFileSync(reference);
  const flipped = Buffer.from(good);
  const middle = Math.floor(flipped.length / 2);
  flipped[middle] = (flipped[middle] ?? 0) ^ 0xff;
  writeFileSync(sandbox.path('flipped.tar.gz'), flipped);
  writeFileSync(sandbox.path('truncated.tar.gz'), good.subarray(0, Math.floor(good.length * 0.7)));
  writeFileSync(sandbox.path('notes.txt'), 'these are not the rows you are looking for\n');
});

afterAll(() => sandbox.remove());

const local = ['--local', '--data-dir', dataDir];

describe('usage', () => {
  it('prints help with the exit codes and exits 0', async () => {
    const result = await sandbox.run(['--help']);
    expect(result.code, describeRun(result)).toBe(0);
    for (const command of ['login', 'export', 'restore', 'verify', 'tenant', 'serve', 'db', 'demo']) {
      expect(result.stdout).toContain(command);
    }
    expect(result.stdout).toContain('64  usage error');
  });

  it('exits 64 without a command, on an unknown option and on a missing required option', async () => {
    for (const args of [
      [],
      ['export', '--tenant', 'x', '-o', 'f', '--bogus'],
      ['restore', '--tenant', 'x'],
    ]) {
      const result = await sandbox.run(args);
      expect(result.code, describeRun(result)).toBe(64);
    }
  });

  it('reports a usage error as JSON with --json', async () => {
    const result = await sandbox.run(['verify', '--json']);
    expect(result.code).toBe(64);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'usage', exitCode: 64 } });
  });
});

describe('export --local from a stopped instance', () => {
  it('writes the same table files as the engine, and prints size, SHA-256 and rows', async () => {
    const file = sandbox.path('local-export.tar.gz');
    const result = await sandbox.run(['export', ...local, '--tenant', 'my-company', '-o', file, '--json']);
    expect(result.code, describeRun(result)).toBe(0);
    const summary = JSON.parse(result.stdout);
    const bytes = readFileSync(file);
    expect(summary).toMatchObject({ ok: true, organization: 'my-company', bytes: bytes.length });
    expect(summary.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(summary.tables.invoices.rows).toBe(40);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await tableEntries(file)).toEqual(await tableEntries(reference));
  });

  it('writes to stdout with -o -, and refuses -o - with --json (exit 64)', async () => {
    const result = await sandbox.run(['export', ...local, '--tenant', 'my-company', '-o', '-']);
    expect(result.code, describeRun(result)).toBe(0);
    const piped = sandbox.path('piped.tar.gz');
    writeFileSync(piped, result.stdoutBytes);
    expect(await tableEntries(piped)).toEqual(await tableEntries(reference));
    expect(result.stderr).toContain('Exported my-company to stdout');
    const json = await sandbox.run(['export', ...local, '--tenant', 'my-company', '-o', '-', '--json']);
    expect(json.code, describeRun(json)).toBe(64);
  });

  it('names a missing organization and leaves no file behind (exit 1)', async () => {
    const file = sandbox.path('missing-org.tar.gz');
    const result = await sandbox.run(['export', ...local, '--tenant', 'no-such-company', '-o', file]);
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toContain('organization no-such-company not found');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(sandbox.dir).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('refuses a directory that holds no database instead of creating one (exit 64)', async () => {
    const empty = sandbox.path('no-data-here');
    const result = await sandbox.run([
      'export',
      '--local',
      '--data-dir',
      empty,
      '--tenant',
      'x',
      '-o',
      sandbox.path('x.tar.gz'),
    ]);
    expect(result.code, describeRun(result)).toBe(64);
    expect(result.stderr).toContain(`no Hisaabo database in ${empty}`);
    expect(existsSync(empty)).toBe(false);
  });

  it('refuses a target in a directory that does not exist before reading anything (exit 4)', async () => {
    const result = await sandbox.run([
      'export',
      ...local,
      '--tenant',
      'my-company',
      '-o',
      sandbox.path('nope', 'b.tar.gz'),
    ]);
    expect(result.code, describeRun(result)).toBe(4);
    expect(result.stderr).toContain('not a writable directory');
  });
});

describe('verify', () => {
  it('checks a good archive offline with a per-table summary', async () => {
    const result = await sandbox.run(['verify', '-i', reference]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toContain('a valid Hisaabo backup');
    expect(result.stdout).toMatch(/invoices\s+40 rows/);
    expect(result.stdout).toContain('my-company');
    const json = await sandbox.run(['verify', '-i', reference, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, tables: { invoices: { rows: 40 } } });
  });

  it('rejects a flipped byte, a truncated file, a missing file and a non-archive with exit 4', async () => {
    for (const [name, message] of [
      ['flipped.tar.gz', 'is not a valid Hisaabo backup'],
      ['truncated.tar.gz', 'is not a valid Hisaabo backup'],
      ['absent.tar.gz', 'not found'],
      ['notes.txt', 'not a Hisaabo backup'],
    ] as const) {
      const result = await sandbox.run(['verify', '-i', sandbox.path(name)]);
      expect(result.code, `${name}: ${describeRun(result)}`).toBe(4);
      expect(result.stderr).toContain(message);
    }
  });

  it('puts the archive errors in the JSON report', async () => {
    const result = await sandbox.run(['verify', '-i', sandbox.path('flipped.tar.gz'), '--json']);
    expect(result.code).toBe(4);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.error.exitCode).toBe(4);
    expect(report.errors.length).toBeGreaterThan(0);
  });
});

describe('encryption (age)', () => {
  let identity: string;
  let recipient: string;
  const encrypted = sandbox.path('backup.tar.gz.age');
  const identityFile = sandbox.path('key.txt');
  const wrongIdentityFile = sandbox.path('wrong-key.txt');

  beforeAll(async () => {
    identity = await generateIdentity();
    recipient = await identityToRecipient(identity);
    writeFileSync(identityFile, `# created for a test\n${identity}\n`);
    writeFileSync(wrongIdentityFile, `${await generateIdentity()}\n`);
  });

  it('exports encrypted to a recipient in the standard age format', async () => {
    const result = await sandbox.run([
      'export',
      ...local,
      '--tenant',
      'my-company',
      '-o',
      encrypted,
      '--encrypt-to',
      recipient,
    ]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(readFileSync(encrypted).subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n');
    expect(result.stdout).toContain('age-encrypted');
  });

  it('verifies with the right identity, and fails cleanly with the wrong one or none', async () => {
    const right = await sandbox.run(['verify', '-i', encrypted, '--identity', identityFile]);
    expect(right.code, describeRun(right)).toBe(0);
    expect(right.stdout).toMatch(/invoices\s+40 rows/);

    const wrong = await sandbox.run(['verify', '-i', encrypted, '--identity', wrongIdentityFile]);
    expect(wrong.code, describeRun(wrong)).toBe(4);
    expect(wrong.stderr).toContain('does not match');

    const none = await sandbox.run(['verify', '-i', encrypted]);
    expect(none.code, describeRun(none)).toBe(64);
    expect(none.stderr).toContain('--identity');
  });

  it('round-trips with a passphrase file and rejects a wrong passphrase with exit 4', async () => {
    writeFileSync(sandbox.path('pass.txt'), 'correct horse battery staple\n');
    writeFileSync(sandbox.path('wrong-pass.txt'), 'incorrect horse\n');
    const file = sandbox.path('backup-pass.tar.gz.age');
    const exported = await sandbox.run([
      'export',
      ...local,
      '--tenant',
      'my-company',
      '-o',
      file,
      '--passphrase-file',
      sandbox.path('pass.txt'),
    ]);
    expect(exported.code, describeRun(exported)).toBe(0);
    const right = await sandbox.run(['verify', '-i', file, '--passphrase-file', sandbox.path('pass.txt')]);
    expect(right.code, describeRun(right)).toBe(0);
    const wrong = await sandbox.run([
      'verify',
      '-i',
      file,
      '--passphrase-file',
      sandbox.path('wrong-pass.txt'),
    ]);
    expect(wrong.code, describeRun(wrong)).toBe(4);
  });

  it('rejects an invalid recipient before reading anything (exit 64)', async () => {
    const file = sandbox.path('never.tar.gz.age');
    const result = await sandbox.run([
      'export',
      ...local,
      '--tenant',
      'my-company',
      '-o',
      file,
      '--encrypt-to',
      'age1notakey',
    ]);
    expect(result.code, describeRun(result)).toBe(64);
    expect(existsSync(file)).toBe(false);
  });

  it.skipIf(!hasAgeTool)('is decrypted by the age tool, and reads what the age tool encrypted', async () => {
    const decrypted = sandbox.path('decrypted-by-age.tar.gz');
    execFileSync('age', ['-d', '-i', identityFile, '-o', decrypted, encrypted]);
    expect(await tableEntries(decrypted)).toEqual(await tableEntries(reference));

    const byTool = sandbox.path('encrypted-by-age.tar.gz.age');
    execFileSync('age', ['-r', recipient, '-o', byTool, reference]);
    const result = await sandbox.run(['verify', '-i', byTool, '--identity', identityFile]);
    expect(result.code, describeRun(result)).toBe(0);
  });
});

describe('restore --local', () => {
  it('refuses without --yes when stdin is not a terminal, and changes nothing (exit 64)', async () => {
    const result = await sandbox.run(['restore', ...local, '--tenant', 'new-company', '-i', reference]);
    expect(result.code, describeRun(result)).toBe(64);
    expect(result.stderr).toContain('--yes');
    const check = await sandbox.run([
      'export',
      ...local,
      '--tenant',
      'new-company',
      '-o',
      sandbox.path('still-empty.tar.gz'),
      '--json',
    ]);
    expect(JSON.parse(check.stdout).totalRows).toBe(0);
  });

  it('restores an encrypted backup exactly, then refuses the now non-empty target (exit 3)', async () => {
    const identity = await generateIdentity();
    const encrypter = new Encrypter();
    encrypter.addRecipient(await identityToRecipient(identity));
    const encrypted = sandbox.path('restore-me.tar.gz.age');
    writeFileSync(encrypted, await encrypter.encrypt(readFileSync(reference)));
    writeFileSync(sandbox.path('restore-key.txt'), `${identity}\n`);
    const restored = await sandbox.run([
      'restore',
      ...local,
      '--tenant',
      'new-company',
      '-i',
      encrypted,
      '--identity',
      sandbox.path('restore-key.txt'),
      '--yes',
    ]);
    expect(restored.code, describeRun(restored)).toBe(0);
    expect(restored.stdout).toContain('Restored');
    const copy = sandbox.path('new-company.tar.gz');
    const exported = await sandbox.run(['export', ...local, '--tenant', 'new-company', '-o', copy]);
    expect(exported.code, describeRun(exported)).toBe(0);
    expect(await tableEntries(copy)).toEqual(await tableEntries(reference));

    const again = await sandbox.run([
      'restore',
      ...local,
      '--tenant',
      'new-company',
      '-i',
      reference,
      '--yes',
    ]);
    expect(again.code, describeRun(again)).toBe(3);
  });

  it('never restores a corrupt file: exit 4 and the target stays empty', async () => {
    const result = await sandbox.run([
      'restore',
      ...local,
      '--tenant',
      'copy-company',
      '-i',
      sandbox.path('flipped.tar.gz'),
      '--yes',
    ]);
    expect(result.code, describeRun(result)).toBe(4);
    const check = await sandbox.run([
      'export',
      ...local,
      '--tenant',
      'copy-company',
      '-o',
      sandbox.path('copy-empty.tar.gz'),
      '--json',
    ]);
    expect(JSON.parse(check.stdout).totalRows).toBe(0);
  });
});
