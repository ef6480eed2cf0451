import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two files at a time in every project. Vitest's default is one fewer than the cores, so on CI's two cores
    // every file ran after the other and one core sat mostly idle: much of a file's time is spent waiting on a child
    // process (ims, the server, Chromium), on the disk or on a timer. Files never share a profile, a port or a
    // database (each makes its own temporary profile, listens on port 0 or a random one, and gets its own
    // PostgreSQL database), so two may run side by side; waits in the tests are sized for a loaded machine.
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      // globalSetup: a scratch directory for stores several files copy (the 10k import: shared-stores.ts).
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000, globalSetup: ['tests/integration/global-setup.ts'] } },
      // The central server against PGlite and (when IMS_TEST_POSTGRES_URL is set) a real PostgreSQL: each suite has
      // its own PGlite (several hundred MB) or its own database on the one cluster. With PostgreSQL, one file at a
      // time: a pull serves only changes below every transaction still running in the cluster, whatever its database
      // (server/sync/numbering.ts), so another file's open transaction (sync-order.test.ts holds a push before its
      // COMMIT on purpose) would hold back this file's pulls, and a test that pulls right after a push would miss it.
      { test: { name: 'server', include: ['tests/server/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: !process.env.IMS_TEST_POSTGRES_URL } },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // expect.poll waits for the screen to show something; on a shared, loaded machine a screen can take
          // seconds to answer (one evaluation alone took 3 s at a load of 20), so a second is too short a wait.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
