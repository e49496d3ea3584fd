import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Commands the tests start run the TypeScript sources even when a fresh build is there.
    env: { HISAABO_FROM_SOURCES: '1' },
    reporters: ['default'],
  },
});
