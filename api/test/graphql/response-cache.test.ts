import { join } from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;
let statements = 0;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'cache.db'), {}, { onQuery: () => (statements += 1) });
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const USER = graphql(`
  query CachedUser($id: ID!) {
    user(id: $id) { eventCount drift { score } }
  }
`);

const ingest = (userId: string, browser: string) =>
  server.post('/ingest', { user_id: userId, kind: 'login', meta: { browser } });

describe('response cache', () => {
  it('answers a repeated query from the cache without touching the database', async () => {
    await ingest('alice', 'chrome');
    const first = await gql(server, USER, { id: 'alice' });
    const before = statements;
    const second = await gql(server, USER, { id: 'alice' });
    expect(statements).toBe(before);
    expect(second.data).toEqual(first.data);
  });

  it('answers cached results for any user id, non-ASCII included (the cache key travels as the ETag header)', async () => {
    await ingest('ユーザー', 'chrome');
    const first = await gql(server, USER, { id: 'ユーザー' });
    const second = await gql(server, USER, { id: 'ユーザー' });
    expect(first.data?.user?.eventCount).toBe(1);
    expect(second.data).toEqual(first.data);
  });

  it('skips the cache for a request with Cache-Control: no-cache', async () => {
    await gql(server, USER, { id: 'alice' });
    const before = statements;
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
      body: JSON.stringify({ query: print(USER), variables: { id: 'alice' } }),
    });
    expect(res.status).toBe(200);
    expect(statements).toBeGreaterThan(before);
  });

  it('never serves a stale user: a commit for the user drops its cached results (REST ingest included)', async () => {
    await gql(server, USER, { id: 'alice' });
    await ingest('alice', 'firefox');
    const fresh = await gql(server, USER, { id: 'alice' });
    expect(fresh.data?.user).toEqual({ eventCount: 2, drift: { score: 5 } });
  });

  it('does not cache a null user: the user appears with its first event', async () => {
    expect((await gql(server, USER, { id: 'newcomer' })).data?.user).toBeNull();
    await ingest('newcomer', 'safari');
    expect((await gql(server, USER, { id: 'newcomer' })).data?.user?.eventCount).toBe(1);
  });

  it('does not cache rankings and totals, which any event changes', async () => {
    const overview = graphql(`
      query UncachedOverview {
        overview { events }
        users(first: 100) { nodes { id } }
      }
    `);
    const before = await gql(server, overview);
    await ingest('someone-else', 'edge');
    const after = await gql(server, overview);
    expect(after.data?.overview.events).toBe((before.data?.overview.events ?? 0) + 1);
    expect(after.data?.users.nodes).toContainEqual({ id: 'someone-else' });
  });
});
