import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts', 'router/test/**/*.test.ts', 'test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    globalSetup: ['packages/testing/src/global-setup.ts'],
    // 2 cores: integration files share one database server and broker; keep parallelism modest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
