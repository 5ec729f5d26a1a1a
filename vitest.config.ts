import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real processes and servers; two cores run two files at a time.
    fileParallelism: true,
    maxWorkers: 2,
    env: { FORCE_COLOR: '0' },
  },
});
