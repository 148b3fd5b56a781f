import { spawnSync } from 'node:child_process';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { startApiOn } from '../support/api.ts';
import { gql } from '../support/graphql.ts';
import { PostgresFixture } from '../support/postgres.ts';
import { ROOT, spawnApi } from '../support/process.ts';
import { waitFor } from '../support/wait.ts';

// The API with DATABASE_URL=postgresql://…: migrated on first start, then
// everything stored in that database, read back after a restart and a kill.

const postgres = new PostgresFixture();

beforeAll(async () => {
  await postgres.start();
}, 600_000);

afterAll(async () => {
  await postgres.stop();
});

const login = (userId: string, ip: string, browser = 'chrome') => ({
  user_id: userId,
  kind: 'login',
  meta: { ip, browser, os: 'windows', device: 'laptop' },
});

const PG_USER = graphql(`
  query PostgresUser($id: ID!) {
    user(id: $id) { eventCount drift { score } risk { score } events(first: 5) { nodes { ip } } }
  }
`);

const PG_DELETE_USER = graphql(`
  mutation PostgresDeleteUser($id: ID!) {
    deleteUser(id: $id) { events }
  }
`);

const PG_EVENT_COUNT = graphql(`
  query PostgresEventCount($id: ID!) {
    user(id: $id) { eventCount }
  }
`);

/** Runs `npm run keys -- …` (the script itself) on a database. */
function keysCli(databaseUrl: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'api/scripts/keys.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the API on PostgreSQL', () => {
  it('migrates an empty database, then stores and answers through REST and GraphQL, live updates included', async () => {
    const url = await postgres.database('api');
    let server = await startApiOn(url);
    try {
      const sse = createClient({ url: `${server.url}/graphql`, retryAttempts: 0 });
      const live = sse.iterate<{ eventIngested: { ip: string } }>({
        query: 'subscription { eventIngested(userId: "pg-user") { ip } }',
      });
      const heard = live.next();
      await waitFor(() => server.api.subscribers.count('eventIngested') === 1, 'the subscription to listen');
      expect(await (await server.post('/ingest', login('pg-user', '12.34.56.78'))).text()).toBe(
        '{"ok":true,"stored":true}',
      );
      expect((await heard).value?.data).toEqual({ eventIngested: { ip: '12.34.56.78' } });
      await live.return?.();
      sse.dispose();

      await server.post('/ingest', [login('pg-user', '98.76.54.32', 'firefox'), login('pg-user', '98.76.54.33')]);
      const user = await gql(server, PG_USER, { id: 'pg-user' }, { 'cache-control': 'no-cache' });
      expect(user.errors).toBeUndefined();
      expect(user.data?.user).toMatchObject({
        eventCount: 3,
        drift: { score: 25 },
        events: { nodes: [{ ip: '98.76.54.33' }, { ip: '98.76.54.32' }, { ip: '12.34.56.78' }] },
      });
      expect(await (await server.fetch('/drift/pg-user')).json()).toEqual({
        events: 3,
        drift_score: 25,
        reasons: ['Multiple IPs', 'Multiple Browsers'],
      });

      // Stored, not held: a restart on the same database reads it all back.
      server = await server.restart();
      expect(await (await server.fetch('/profiles')).json()).toEqual({ 'pg-user': 3 });
      const deleted = await gql(server, PG_DELETE_USER, { id: 'pg-user' });
      expect(deleted.data?.deleteUser.events).toBe(3);
      expect((await server.fetch('/drift/pg-user')).status).toBe(404);
      expect(await (await server.fetch('/health')).json()).toMatchObject({ ok: true, database: 'ok' });
    } finally {
      await server.stop();
    }
  });

  it('takes keys made by the keys CLI on the same database, and refuses what is not a database URL', async () => {
    const url = await postgres.database('keys_cli');
    const created = keysCli(url, 'create', '--role', 'admin', '--name', 'ops');
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(keysCli(url, 'list').stdout).toMatch(/admin\s+created .* ops/);
    const server = await startApiOn(url, { HOST: '127.0.0.1' });
    try {
      expect((await server.fetch('/profiles')).status).toBe(401);
      expect((await server.fetch('/profiles', { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(keysCli('mysql://db/drift', 'list').stderr).toMatch(/DATABASE_URL/);
  });

  it('loses no acknowledged event when the process is killed, and serves them after a restart', async () => {
    const url = await postgres.database('killed');
    const first = await spawnApi({ DATABASE_URL: url });
    const acknowledged: string[] = [];
    try {
      const sends = Array.from({ length: 40 }, async (_, n) => {
        const res = await fetch(`${first.url}/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...login(`killed-${n % 4}`, '12.34.56.78'), event_id: `e${n}` }),
        }).catch(() => null);
        if (res?.status === 200) acknowledged.push(`e${n}`);
      });
      await waitFor(() => acknowledged.length >= 10, 'some events acknowledged');
      first.child.kill('SIGKILL');
      await Promise.all(sends);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    const second = await spawnApi({ DATABASE_URL: url });
    try {
      const counts = (await (await fetch(`${second.url}/profiles`)).json()) as Record<string, number>;
      const stored = Object.values(counts).reduce((sum, count) => sum + count, 0);
      expect(stored).toBeGreaterThanOrEqual(acknowledged.length);
      for (const eventId of acknowledged) {
        const n = Number(eventId.slice(1));
        const timeline = (await (await fetch(`${second.url}/timeline/killed-${n % 4}`)).json()) as unknown[];
        expect(JSON.stringify(timeline)).toContain(`"${eventId}"`);
      }
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  // Last: it stops this file's PostgreSQL server.
  it('answers 503 with a retry when PostgreSQL is gone, never a 500, and says so on /health', async () => {
    const url = await postgres.database('gone');
    const server = await startApiOn(url);
    try {
      expect((await server.post('/ingest', login('before', '12.34.56.78'))).status).toBe(200);
      await postgres.stop();
      const ingest = await server.post('/ingest', login('after', '12.34.56.78'));
      expect(ingest.status).toBe(503);
      expect(ingest.headers.get('retry-after')).not.toBeNull();
      expect(await ingest.json()).toMatchObject({ ok: false, error: 'unavailable' });
      const drift = await server.fetch('/drift/before');
      expect(drift.status).toBe(503);
      const answer = await gql(server, PG_EVENT_COUNT, { id: 'before' }, { 'cache-control': 'no-cache' });
      expect(answer.status).toBe(503);
      expect(answer.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
      const health = await server.fetch('/health');
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false, database: 'unavailable' });
    } finally {
      await server.stop();
    }
  });
});
