import { currentScope } from './mutation/scopes.mjs';

// Mutation testing, on demand (not in CI): `npm run test:mutation`. See docs/testing.md.
const scope = currentScope();

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: scope.mutate,
  ignorePatterns: ['dist', 'apps/web/dist', 'data', 'bench', 'docs', 'test-results', 'reports', '.vitest-*'],
  // The machine is shared: one test runner, and a generous timeout for a loaded CPU.
  concurrency: 1,
  timeoutMS: 15_000,
  timeoutFactor: 3,
  dryRunTimeoutMinutes: 30,
  incremental: true,
  incrementalFile: `mutation/incremental/${scope.name}.json`,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${scope.name}.json` },
  htmlReporter: { fileName: `reports/mutation/${scope.name}.html` },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
