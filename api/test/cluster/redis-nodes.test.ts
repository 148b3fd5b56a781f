import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { Redis as RedisClient } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ensureEngines, type Redis, startRedis } from '../../../scripts/test-engines.ts';
import { KeyStore } from '../../src/storage/key-store.ts';
import { openMigratedDatabase } from '../../src/storage/sqlite.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { type ApiProcess, spawnApi } from '../support/process.ts';
import { waitFor } from '../support/wait.ts';

// Two API nodes and one Redis: what one node commits reaches the other's
// subscribers and drops the other's cached results. Node A is a process of
// its own, node B runs in this one (its subscribers and cache can be
// watched); both read one database file, and only node A writes to it.

const tmp = tempDir();
let redis: Redis;
let a: ApiProcess & { post(path: string, body: unknown): Promise<Response> };
let b: RunningApi;
let statementsOnB = 0;
const spawned: ApiProcess[] = [];

async function spawnNode(env: Record<string, string>) {
  const node = await spawnApi(env);
  spawned.push(node);
  return {
    ...node,
    post: (path: string, body: unknown) =>
      fetch(`${node.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

beforeAll(async () => {
  ensureEngines();
  redis = await startRedis();
  const db = join(tmp.dir, 'nodes.db');
  b = await startApi(db, { REDIS_URL: redis.url }, { onQuery: () => (statementsOnB += 1) });
  a = await spawnNode({ DATABASE_URL: `file:${db}`, REDIS_URL: redis.url });
  await b.api.bus.ready();
}, 600_000);

afterAll(async () => {
  for (const node of spawned) node.child.kill('SIGTERM');
  await Promise.all(spawned.map((node) => node.exited));
  await b?.stop();
  await redis?.stop();
  tmp.cleanup();
});

type Topic = Parameters<RunningApi['api']['subscribers']['count']>[0];
const listeningOnB = (topic: Topic, count: number) =>
  waitFor(() => b.api.subscribers.count(topic) === count, `${count} subscriptions to ${topic} on node B`);
const loginOnA = (userId: string, ip: string, browser = 'chrome'): Promise<Response> =>
  a.post('/ingest', { user_id: userId, kind: 'login', meta: { ip, browser, os: 'windows', device: 'laptop' } });

describe('API nodes sharing one Redis', () => {
  it('a graphql-sse subscriber on node B receives an event ingested on node A', async () => {
    const client = createSseClient({ url: `${b.url}/graphql`, retryAttempts: 0 });
    const subscription = client.iterate<{ eventIngested: { kind: string; ip: string; user: { id: string } } }>({
      query: 'subscription { eventIngested(userId: "sse-across") { kind ip user { id } } }',
    });
    const next = subscription.next();
    await listeningOnB('eventIngested', 1);
    expect((await loginOnA('sse-across', '203.0.113.30')).status).toBe(200);
    expect((await next).value?.data).toEqual({
      eventIngested: { kind: 'login', ip: '203.0.113.30', user: { id: 'sse-across' } },
    });
    await subscription.return?.();
    client.dispose();
    await listeningOnB('eventIngested', 0);
  });

  it('a graphql-ws subscriber on node B hears drift changes and alerts committed on node A', async () => {
    const client = createWsClient({
      url: `${b.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const drift = client.iterate<{ driftChanged: { user: { id: string }; score: number } }>({
      query: 'subscription { driftChanged(userId: "ws-across") { user { id } score } }',
    });
    const changed = drift.next();
    await listeningOnB('driftChanged', 1);
    await loginOnA('ws-across', '203.0.113.31', 'chrome');
    // A second browser on another network: the legacy score moves.
    await loginOnA('ws-across', '198.51.100.7', 'firefox');
    const heard = (await changed).value?.data?.driftChanged;
    expect(heard?.user.id).toBe('ws-across');
    expect(heard?.score).toBeGreaterThan(0);
    await drift.return?.();
    await client.dispose();
  });

  it('a result node B cached is dropped when node A commits for that user', async () => {
    const query = { query: '{ user(id: "cached-across") { eventCount } }' };
    const ask = async () => {
      const res = await b.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(query),
      });
      return ((await res.json()) as { data: { user: { eventCount: number } | null } }).data.user;
    };
    await loginOnA('cached-across', '203.0.113.32');
    expect(await ask()).toEqual({ eventCount: 1 });
    // Asked again, node B answers from its cache without touching the database.
    const before = statementsOnB;
    expect(await ask()).toEqual({ eventCount: 1 });
    expect(statementsOnB).toBe(before);
    await loginOnA('cached-across', '203.0.113.32');
    let latest: { eventCount: number } | null = null;
    await waitFor(async () => {
      latest = await ask();
      return latest?.eventCount === 2;
    }, 'node B to drop its cached result');
    expect(latest).toEqual({ eventCount: 2 });
  });

  it('keeps storing while Redis is down, and relays again once it is back', async () => {
    const port = redis.port;
    const count = async (node: RunningApi) => {
      const res = await node.post('/graphql', { query: '{ user(id: "through-outage") { eventCount } }' });
      return ((await res.json()) as { data: { user: { eventCount: number } | null } }).data.user?.eventCount;
    };
    await loginOnA('through-outage', '203.0.113.33');
    expect(await count(b)).toBe(1);
    await redis.stop();
    await waitFor(() => !b.api.bus.hearing(), 'node B to notice Redis is gone');
    // Acknowledged and readable on both nodes: storage never waits on Redis.
    expect((await loginOnA('through-outage', '203.0.113.33')).status).toBe(200);
    const read = await b.fetch('/profiles');
    expect(((await read.json()) as Record<string, number>)['through-outage']).toBe(2);
    // Node B cannot hear node A's drops: it answers from the database, not from its cache.
    expect(await count(b)).toBe(2);
    // Still ready (it serves alone), and says it does not hear the others.
    const health = async () => {
      const res = await b.fetch('/health');
      return { http: res.status, ...((await res.json()) as { ok: boolean; redis?: string }) };
    };
    expect(await health()).toMatchObject({ http: 200, ok: true, redis: 'unreachable' });
    expect(await (await b.fetch('/metrics')).text()).toMatch(/^persona_drift_redis_hearing 0$/m);

    await waitFor(() => /Redis unreachable/.test(a.logs()), 'node A to notice Redis is gone');
    const logged = a.logs().length;
    redis = await startRedis({ port });
    await waitFor(
      () => /Redis reachable again[^\n]*bus publisher/.test(a.logs().slice(logged)),
      'node A back on Redis',
      30_000,
    );
    await waitFor(
      () =>
        b.api.bus.ready().then(
          () => true,
          () => false,
        ),
      'node B back on Redis',
      30_000,
    );
    expect(await health()).toMatchObject({ http: 200, ok: true, redis: 'ok' });
    const client = createSseClient({ url: `${b.url}/graphql`, retryAttempts: 0 });
    const subscription = client.iterate<{ eventIngested: { ip: string } }>({
      query: 'subscription { eventIngested(userId: "after-outage") { ip } }',
    });
    const next = subscription.next();
    await listeningOnB('eventIngested', 1);
    await loginOnA('after-outage', '203.0.113.34');
    expect((await next).value?.data).toEqual({ eventIngested: { ip: '203.0.113.34' } });
    await subscription.return?.();
    client.dispose();
  });
});

