import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OPERATION_LIMITS } from '../../src/graphql/yoga.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { type GraphQLResponse, rawGql, sseEvents } from '../support/graphql.ts';
import { waitFor } from '../support/wait.ts';

// The cost limit prices the values an operation runs with: a page size sent
// as a variable (or left to a variable's default) costs what the same literal
// costs, over every transport.
const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'variable-cost.db'));
  const events = Array.from({ length: 40 }, (_, i) => ({
    user_id: `cost-${String(i).padStart(2, '0')}`,
    kind: 'login',
    timestamp: 1_700_000_000_000 + i * 1000,
    meta: { browser: 'chrome', os: 'macos', ip: `10.0.0.${i}`, device: 'laptop' },
  }));
  expect((await server.post('/ingest', events)).status).toBe(200);
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

/** A page of users with their details: about 150 per user asked for, so 100 users are far over the limit. */
const USERS = (size: string) => /* GraphQL */ `
  users${size === '' ? '' : `(${size})`} {
    edges {
      node {
        id eventCount lastSeen
        drift { score reasons { code label weight evidence } }
        fingerprint { hash stability tokens latestTokens }
        latestEvent { id kind timestamp ip device browser os meta }
      }
    }
  }
`;

/** Each event's user's events: the page size counts twice (n²). */
const NESTED_EVENTS = (size: string) => /* GraphQL */ `
  events(${size}) { edges { node { id user { events(${size}) { edges { node { id kind } } } } } } }
`;

const COST_ERROR = 'COST_LIMIT_EXCEEDED';

function expectRefused(res: GraphQLResponse<unknown>): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.map((error) => error.extensions?.code)).toEqual([COST_ERROR]);
  expect(res.errors?.[0]?.message).toContain(String(OPERATION_LIMITS.maxCost));
}

describe('the cost limit with variables', () => {
  it('refuses a page size sent as a variable as it refuses the same literal', async () => {
    const literal = await rawGql(server, `{ ${USERS('first: 100')} }`);
    expectRefused(literal);
    const variable = await rawGql(server, `query($first: Int) { ${USERS('first: $first')} }`, { first: 100 });
    expectRefused(variable);
    expect(variable.errors?.[0]?.message).toBe(literal.errors?.[0]?.message);
  });

  it("prices a variable left out at its default, and an argument left out at the schema's default", async () => {
    expectRefused(await rawGql(server, `query($first: Int = 100) { ${USERS('first: $first')} }`));
    // `last` counts as `first` does, and the larger of the two is what is priced.
    expectRefused(await rawGql(server, `query($n: Int) { ${USERS('first: 1, last: $n')} }`, { n: 100 }));
    // In a fragment, a variable is the operation's.
    const fragment = await rawGql(
      server,
      `query($first: Int) { ...Page } fragment Page on Query { ${USERS('first: $first')} }`,
      { first: 100 },
    );
    expectRefused(fragment);
  });

  it('runs the same operation with a page size under the limit', async () => {
    const { data, errors } = await rawGql<{ users: { edges: unknown[] } }>(
      server,
      `query($first: Int = 30) { ${USERS('first: $first')} }`,
      { first: 25 },
    );
    expect(errors).toBeUndefined();
    expect(data?.users.edges).toHaveLength(25);
    // A page size left out is the default page (20): priced as 20, and it runs.
    const unsized = await rawGql<{ users: { edges: unknown[] } }>(server, `query { ${USERS('')} }`);
    expect(unsized.errors).toBeUndefined();
    expect(unsized.data?.users.edges).toHaveLength(20);
  });

  it('refuses over GET as over POST', async () => {
    const query = `query($n: Int) { user(id: "cost-01") { ${NESTED_EVENTS('first: $n')} } }`;
    const search = new URLSearchParams({ query, variables: JSON.stringify({ n: 100 }) });
    const res = await server.fetch(`/graphql?${search}`, { headers: { accept: 'application/graphql-response+json' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectRefused((await res.json()) as GraphQLResponse<unknown>);
  });

  it('refuses a subscription over SSE whose variables price it over the limit', async () => {
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: `subscription($n: Int) { eventIngested { user { ${NESTED_EVENTS('first: $n')} } } }`,
        variables: { n: 100 },
      }),
    });
    // Refused before it streams anything, as an operation that fails validation is.
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const first = await sseEvents(res).next();
    expect(first.done).toBe(false);
    expectRefused(first.value as GraphQLResponse<unknown>);
  });

  it('refuses over WebSocket (graphql-ws), for a query and for a subscription', async () => {
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const query = client.iterate({
        query: `query($n: Int) { user(id: "cost-01") { ${NESTED_EVENTS('first: $n')} } }`,
        variables: { n: 100 },
      });
      expectRefused((await query.next()).value as GraphQLResponse<unknown>);
      const subscription = client.iterate({
        query: `subscription($n: Int) { eventIngested { user { ${NESTED_EVENTS('first: $n')} } } }`,
        variables: { n: 100 },
      });
      expectRefused((await subscription.next()).value as GraphQLResponse<unknown>);
      // The same subscription with a small page is accepted: it waits for an event instead.
      const small = client.iterate({
        query: `subscription($n: Int) { eventIngested(userId: "ws-cost") { user { ${NESTED_EVENTS('first: $n')} } } }`,
        variables: { n: 2 },
      });
      const next = small.next();
      // The refused subscriptions never listened: this one is the only one.
      await waitFor(() => server.api.subscribers.count('eventIngested') === 1, 'the small subscription to listen');
      expect((await server.post('/ingest', { user_id: 'ws-cost', kind: 'login' })).status).toBe(200);
      const value = (await next).value as GraphQLResponse<{ eventIngested: unknown }> | undefined;
      expect(value?.errors).toBeUndefined();
      expect(value?.data?.eventIngested).toBeTruthy();
      await small.return?.();
    } finally {
      await client.dispose();
    }
  });
});
