import { defineConfig } from 'vitest/config';

const ALL_TESTS = ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'];

/**
 * Files that replace a module with `vi.mock`: they run in a process of their own, so the mock never
 * reaches another file. test/isolation.test.ts fails when a file mocks a module and is not listed.
 */
export const ISOLATED_TESTS = [
  'packages/backup/test/restore-worker.test.ts',
  'packages/backup/test/compatibility-guards.unit.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time even on two cores (Vitest's default there is one): most of a file's time is
    // spent waiting on PostgreSQL, child processes or Chromium, not on its own core.
    maxWorkers: 2,
    minWorkers: 1,
    // The server bundle, built when stale, for the commands the CLI tests start (see the file).
    globalSetup: ['test/support/fresh-bundle.ts'],
    // Server processes the tests start run the TypeScript sources even when a fresh build is there
    // (the CLI tests' `hisaabo` commands drop this and run the bundle the global setup keeps fresh).
    env: { HISAABO_FROM_SOURCES: '1' },
    reporters: ['default'],
    projects: [
      // Most files share a test process with the files before them: the modules, PGlite's compiled
      // WebAssembly and the migrated template database (@hisaabo/db/testing) are made once per
      // process instead of once per file, which halves the suite's CPU. Every file already makes its
      // own database, server and organizations and closes them after itself.
      {
        extends: true,
        test: { name: 'shared', include: ALL_TESTS, exclude: ISOLATED_TESTS, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED_TESTS } },
    ],
  },
});
