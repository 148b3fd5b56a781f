import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLObjectType } from 'graphql';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printedSchema } from '../../src/graphql/print.ts';
import { schema } from '../../src/graphql/schema/index.ts';
import { OPERATION_LIMITS } from '../../src/graphql/yoga.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql, rawGql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'protocol.db'));
  await server.post('/ingest', { user_id: 'p', kind: 'login', meta: { device: 'laptop' } });
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

describe('the GraphQL contract', () => {
  it('is committed: api/schema.graphql equals the printed schema', () => {
    const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed, 'run `npm run schema:print` and commit api/schema.graphql').toBe(printedSchema());
  });

  it('names the fields clients code against', () => {
    const signature = (type: GraphQLObjectType | null | undefined, name: string) => {
      const field = type?.getFields()[name];
      if (field === undefined) return `${name}: missing`;
      const args = field.args.map((a) => `${a.name}: ${String(a.type)}`).sort();
      return `${name}(${args.join(', ')}): ${String(field.type)}`;
    };
    expect(signature(schema.getQueryType(), 'user')).toBe('user(id: ID!): User');
    expect(signature(schema.getQueryType(), 'users')).toBe(
      'users(after: String, before: String, direction: SortDirection, first: Int, last: Int, minDriftScore: Int, orderBy: UserOrder, search: String, verdict: [VerdictKind!]): UserConnection!',
    );
    expect(signature(schema.getQueryType(), 'event')).toBe('event(id: ID!): Event');
    expect(signature(schema.getMutationType(), 'ingestEvent')).toBe(
      'ingestEvent(input: EventInput!): IngestEventResult!',
    );
    expect(signature(schema.getMutationType(), 'ingestEvents')).toBe(
      'ingestEvents(inputs: [EventInput!]!): IngestEventsResult!',
    );
    expect(signature(schema.getSubscriptionType(), 'eventIngested')).toBe('eventIngested(userId: ID): Event!');
    expect(signature(schema.getSubscriptionType(), 'driftChanged')).toBe(
      'driftChanged(minScore: Int, userId: ID): DriftChange!',
    );
    const user = schema.getType('User') as GraphQLObjectType;
    expect(Object.keys(user.getFields())).toEqual(
      expect.arrayContaining(['id', 'eventCount', 'firstSeen', 'lastSeen', 'drift', 'fingerprint', 'events']),
    );
    expect(signature(user, 'events')).toBe(
      'events(after: String, before: String, first: Int, kind: String, last: Int, order: SortDirection, since: DateTime, until: DateTime): EventConnection!',
    );
  });
});

describe('GraphQL over HTTP', () => {
  const audits = serverAudits({ url: () => `${server.url}/graphql` });

  it.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
  });

  it('answers GET queries, and refuses mutations over GET', async () => {
    const get = await server.fetch(`/graphql?query=${encodeURIComponent('{ user(id: "p") { eventCount } }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(await get.json()).toEqual({ data: { user: { eventCount: 1 } } });
    const mutation = await server.fetch(
      `/graphql?query=${encodeURIComponent('mutation { ingestEvent(input: {userId: "g", kind: "k"}) { __typename } }')}`,
      { headers: { accept: 'application/json' } },
    );
    expect(mutation.status).toBe(405);
  });
});

describe('bad paging arguments', () => {
  const USERS_PAGE = graphql(`
    query BadUsersPage($first: Int, $last: Int, $after: String) {
      users(first: $first, last: $last, after: $after) { totalCount }
    }
  `);
  const EVENTS_PAGE = graphql(`
    query BadEventsPage($after: String) {
      user(id: "p") { events(after: $after) { edges { cursor } } }
    }
  `);
  it.each([
    ['a negative first', () => gql(server, USERS_PAGE, { first: -5 }), 'first'],
    ['a negative last', () => gql(server, USERS_PAGE, { last: -1 }), 'last'],
    ['a cursor it never issued', () => gql(server, USERS_PAGE, { first: 5, after: 'garbage' }), 'cursor'],
    ['a bad events cursor', () => gql(server, EVENTS_PAGE, { after: 'x' }), 'cursor'],
  ])('%s is BAD_USER_INPUT', async (_name, run, word) => {
    const res = await run();
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain(word);
  });
});

describe('abuse limits', () => {
  it(`refuses operations nested deeper than ${OPERATION_LIMITS.maxDepth}`, async () => {
    let selection = 'id';
    for (let i = 0; i < 7; i++) selection = `user { latestEvent { ${selection} } }`;
    const res = await rawGql(server, `{ event(id: "1") { ${selection} } }`);
    expect(res.data ?? null).toBeNull();
    expect(JSON.stringify(res.errors)).toMatch(/depth/i);
  });

  it(`refuses more than ${OPERATION_LIMITS.maxAliases} aliases`, async () => {
    const aliases = Array.from({ length: OPERATION_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: overview { users }`).join(
      ' ',
    );
    const res = await rawGql(server, `{ ${aliases} }`);
    expect(res.data ?? null).toBeNull();
    expect(JSON.stringify(res.errors)).toMatch(/aliases/i);
  });

  it('caps a page at 100 items, and refuses a request whose cost is far over', async () => {
    const events = Array.from({ length: 120 }, (_, i) => ({
      user_id: 'many',
      kind: 'login',
      timestamp: 1_700_000_000_000 + i,
    }));
    await server.post('/ingest', events);
    const { data } = await gql(
      server,
      graphql(`
        query OversizedPage {
          user(id: "many") { events(first: 150) { edges { cursor } } }
        }
      `),
    );
    expect(data?.user?.events.edges).toHaveLength(100);
    const huge = await rawGql(
      server,
      '{ user(id: "many") { events(first: 100000) { edges { cursor node { meta } } } } }',
    );
    expect(huge.data ?? null).toBeNull();
    expect(JSON.stringify(huge.errors)).toMatch(/cost/i);
  });
});