describe('rate limits across nodes', () => {
  it('an address that used up its failed authentications on node C is refused on node D', {
    timeout: 180_000,
  }, async () => {
    const db = join(tmp.dir, 'limits.db');
    const setup = openMigratedDatabase(db);
    new KeyStore(setup).create('admin', 'test admin', 'cli');
    setup.close();
    // 20 failed authentications per address, refilling one every 3 seconds.
    const env = { DATABASE_URL: `file:${db}`, REDIS_URL: redis.url, AUTH_FAILURES_PER_IP: '20' };
    const c = await spawnNode(env);
    const d = await spawnNode(env);
    const guess = (node: ApiProcess) =>
      fetch(`${node.url}/profiles`, {
        headers: { 'x-forwarded-for': '198.51.100.77', authorization: 'Bearer pd_wrong' },
      }).then((res) => res.status);
    const left = async () => {
      const tokens = await watcher.hget('persona-drift:rate:auth-failures:198.51.100.77', 'tokens');
      return tokens === null ? null : Number(tokens);
    };
    const watcher = new RedisClient(redis.url);
    try {
      // Node D has seen the address fail once: alone, it would let it fail 19 more times.
      expect(await guess(d)).toBe(401);
      await waitFor(async () => (await left()) !== null, 'node D to report the failure');
      const onC: number[] = [];
      for (let i = 0; i < 25; i++) onC.push(await guess(c));
      expect(onC.filter((status) => status === 401).length).toBeGreaterThanOrEqual(15);
      expect(onC.at(-1)).toBe(429);
      await waitFor(async () => ((await left()) ?? 20) < 1, 'node C to report the failures');
      // A client guessing 20 times a second, now on node D.
      let failedOnD = 0;
      await waitFor(
        async () => {
          await delay(50);
          const status = await guess(d);
          if (status === 401) failedOnD += 1;
          return status === 429;
        },
        'node D to refuse the address',
        20_000,
      );
      expect(failedOnD).toBeLessThan(10);
    } finally {
      watcher.disconnect();
    }
  });
});
