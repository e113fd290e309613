import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // End-to-end tests spawn the built CLI; two workers match the two cores CI has.
    maxWorkers: 2,
  },
});
