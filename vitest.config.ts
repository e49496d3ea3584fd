import { defineConfig } from 'vitest/config';

/** Where the database-level suites are: the engine, the domain and the API, run in the test process. */
export const SHARED_TEST_DIRECTORIES = [
  'packages/db/test',
  'packages/domain/test',
  'packages/backup/test',
  'packages/server/test',
  'test',
];

/** Where the suites whose time is their child processes or Chromium are. */
export const ISOLATED_TEST_DIRECTORIES = ['packages/cli/test', 'apps/web/test'];

const testsIn = (directories: string[]) => directories.map((dir) => `${dir}/**/*.test.ts`);

/**
 * Files among those that replace a module or a global, or write to the environment: they run in a
 * thread of their own, so nothing they change reaches another file. test/test-isolation.test.ts
 * fails when such a file is not listed here.
 */
export const ISOLATED_TESTS = [
  'packages/backup/test/restore-worker.test.ts',
  'packages/backup/test/line-stage.unit.test.ts',
  'packages/backup/test/compatibility-guards.unit.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One pool of each kind serves every project, with these settings (a project's own `isolate` is
    // not read): the forks run the shared project's files one after another in the same process, the
    // threads give each file of the isolated project a thread of its own.
    poolOptions: { forks: { isolate: false }, threads: { isolate: true } },
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
      // The database-level suites share a test process with the files before them: the modules,
      // PGlite's compiled WebAssembly and the migrated template (@hisaabo/db/testing) are loaded once
      // per process instead of once per file, which takes a third off their time. Every file makes
      // its own database, server and organizations and closes them after itself.
      {
        extends: true,
        test: {
          name: 'shared',
          include: testsIn(SHARED_TEST_DIRECTORIES),
          exclude: ISOLATED_TESTS,
          pool: 'forks',
        },
      },
      // The CLI and browser suites, whose time is their child processes and Chromium, and the files
      // listed above: a thread per file.
      {
        extends: true,
        test: {
          name: 'isolated',
          pool: 'threads',
          include: [...testsIn(ISOLATED_TEST_DIRECTORIES), ...ISOLATED_TESTS],
        },
      },
    ],
  },
});
