import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { waitFor } from '../support/wait.ts';

// Connectors that send every operation over one graphql-ws socket, against the real API.

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'graphql-ws-client.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

type Topic = Parameters<RunningApi['api']['subscribers']['count']>[0];
const listening = (topic: Topic, count: number) =>
  waitFor(() => server.api.subscribers.count(topic) === count, `${count} subscriptions to ${topic}`);
const login = (userId: string, ip: string) => server.post('/ingest', { user_id: userId, kind: 'login', meta: { ip } });

describe('graphql-ws: everything over one socket', () => {
  it('runs a query and a mutation while a subscription on the same socket stays alive', async () => {
    const events: string[] = [];
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      on: {
        connected: () => events.push('connected'),
        closed: (event) => events.push(`closed ${(event as { code: number }).code}`),
      },
    });
    const subscription = client.iterate<{ eventIngested: { kind: string; user: { id: string } } }>({
      query: 'subscription { eventIngested(userId: "one-socket") { kind user { id } } }',
    });
    const first = subscription.next();
    await listening('eventIngested', 1);

    const mutation = await client
      .iterate<{ ingestEvent: { __typename: string } }>({
        query: 'mutation { ingestEvent(input: { userId: "one-socket", kind: "login" }) { __typename } }',
      })
      .next();
    expect(mutation.value?.data).toEqual({ ingestEvent: { __typename: 'IngestEventPayload' } });
    expect((await first).value?.data).toEqual({ eventIngested: { kind: 'login', user: { id: 'one-socket' } } });

    // The same query twice: over HTTP the second would come from the response cache.
    for (let i = 0; i < 2; i++) {
      const query = await client
        .iterate<{ user: { eventCount: number } }>({ query: '{ user(id: "one-socket") { eventCount } }' })
        .next();
      expect(query.value?.data).toEqual({ user: { eventCount: 1 } });
    }

    // Still the one socket, still subscribed.
    const second = subscription.next();
    await login('one-socket', '198.51.100.7');
    expect((await second).value?.data).toEqual({ eventIngested: { kind: 'login', user: { id: 'one-socket' } } });
    expect(events).toEqual(['connected']);
    await subscription.return?.();
    await listening('eventIngested', 0);
    await client.dispose();
  });

  it('answers refusals while parsing as errors of the operation: the socket stays open, nothing goes to stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const consoleError = vi.spyOn(console, 'error');
    const closes: number[] = [];
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      on: { closed: (event) => closes.push((event as { code: number }).code) },
    });
    try {
      let deep = 'id';
      for (let i = 0; i < 7; i++) deep = `user { latestEvent { ${deep} } }`;
      for (const [query, expected] of [
        ['{ user(id: "x") { eventCount ', /Syntax Error/],
        [`{ event(id: "1") { ${deep} } }`, /depth limit/],
        ['{ noSuchField }', /noSuchField/],
      ] as const) {
        await expect(client.iterate({ query }).next()).rejects.toSatisfy((errors: unknown) =>
          expected.test(JSON.stringify(errors)),
        );
      }
      const after = await client.iterate({ query: '{ overview { users } }' }).next();
      expect(after.value?.errors).toBeUndefined();
      expect(closes).toEqual([]);
      expect(consoleError).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
      consoleError.mockRestore();
      await client.dispose();
    }
  });
});
