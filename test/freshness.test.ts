import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFresh } from '../scripts/freshness.mjs';

describe('a build is fresh', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'freshness-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'src');
  const marker = path.join(dir, 'dist', 'build.json');
  const build = { marker, sources: [src, path.join(dir, 'package.json')] };
  const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

  mkdirSync(path.join(src, 'nested'), { recursive: true });
  mkdirSync(path.dirname(marker));
  writeFileSync(path.join(src, 'nested', 'a.ts'), 'a');
  for (const p of [path.join(src, 'nested', 'a.ts'), path.join(src, 'nested'), src]) at(p, 1000);

  it('not when it is missing', () => {
    expect(isFresh(build)).toBe(false);
  });

  it('when it is newer than every source (a source that does not exist counts for nothing)', () => {
    writeFileSync(marker, '{}');
    at(marker, 2000);
    expect(isFresh(build)).toBe(true);
  });

  it('not once a source is edited after it', () => {
    at(path.join(src, 'nested', 'a.ts'), 3000);
    expect(isFresh(build)).toBe(false);
    at(path.join(src, 'nested', 'a.ts'), 1000);
    expect(isFresh(build)).toBe(true);
  });

  it('not once a file is added (a new worker, say), which dates its folder', () => {
    writeFileSync(path.join(src, 'nested', 'b.worker.ts'), 'b');
    at(path.join(src, 'nested', 'b.worker.ts'), 1000);
    expect(isFresh(build)).toBe(false);
  });
});
