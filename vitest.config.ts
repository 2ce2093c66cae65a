import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites start their own loopback servers on port 0; two cores, so keep the pool small.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
