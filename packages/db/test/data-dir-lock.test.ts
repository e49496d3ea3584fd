import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, DataDirectoryBusyError } from '../src/index.ts';
import { copyMigratedDataDir } from '../src/testing.ts';

const holderScript = fileURLToPath(new URL('./lock-holder/hold.ts', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'data-dir-lock-'));
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Holder {
  child: ChildProcessWithoutNullStreams;
  /** The first line the child printed: `opened <pid>` or `busy …`. */
  said: Promise<string>;
  exited: Promise<number | null>;
}

function startHolder(dataDir: string): Holder {
  const child = spawn(process.execPath, ['--import', 'tsx', holderScript, dataDir]);
  children.push(child);
  let output = '';
  const said = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`holder exited ${code} without a word: ${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, said, exited };
}

// One initialized directory, copied for each test: the lock is under test, not initdb, which would
// otherwise run in every holder process.
const initialized = path.join(scratch, 'initialized', 'pglite');
beforeAll(() => copyMigratedDataDir(initialized));

function freshDir(name: string, { empty = false } = {}): string {
  const dir = path.join(scratch, name, 'pglite');
  if (!empty) cpSync(initialized, dir, { recursive: true });
  return dir;
}

describe('one process per embedded data directory', () => {
  it('refuses a second process at once, naming the directory and the holder', async () => {
    const dir = freshDir('second');
    const holder = startHolder(dir);
    expect(await holder.said).toBe(`opened ${holder.child.pid}`);

    const began = performance.now();
    const refusal = await connect({ dataDir: dir }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(DataDirectoryBusyError);
    const busy = refusal as DataDirectoryBusyError;
    expect(busy.directory).toBe(dir);
    expect(busy.holder?.pid).toBe(holder.child.pid);
    expect(busy.message).toContain(dir);
    expect(busy.message).toContain(`pid ${holder.child.pid}`);
    expect(busy.message).toMatch(/Stop that process first, or go through the running server's API/);
    // "At once": no waiting for the holder to let go.
    expect(performance.now() - began).toBeLessThan(5000);

    // Freed on close: the next opener gets it.
    holder.child.stdin.end();
    expect(await holder.exited).toBe(0);
    const database = await connect({ dataDir: dir });
    await database.close();
  });

  it('is freed by the kernel when the holder is killed with SIGKILL', async () => {
    const dir = freshDir('killed');
    const holder = startHolder(dir);
    expect(await holder.said).toMatch(/^opened /);
    holder.child.kill('SIGKILL');
    await holder.exited;

    const began = performance.now();
    const database = await connect({ dataDir: dir });
    expect(performance.now() - began).toBeLessThan(10_000);
    await database.close();
  });

  it('of two processes started at the same instant, exactly one opens the directory', async () => {
    // Two first starts: the directory does not exist yet, so neither may create it unlocked.
    const dir = freshDir('race', { empty: true });
    const both = [startHolder(dir), startHolder(dir)];
    const said = (await Promise.all(both.map((h) => h.said))).sort();
    expect(said[0]).toMatch(/^busy DataDirectoryBusyError: The embedded database in .* is in use/);
    expect(said[1]).toMatch(/^opened /);
  });

  it('also refuses a second opener inside the same process until the first closes', async () => {
    const dir = freshDir('same-process');
    const first = await connect({ dataDir: dir });
    await expect(connect({ dataDir: dir })).rejects.toBeInstanceOf(DataDirectoryBusyError);
    await first.close();
    const again = await connect({ dataDir: dir });
    await again.close();
  });
});
