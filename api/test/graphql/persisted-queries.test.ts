import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentStore, PERSISTED_QUERY_LIMITS } from '../../src/graphql/persisted-queries.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

// Apollo Client with automatic persisted queries, against the real API.

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'persisted-queries.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const login = (userId: string, ip: string) => server.post('/ingest', { user_id: userId, kind: 'login', meta: { ip } });

describe('automatic persisted queries (Apollo Client)', () => {
  // Parsed here, not a tagged template: codegen types only this repo's own `graphql()` documents.
  const USER = parse('query PersistedUser($id: ID!) { user(id: $id) { id eventCount } }');
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  /** An Apollo Client sending hashes first, with every request body and status it saw. */
  function apollo() {
    const sent: Array<{ body: Record<string, unknown>; status: number }> = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      sent.push({ body: JSON.parse(String(init?.body)) as Record<string, unknown>, status: res.status });
      return res;
    };
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: new PersistedQueryLink({ sha256 }).concat(
        new HttpLink({ uri: `${server.url}/graphql`, fetch: recordingFetch }),
      ),
    });
    return { client, sent };
  }

  it('answers an unknown hash with PersistedQueryNotFound, stores the document sent next, then runs the hash alone', async () => {
    await login('apq', '198.51.100.8');
    const first = apollo();
    const { data } = await first.client.query({ query: USER, variables: { id: 'apq' }, fetchPolicy: 'network-only' });
    expect(data).toEqual({ user: { __typename: 'User', id: 'apq', eventCount: 1 } });
    expect(first.sent.map(({ body, status }) => [typeof body.query, status])).toEqual([
      ['undefined', 404],
      ['string', 200],
    ]);

    // Another client, the hash alone: the server knows the document now.
    const second = apollo();
    const again = await second.client.query({ query: USER, variables: { id: 'apq' }, fetchPolicy: 'network-only' });
    expect(again.data).toEqual(data);
    expect(second.sent).toHaveLength(1);
    expect(second.sent[0]?.body.query).toBeUndefined();
    expect(second.sent[0]?.status).toBe(200);
  });

  it('refuses a document that does not match its hash', async () => {
    const res = await server.post('/graphql', {
      query: '{ overview { users } }',
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ overview { events } }') } },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('provided sha does not match query');
  });
});

describe('the persisted documents', () => {
  it('are bounded in number and size, the least recently used going first', () => {
    const store = new DocumentStore();
    store.set('first', '{ a }');
    for (let i = 0; i < PERSISTED_QUERY_LIMITS.entries; i++) {
      store.set(`h${i}`, `{ b${i} }`);
      // Used again: kept while the others are pushed out.
      if (i % 100 === 0) store.get('h0');
    }
    expect(store.get('first')).toBeUndefined();
    expect(store.get('h0')).toBe('{ b0 }');
    const big = 'x'.repeat(PERSISTED_QUERY_LIMITS.chars / 2 + 1);
    store.set('big1', big);
    store.set('big2', big);
    expect(store.get('big1')).toBeUndefined();
    expect(store.get('big2')).toBe(big);
    store.set('too-big', 'x'.repeat(PERSISTED_QUERY_LIMITS.chars + 1));
    expect(store.get('too-big')).toBeUndefined();
  });
});
