import type { TestProject } from 'vitest/node';
import { ensureEngines, startPostgres } from '../../scripts/test-engines.ts';

// One throwaway PostgreSQL server for the `api-postgresql` project: each API
// a test starts gets a database of its own on it (support/engine-under-test.ts).
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureEngines();
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
