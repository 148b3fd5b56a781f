import { afterAll, beforeAll } from 'vitest';
import { ensureEngines, type Redis, startRedis } from '../../../scripts/test-engines.ts';
import { PostgresFixture } from './postgres.ts';
import { type ApiProcess, spawnApi } from './process.ts';

/**
 * One test file's cluster: a throwaway PostgreSQL server and Redis, started
 * before its tests, and the API nodes it starts on them, killed and stopped
 * after them.
 */
export function clusterFixture() {
  const postgres = new PostgresFixture();
  let redis: Redis | undefined;
  const nodes: ApiProcess[] = [];

  beforeAll(async () => {
    ensureEngines();
    await postgres.start();
    redis = await startRedis();
  }, 600_000);

  afterAll(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    await Promise.all(nodes.map((node) => node.exited));
    await redis?.stop();
    await postgres.stop();
  });

  const redisUrl = () => {
    if (redis === undefined) throw new Error('the cluster fixture has not started');
    return redis.url;
  };
  return {
    postgres,
    /** An API node on the database, with the file's Redis (REDIS_URL). */
    async node(databaseUrl: string, env: Record<string, string> = {}): Promise<ApiProcess> {
      const node = await spawnApi({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl(), ...env });
      nodes.push(node);
      return node;
    },
  };
}
