import { defineConfig } from 'vitest/config';

/**
 * Tests of the production adapters against the Cloud Storage and BigQuery emulators (see
 * scripts/emulators.sh). Kept out of the default run: the end-to-end parity test alone takes
 * about two minutes on two cores, the emulated BigQuery answering each job in a fraction of a second.
 */
export const EMULATOR_TEST_FILES = ['test-emulators/**/*.test.ts', 'lake/gcs-lake.test.ts', 'warehouse/bigquery-warehouse.test.ts'];

export default defineConfig({
  test: {
    include: EMULATOR_TEST_FILES,
    exclude: ['node_modules/**', '.data/**'],
    // The parity test runs the daily workflow, so it needs the Temporal server too.
    globalSetup: ['test-support/temporal-global-setup.ts'],
    setupFiles: ['test-support/quiet-temporal.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
