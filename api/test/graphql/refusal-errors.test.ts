import { join } from 'node:path';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { createKeys } from '../support/engine-under-test.ts';

// Every refusal on /graphql comes in GraphQL's shape, so a client reads its
// code where it reads every other error; REST keeps its own body.

const tmp = tempDir();
let server: RunningApi;
let analyst: string;

beforeAll(async () => {
  const file = join(tmp.dir, 'refusals.db');
  [analyst] = await createKeys(file, [['analyst', 'refusals test']]);
  server = await startApi(file, { RATE_LIMIT_PER_KEY: '2', MAX_BODY_BYTES: '4096' });
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

type GraphQLErrors = { errors: Array<{ message: string; extensions: Record<string, unknown> }> };

const query = (body: string, accept = 'application/json') =>
  server.fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept,
      authorization: `Bearer ${analyst}`,
      origin: 'https://siem.example',
    },
    body,
  });

describe('refusals on /graphql', () => {
  it('answers a body past the limit 413 with extensions.code REQUEST_ENTITY_TOO_LARGE', async () => {
    const res = await query(JSON.stringify({ query: `{ overview { users } } # ${'x'.repeat(8192)}` }));
    expect(res.status).toBe(413);
    const body = (await res.json()) as GraphQLErrors;
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    expect(body.errors[0]?.message).toMatch(/\d/);
  });

  it('answers past the key’s rate 429 with Retry-After, and RATE_LIMITED with retryAfter in the errors', async () => {
    let refused: Response | undefined;
    for (let i = 0; i < 50 && refused === undefined; i++) {
      const res = await query('{"query":"{ overview { users } }"}', 'application/graphql-response+json');
      if (res.status === 429) refused = res;
      else await res.arrayBuffer();
    }
    expect(refused?.status).toBe(429);
    const retryAfter = Number(refused?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused?.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    // A browser client can read the refusal (CORS is open by default).
    expect(refused?.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await refused?.json()) as GraphQLErrors;
    expect(body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'RATE_LIMITED', retryAfter } }]);

    // Apollo Client surfaces the code as it does any GraphQL error.
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: new HttpLink({ uri: `${server.url}/graphql`, headers: { authorization: `Bearer ${analyst}` } }),
    });
    const failure = await client.query({ query: parse('query Limited { overview { users } }') }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(CombinedGraphQLErrors.is(failure)).toBe(true);
    expect((failure as CombinedGraphQLErrors).errors[0]?.extensions?.code).toBe('RATE_LIMITED');

    // REST keeps its own body for the same refusal.
    const rest = await server.fetch('/profiles', { headers: { authorization: `Bearer ${analyst}` } });
    expect(rest.status).toBe(429);
    expect(await rest.json()).toMatchObject({ ok: false, error: 'rate_limited' });
  });
});
