import { defineConfig } from 'vitest/config';

// The fast tier (`npm run test:fast`): logic tests that need no database, no server and no browser,
// named *.unit.test.ts, plus the repository's boundary checks. The boundary test keeps them so.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.unit.test.ts', 'apps/*/test/**/*.unit.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'threads',
    reporters: ['default'],
  },
});
