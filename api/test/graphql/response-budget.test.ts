import { join } from 'node:path';
import Database from 'better-sqlite3';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { type GraphQLResponse, gql, sseEvents } from '../support/graphql.ts';
import { waitFor } from '../support/wait.ts';

// Events stored before meta had a size limit can be large, and many moderate
// ones add up: a GraphQL answer is held to MAX_RESPONSE_BYTES as it is built.
const MAX_RESPONSE_BYTES = loadConfig({}).maxResponseBytes;
const META_BYTES = 200 * 1024;
// Enough 200 KB metas to pass the default budget by a quarter.
const LARGE_EVENTS = Math.ceil((MAX_RESPONSE_BYTES * 1.25) / META_BYTES);
const tmp = tempDir();
let server: RunningApi;

const PAGE = graphql(`
  query EventsWithMeta($id: ID!, $first: Int) {
    user(id: $id) { events(first: $first) { edges { node { id kind meta } } } }
  }
`);

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'response-budget.db'));
  const events = Array.from({ length: LARGE_EVENTS }, (_, i) => ({
    user_id: 'hoarder',
    kind: 'login',
    timestamp: 1_700_000_000_000 + i * 1000,
    meta: { browser: 'chrome' },
  }));
  expect((await server.post('/ingest', events)).status).toBe(200);
  expect(
    (await server.post('/ingest', { user_id: 'modest', kind: 'login', meta: { browser: 'firefox' } })).status,
  ).toBe(200);
  // As stored by a version without a meta limit: written to the file directly.
  const db = new Database(server.dbFile);
  try {
    db.pragma('busy_timeout = 10000');
    const meta = JSON.stringify({ browser: 'chrome', blob: 'x'.repeat(META_BYTES) });
    const { changes } = db.prepare('UPDATE "Event" SET meta = ? WHERE userId = ?').run(meta, 'hoarder');
    expect(changes).toBe(LARGE_EVENTS);
  } finally {
    db.close();
  }
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

async function post(query: string, variables: Record<string, unknown>) {
  const res = await server.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, bytes: text.length, body: JSON.parse(text) as GraphQLResponse<unknown> };
}

describe('the GraphQL response budget (MAX_RESPONSE_BYTES)', () => {
  it('refuses an answer past the budget with RESPONSE_TOO_LARGE and no partial data', async () => {
    const { status, bytes, body } = await post(print(PAGE), { id: 'hoarder', first: 100 });
    expect(status).toBeLessThan(500);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(body.errors?.[0]?.message).toContain(String(MAX_RESPONSE_BYTES));
    expect(bytes).toBeLessThan(10_000);
  });

  it('keeps answering: the next request, and a page within the budget, with meta whole', async () => {
    const count = await gql(
      server,
      graphql(`
        query HoarderEventCount {
          user(id: "hoarder") { eventCount }
        }
      `),
    );
    expect(count.data?.user?.eventCount).toBe(LARGE_EVENTS);
    const page = await gql(server, PAGE, { id: 'hoarder', first: 10 });
    expect(page.errors).toBeUndefined();
    const edges = page.data?.user?.events.edges ?? [];
    expect(edges).toHaveLength(10);
    expect(edges.every((edge) => String(edge.node.meta?.blob).length === META_BYTES)).toBe(true);
    const modest = await gql(server, PAGE, { id: 'modest', first: 100 });
    expect(modest.errors).toBeUndefined();
    expect(modest.data?.user?.events.edges.map((edge) => edge.node.meta)).toEqual([{ browser: 'firefox' }]);
  });

  it('holds each subscription event to the budget: an event past it is delivered as that error alone', async () => {
    const controller = new AbortController();
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: /* GraphQL */ `subscription($id: ID!) {
          eventIngested(userId: $id) { kind user { events(first: 100) { edges { node { meta } } } } }
        }`,
        variables: { id: 'hoarder' },
      }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const first = sseEvents<{ eventIngested: unknown }>(res).next();
    // The stream is answered before the subscription listens.
    await waitFor(() => server.api.subscribers.count('eventIngested') === 1, 'the subscription to listen');
    expect((await server.post('/ingest', { user_id: 'hoarder', kind: 'logout' })).status).toBe(200);
    const payload = (await first).value as GraphQLResponse<unknown>;
    expect(payload.errors?.map((error) => error.extensions?.code)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(payload.data ?? null).toBeNull();
    controller.abort();
  });
});
