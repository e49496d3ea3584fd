import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverCommand } from '../src/commands/serve-entry.ts';

// What production runs: the bundle of `npm run build` (dist/), with plain node. Built here when it is
// missing or older than the sources, as `npm start` does.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const FIXTURE = fileURLToPath(new URL('./fixtures/worker-build', import.meta.url));
const run = (args: string[]) =>
  execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: withoutSources() });

function withoutSources(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.HISAABO_FROM_SOURCES;
  return env;
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), 'server', '--if-stale'], {
    stdio: 'inherit',
  });
}, 120_000);

describe('the compiled server', () => {
  let child: ChildProcess | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hisaabo-compiled-'));
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with plain node, migrates the embedded database and answers /api/health', async () => {
    child = spawn(process.execPath, [path.join(DIST, 'server.js')], {
      cwd: tmpdir(),
      env: {
        ...withoutSources(),
        PORT: '0',
        HOST: '127.0.0.1',
        HISAABO_DATA_DIR: dataDir,
        HISAABO_SCHEDULER: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"http:\/\/localhost:(\d+)"/.exec(output);
        if (match) resolve(`http://127.0.0.1:${match[1]}`);
      });
      child!.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child!.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
    });
    const health = (await (await fetch(`${url}/api/health`)).json()) as Record<string, unknown>;
    // The migrations folder is found from dist/ (a path the bundle rewrites): every one applied.
    const migrations = readdirSync(path.join(ROOT, 'packages/db/drizzle')).filter((f) => f.endsWith('.sql'));
    expect(health).toMatchObject({ ok: true, database: 'pglite', migrations: migrations.length });
  });
});

describe('the compiled command line', () => {
  const version = (
    JSON.parse(readFileSync(path.join(ROOT, 'packages/cli/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

  it('answers --version and --help', () => {
    expect(run([path.join(DIST, 'hisaabo.js'), '--version']).trim()).toBe(version);
    expect(run([path.join(DIST, 'hisaabo.js'), '--help'])).toContain('Usage: hisaabo');
  });

  it('loads the engine it imports lazily, which reads the application version from the checkout', () => {
    const fixture = path.join(ROOT, 'packages/backup/test/fixtures/schema-v1-rich.tar.gz');
    const report = JSON.parse(run([path.join(DIST, 'hisaabo.js'), 'verify', '-i', fixture, '--json'])) as {
      ok: boolean;
    };
    expect(report.ok).toBe(true);
  });

  it('is what bin/hisaabo.js runs while it is fresh, unless HISAABO_FROM_SOURCES=1', async () => {
    const { runCompiled } = (await import(pathToFileURL(path.join(ROOT, 'scripts/freshness.mjs')).href)) as {
      runCompiled(env: NodeJS.ProcessEnv): boolean;
    };
    expect(runCompiled({})).toBe(true);
    expect(runCompiled({ HISAABO_FROM_SOURCES: '1' })).toBe(false);
    expect(run([path.join(ROOT, 'packages/cli/bin/hisaabo.js'), '--version']).trim()).toBe(version);
  });

  it('serves with the compiled server built beside it (from the sources, `hisaabo serve` runs them)', () => {
    expect(serverCommand(pathToFileURL(path.join(DIST, 'hisaabo.js')).href)).toEqual({
      nodeArgs: [],
      entry: path.join(DIST, 'server.js'),
    });
  });
});

describe('worker threads in the bundle', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'hisaabo-worker-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('are emitted as <name>.worker.js beside every caller, wherever their sources are', async () => {
    const { bundle } = (await import(pathToFileURL(path.join(ROOT, 'scripts/bundle.mjs')).href)) as {
      bundle(options: { root: string; outdir: string; entries: Record<string, string> }): Promise<{
        workers: string[];
      }>;
    };
    const built = await bundle({
      root: FIXTURE,
      outdir: out,
      entries: { main: 'packages/demo/src/main.ts' },
    });
    expect(built.workers).toEqual(['echo.worker']);
    expect(readdirSync(out)).toContain('echo.worker.js');
    expect(run([path.join(out, 'main.js')]).trim()).toBe('ping from the worker');
  });
});
