import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts', 'router/test/**/*.test.ts', 'test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    globalSetup: ['packages/testing/src/global-setup.ts'],
    // 2 cores: integration files share one database server and broker; keep parallelism modest.
    pool: 'forks',
    // Files run one after another: every file's services share one NATS server, and a service of
    // one file would otherwise act on another file's events (one stream, the same subjects).
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
