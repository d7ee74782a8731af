import { defineConfig } from 'vitest/config';
import { EMULATOR_TEST_FILES } from './vitest.emulators.config.ts';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // The emulator tests run with vitest.emulators.config.ts (scripts/test.sh runs both).
    exclude: ['node_modules/**', '.data/**', 'bench/**', ...EMULATOR_TEST_FILES],
    // One Temporal dev server for the whole run; tests connect to it.
    globalSetup: ['test-support/temporal-global-setup.ts'],
    setupFiles: ['test-support/quiet-temporal.ts'],
    // DuckDB and the Temporal core bridge are native addons: separate processes are the safe pool.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
