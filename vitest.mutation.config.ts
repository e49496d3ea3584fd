import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { currentScope } from './mutation/scopes.mjs';

/**
 * The tests Stryker runs against each mutant of the current scope (mutation/scopes.mjs): only the
 * suites that exercise it, on PGlite only. Per-test coverage then runs, for each mutant, only the
 * tests that reach it.
 */
export default defineConfig({
  // Stryker runs in a copy of the repository whose node_modules links back to the original
  // packages: point the server's imports of the backup engine and of the domain (tenancy rules) at
  // the (mutated) copy.
  resolve: {
    alias: [
      {
        find: /^@hisaabo\/backup$/,
        replacement: fileURLToPath(new URL('./packages/backup/src/index.ts', import.meta.url)),
      },
      {
        find: /^@hisaabo\/domain$/,
        replacement: fileURLToPath(new URL('./packages/domain/src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: currentScope().tests,
    // A mutant can make a test slow on a loaded machine; Stryker's own timeout decides.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    env: { TEST_DATABASE_URL: '' },
  },
});
