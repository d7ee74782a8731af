import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**', 'bench/**'],
    // One Temporal dev server for the whole run; tests connect to it.
    globalSetup: ['test-support/temporal-global-setup.ts'],
    setupFiles: ['test-support/quiet-temporal.ts'],
    // DuckDB and the Temporal core bridge are native addons: separate processes are the safe pool.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