describe('the request body limit (MAX_BODY_BYTES, 1 MiB by default)', () => {
  const INGEST = 'mutation($e: EventInput!) { ingestEvent(input: $e) { __typename } }';
  const body = (userId: string, padding: number) =>
    JSON.stringify({
      query: INGEST,
      variables: { e: { userId, kind: 'login' } },
      // The bulk rides beside the operation: an event's meta has a limit of its own.
      extensions: { pad: 'x'.repeat(padding) },
    });
  /** Streams the body in chunks with no Content-Length (chunked transfer encoding). */
  const chunked = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(text);
        for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
  const post = (payload: string | ReadableStream<Uint8Array>) =>
    server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: payload,
      duplex: 'half',
    } as RequestInit);
  const stored = async (userId: string) => (await server.fetch(`/drift/${userId}`)).status === 200;

  it('refuses a declared length over the limit with 413 REQUEST_ENTITY_TOO_LARGE, storing nothing', async () => {
    const res = await post(body('declared-big', 1_100_000));
    expect(res.status).toBe(413);
    const answer = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(answer.errors[0]?.extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    // Not left open for the rest of the declared body.
    expect(res.headers.get('connection')).toBe('close');
    expect(await stored('declared-big')).toBe(false);
  });

  it('counts a chunked body as it streams: over the limit is 413, under it is stored', async () => {
    const over = await post(chunked(body('chunked-big', 1_100_000)));
    expect(over.status).toBe(413);
    expect(JSON.stringify(await over.json())).toContain('REQUEST_ENTITY_TOO_LARGE');
    expect(await stored('chunked-big')).toBe(false);

    const under = await post(chunked(body('chunked-small', 200_000)));
    expect(under.status).toBe(200);
    expect(await under.json()).toEqual({ data: { ingestEvent: { __typename: 'IngestEventPayload' } } });
    expect(await stored('chunked-small')).toBe(true);
  });

  it('refuses a malformed Content-Length with BAD_REQUEST (the HTTP parser refuses most before it)', async () => {
    const res = await server.api.graphql.fetch('http://127.0.0.1/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '10, 10' },
      body: '{"query":"{ overview { users } }"}',
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('BAD_REQUEST');
  });
});

describe('production switches', () => {
  it('turns introspection and GraphiQL off by configuration', async () => {
    const locked = await startApiElsewhere({ GRAPHQL_INTROSPECTION: 'false', GRAPHIQL: 'false' });
    try {
      const introspection = await rawGql(locked, '{ __schema { types { name } } }');
      expect(introspection.data ?? null).toBeNull();
      expect(JSON.stringify(introspection.errors)).toMatch(/introspection/i);
      const page = await locked.fetch('/graphql', { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('<html');
      // Ordinary queries still work.
      const overview = graphql(`
        query OverviewWhileLocked {
          overview { users }
        }
      `);
      expect((await gql(locked, overview)).data).toEqual({ overview: { users: 0 } });
    } finally {
      await locked.stop();
    }
  });

  it('serves a self-contained GraphiQL by default (no CDN)', async () => {
    const page = await (await server.fetch('/graphql', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('<html');
    expect(page).not.toMatch(/<script[^>]+src="https?:/);
    expect(page).not.toMatch(/<link[^>]+href="https?:/);
  });
});

/** A second API in this process, on its own database (the shared one is stopped and restored around it). */
async function startApiElsewhere(env: Record<string, string>): Promise<RunningApi> {
  await server.stop();
  const other = await startApi(join(tmp.dir, `other-${Date.now()}.db`), env);
  return {
    ...other,
    async stop() {
      await other.stop();
      server = await startApi(server.dbFile);
    },
  };
}
