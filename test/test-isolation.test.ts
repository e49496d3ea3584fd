import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ISOLATED_TEST_DIRECTORIES, ISOLATED_TESTS, SHARED_TEST_DIRECTORIES } from '../vitest.config.ts';
import { codeFiles, readWorkspaces } from './boundaries/workspace.ts';

// The database-level test files share a process with the files run before them (vitest.config.ts). A
// file there that replaces a module or a global, or writes to the environment, would change what
// later files see: it must be listed to run in a thread of its own. And no test file may fall outside
// both projects, where `npm test` would never run it.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const PROCESS_WIDE = [
  /\bvi\.(mock|doMock|stubEnv|stubGlobal)\(/,
  /\bprocess\.env(\.\w+|\[[^\]]+\])\s*=[^=]/,
  /\bdelete process\.env\b/,
];

function changesTheProcess(source: string): boolean {
  return PROCESS_WIDE.some((pattern) => pattern.test(source));
}

/** Every `*.test.ts` of the repository, relative to its root. */
function testFiles(): string[] {
  const dirs = [...readWorkspaces(ROOT).map((workspace) => workspace.dir), 'test'];
  return dirs.flatMap((dir) => codeFiles(ROOT, dir)).filter((file) => file.endsWith('.test.ts'));
}

const under = (directories: string[]) => (file: string) =>
  directories.some((dir) => file.startsWith(`${dir}/`));

describe('test files sharing a process', () => {
  it('change nothing process-wide, or run in a thread of their own', () => {
    const shared = testFiles().filter(under(SHARED_TEST_DIRECTORIES));
    expect(shared.length).toBeGreaterThan(50);
    const unlisted = shared.filter(
      (file) =>
        changesTheProcess(readFileSync(path.join(ROOT, file), 'utf8')) && !ISOLATED_TESTS.includes(file),
    );
    expect(unlisted).toEqual([]);
    expect(ISOLATED_TESTS.filter((file) => !shared.includes(file))).toEqual([]);
  });

  it('every test file is in one of the two projects', () => {
    const nowhere = testFiles().filter(
      (file) => !under(SHARED_TEST_DIRECTORIES)(file) && !under(ISOLATED_TEST_DIRECTORIES)(file),
    );
    expect(nowhere).toEqual([]);
  });

  it('are recognised by their mocks, stubs and environment writes', () => {
    // Spelled in pieces, so that this file does not match its own patterns.
    const [vi, env] = ['vi', 'process.env'];
    expect(changesTheProcess(`${vi}.mock('../src/x.ts', () => ({}));`)).toBe(true);
    expect(changesTheProcess(`${vi}.stubEnv('TZ', 'UTC');`)).toBe(true);
    expect(changesTheProcess(`${env}.HISAABO_X = "1";`)).toBe(true);
    expect(changesTheProcess(`${env}['HISAABO_X'] = '1';`)).toBe(true);
    expect(changesTheProcess(`delete ${env}.HISAABO_X;`)).toBe(true);
    expect(changesTheProcess(`const mocked = ${vi}.fn(); if (${env}.CI === "true") {}`)).toBe(false);
    expect(changesTheProcess(`spawn(cmd, { env: { ...${env}, PORT: "0" } });`)).toBe(false);
  });
});
