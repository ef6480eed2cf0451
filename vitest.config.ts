import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000 } },
      // The central server against PGlite and (when IMS_TEST_POSTGRES_URL is set) a real PostgreSQL. One file at a
      // time: each starts a PGlite of several hundred MB, and they share the one PostgreSQL cluster.
      { test: { name: 'server', include: ['tests/server/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // One browser at a time: the machine has two cores.
          fileParallelism: false,
          // expect.poll waits for the screen to show something; on a shared, loaded machine a screen can take
          // seconds to answer (one evaluation alone took 3 s at a load of 20), so a second is too short a wait.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
