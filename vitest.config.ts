/** Test runner settings: real servers start slowly, so hooks and tests get generous limits. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file starts its own Temporal server; two at a time fit our 2-core machine.
    maxWorkers: 2,
    pool: 'forks',
    setupFiles: ['test/helpers/quiet-runtime.ts'],
  },
});
