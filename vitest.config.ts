import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

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
    projects: [
      {
        extends: true,
        test: { name: 'api', include: ['api/test/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 30_000 },
      },
      {
        extends: true,
        // Real processes and a real browser: one file at a time, generous timeouts.
        test: {
          name: 'dashboard',
          include: ['dashboard/test/**/*.test.ts'],
          globalSetup: ['dashboard/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
