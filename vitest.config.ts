import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * GraphQL test files not run again on PostgreSQL: the response budget's
 * setup writes oversized rows into the SQLite file directly.
 */
const POSTGRESQL_EXCLUDED = ['api/test/graphql/response-budget.test.ts'];

export default defineConfig({
  resolve: {
    // graphql@16 ships both index.mjs and a CommonJS main. Node (and so every
    // library loaded from node_modules) takes the main; Vite would hand our
    // sources the .mjs, giving two GraphQLError classes and broken instanceof
    // checks. Pin our sources to the copy Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    pool: 'forks',
    // Two API files at a time whatever the core count: vitest's default (one
    // worker per core but one) runs them one by one on 2 cores, though much of
    // a file's time is waiting on the servers and processes it started.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // Pure functions, no I/O or globals: one worker process runs them all
        // instead of starting a process and importing the domain for each file.
        test: { name: 'domain', include: ['api/test/domain/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'api',
          include: ['api/test/**/*.test.ts'],
          exclude: ['api/test/domain/**'],
          // Each worker imports the server once for all its files instead of
          // once per file (about a second of CPU each). Every test starts and
          // stops its own API and database, so files share no state but the
          // module cache.
          isolate: false,
          // Sized for a loaded machine: two files run side by side, and some start processes.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        // The GraphQL tests again with every API they start on PostgreSQL.
        test: {
          name: 'api-postgresql',
          include: ['api/test/graphql/**/*.test.ts'],
          exclude: POSTGRESQL_EXCLUDED,
          env: { PERSONA_TEST_ENGINE: 'postgresql' },
          globalSetup: ['api/test/postgres-setup.ts'],
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        // The producer SDK and CLI against a real API, like the API tests.
        test: { name: 'sdk', include: ['sdk/test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        // Real processes and a real browser, generous timeouts: after the API
        // files (never competing with them for the cores), two files at a time,
        // as much of a file's time is one of its processes waiting on another.
        test: {
          name: 'dashboard',
          include: ['dashboard/test/**/*.test.ts'],
          globalSetup: ['dashboard/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
