import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
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
  },
});
