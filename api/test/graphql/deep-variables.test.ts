import { join } from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VARIABLE_DEPTH } from '../../src/graphql/variable-limits.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { type GraphQLResponse, gql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'deep-variables.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

/** JSON text of objects nested `depth` deep, written out (JSON.stringify would overflow the stack building it). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const INGEST = print(
  graphql(`
    mutation IngestWithNestedExtra($e: EventInput!) {
      ingestEvent(input: $e) { __typename }
    }
  `),
);

async function post(body: string): Promise<GraphQLResponse<unknown> & { status: number }> {
  const res = await server.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body,
  });
  return { status: res.status, ...((await res.json()) as GraphQLResponse<unknown>) };
}

const ingestBody = (userId: string, extra: string) =>
  `{"query":${JSON.stringify(INGEST)},"variables":{"e":{"userId":"${userId}","kind":"login","meta":{"extra":${extra}}}}}`;

async function storedEvents(userId: string): Promise<number> {
  const res = await gql(
    server,
    graphql(`
      query StoredEventsOfUser($id: ID!) {
        user(id: $id) { eventCount }
      }
    `),
    { id: userId },
  );
  return res.data?.user?.eventCount ?? 0;
}

describe('deeply nested variables', () => {
  it('refuses a JSON variable 60,000 deep with BAD_USER_INPUT naming the variable, storing nothing', async () => {
    const res = await post(ingestBody('deep-60k', nested(60_000)));
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('$e');
    expect(res.errors?.[0]?.message).toContain(String(MAX_VARIABLE_DEPTH));
    expect(await storedEvents('deep-60k')).toBe(0);
  });

  it('refuses an undeclared variable nested as deep (it is never coerced, but it is still read)', async () => {
    const res = await post(`{"query":"{ overview { users } }","variables":{"junk":${nested(60_000)}}}`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('$junk');
  });

  it(`takes a variable nested ${MAX_VARIABLE_DEPTH} deep, refuses one level more`, async () => {
    const body = (depth: number) => `{"query":"{ overview { users } }","variables":{"junk":${nested(depth)}}}`;
    const atLimit = await post(body(MAX_VARIABLE_DEPTH));
    expect(atLimit.errors).toBeUndefined();
    expect(atLimit.data).toBeTruthy();
    const over = await post(body(MAX_VARIABLE_DEPTH + 1));
    expect(over.status).toBe(400);
    expect(over.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps answering afterwards', async () => {
    const res = await gql(
      server,
      graphql(`
        query StillAnswering {
          overview { users }
        }
      `),
    );
    expect(res.status).toBe(200);
    expect(res.data?.overview.users).toBeTypeOf('number');
  });
});
