import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliSandbox, describeRun } from './support/cli.ts';

const SERVER_MAIN = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));
const DEMO_SEED = fileURLToPath(new URL('../../domain/src/demo/cli.ts', import.meta.url));
const MIGRATE = fileURLToPath(new URL('../../db/src/migrate-cli.ts', import.meta.url));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runTs(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a running server holds its data directory against every other opener', () => {
  const sandbox = new CliSandbox();
  const dataDir = sandbox.path('data');
  const pgliteDir = `${dataDir}/pglite`;
  let server: ChildProcess;
  const env = () => ({ ...sandbox.baseEnv(), HISAABO_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });

  const leftover = () => sandbox.path('data', 'spool', 'hisaabo-spool-export-left-by-a-killed-server.part');

  beforeAll(async () => {
    // What a server killed mid-download leaves behind: the next start removes it.
    mkdirSync(sandbox.path('data', 'spool'), { recursive: true });
    writeFileSync(leftover(), 'half an archive');
    server = spawn(process.execPath, ['--import', 'tsx', SERVER_MAIN], { env: env() });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('"msg":"listening"')) resolve();
      });
      server.on('exit', (code) => reject(new Error(`the server exited ${code}: ${out}`)));
    });
  }, 120_000);
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    sandbox.remove();
  });

  const busy = (text: string) => {
    expect(text).toContain(
      `The embedded database in ${pgliteDir} is in use by another process (pid ${server.pid}:`,
    );
    expect(text).toContain('Stop that process first');
  };

  it('the starting server removed the spooled file a killed one left behind', () => {
    expect(existsSync(leftover())).toBe(false);
  });

  it('hisaabo export --local exits 5 naming the directory and the server', async () => {
    const result = await sandbox.run([
      'export',
      '--local',
      '--data-dir',
      dataDir,
      '--tenant',
      'anything',
      '-o',
      sandbox.path('out.tar.gz'),
    ]);
    expect(result.code, describeRun(result)).toBe(5);
    busy(result.stderr);
  });

  it('hisaabo db migrate exits 5', async () => {
    const result = await sandbox.run(['db', 'migrate', '--data-dir', dataDir, '--json']);
    expect(result.code, describeRun(result)).toBe(5);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      error: { code: 'database_busy', exitCode: 5 },
    });
  });

  it('npm run db:migrate, npm run demo:seed and a second server are refused with exit 5', async () => {
    const [migrate, seed, second] = await Promise.all([
      runTs(MIGRATE, [], env()),
      runTs(DEMO_SEED, ['--tenant', 'demo', '--invoices', '10'], env()),
      runTs(SERVER_MAIN, [], env()),
    ]);
    for (const run of [migrate, seed]) {
      expect(run.code, run.stderr).toBe(5);
      busy(run.stderr);
    }
    expect(second.code, second.stderr).toBe(5);
    busy(second.stderr);
    // The first server is still up.
    expect(server.exitCode).toBeNull();
  }, 120_000);

  it('stops on SIGTERM within 10 s, closing the database so the next opener gets it', async () => {
    const began = Date.now();
    server.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => server.once('exit', resolve));
    expect(code).toBe(0);
    expect(Date.now() - began).toBeLessThan(10_000);
    const migrate = await runTs(MIGRATE, [], env());
    expect(migrate.code, migrate.stderr).toBe(0);
  }, 120_000);
});
