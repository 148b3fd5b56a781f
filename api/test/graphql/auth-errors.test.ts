import { join } from 'node:path';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { parse } from 'graphql';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { createKeys } from '../support/engine-under-test.ts';

// A client must tell "sign in again" from other failures, over HTTP and WebSocket alike.

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('authentication errors', () => {
  let keyed: RunningApi;
  let analyst: string;

  beforeAll(async () => {
    const file = join(tmp.dir, 'keyed.db');
    [analyst] = await createKeys(file, [['analyst', 'clients test']]);
    keyed = await startApi(file);
  });

  afterAll(() => keyed.stop());

  it('answers /graphql without a valid key 401 with WWW-Authenticate and errors[].extensions.code UNAUTHENTICATED', async () => {
    for (const headers of [{}, { authorization: 'Bearer pd_nope' }] as Array<Record<string, string>>) {
      const res = await keyed.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ overview { users } }' }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }]);
    }
    // REST keeps its own body.
    expect(await (await keyed.fetch('/drift/anyone')).json()).toMatchObject({ ok: false, error: 'unauthorized' });
  });

  it("exposes the code in Apollo Client's error", async () => {
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: new HttpLink({ uri: `${keyed.url}/graphql`, headers: { authorization: 'Bearer pd_nope' } }),
    });
    const failure = await client.query({ query: parse('query Unauthenticated { overview { users } }') }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(CombinedGraphQLErrors.is(failure)).toBe(true);
    expect((failure as CombinedGraphQLErrors).errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const allowed = new ApolloClient({
      cache: new InMemoryCache(),
      link: new HttpLink({ uri: `${keyed.url}/graphql`, headers: { authorization: `Bearer ${analyst}` } }),
    });
    const { data } = await allowed.query({ query: parse('query Authenticated { overview { users } }') });
    expect(data).toEqual({ overview: { __typename: 'Overview', users: 0 } });
  });

  it('closes a graphql-ws connection whose key is wrong with 4403 and the reason', async () => {
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      const client = createWsClient({
        url: `${keyed.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        connectionParams: { apiKey: 'pd_nope' },
        on: { closed: (event) => resolve(event as { code: number; reason: string }) },
      });
      client.on('closed', () => void client.dispose());
    });
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/^Forbidden: .+/);
  });
});
