import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// PGlite's WebAssembly build costs a process tens of megabytes of resident memory: a process that
// works on a PostgreSQL server must never load it, which only a fresh process can show.
const child = fileURLToPath(new URL('./module-probe/child.ts', import.meta.url));
const register = fileURLToPath(new URL('./module-probe/register.mjs', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'lazy-pglite-'));
let runs = 0;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The PGlite modules a fresh process loaded while importing the packages and opening `location`. */
function pgliteModulesLoaded(location?: string): Promise<string[]> {
  runs += 1;
  const log = path.join(scratch, `modules-${runs}.log`);
  writeFileSync(log, '');
  const args = ['--import', 'tsx', '--import', register, child, ...(location ? [location] : [])];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { env: { ...process.env, MODULE_PROBE_LOG: log } },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${error.message}\n${stderr}`));
        resolve((JSON.parse(stdout.trim().split('\n').at(-1)!) as { modules: string[] }).modules);
      },
    );
  });
}

describe('PGlite is loaded only for the embedded database', () => {
  it('importing @hisaabo/db and @hisaabo/backup loads no PGlite module', async () => {
    expect(await pgliteModulesLoaded()).toEqual([]);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('connecting to PostgreSQL loads no PGlite module', async () => {
    expect(await pgliteModulesLoaded(process.env.TEST_DATABASE_URL)).toEqual([]);
  });

  it('the probe sees PGlite when the embedded database is opened', async () => {
    const modules = await pgliteModulesLoaded('memory://');
    expect(modules.some((url) => /@electric-sql[\\/]pglite[\\/]dist[\\/]index\.js$/.test(url))).toBe(true);
  });
});
