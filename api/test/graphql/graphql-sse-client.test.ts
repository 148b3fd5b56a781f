import { join } from 'node:path';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { waitFor } from '../support/wait.ts';

// The graphql-sse client in both of its modes, against the real API.

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'graphql-sse-client.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

type Topic = Parameters<RunningApi['api']['subscribers']['count']>[0];
const listening = (topic: Topic, count: number) =>
  waitFor(() => server.api.subscribers.count(topic) === count, `${count} subscriptions to ${topic}`);
const login = (userId: string, ip: string) => server.post('/ingest', { user_id: userId, kind: 'login', meta: { ip } });

describe('graphql-sse', () => {
  it.each([
    ['distinct connections', false],
    ['a single connection', true],
  ])('over %s: a subscription receives an event ingested through REST', async (_mode, singleConnection) => {
    const userId = `sse-${singleConnection ? 'single' : 'distinct'}`;
    const client = createClient({ url: `${server.url}/graphql`, singleConnection, retryAttempts: 0 });
    const streamsBefore = server.api.load.streams;
    const subscription = client.iterate<{ eventIngested: { kind: string; ip: string } }>({
      query: `subscription { eventIngested(userId: "${userId}") { kind ip } }`,
    });
    const next = subscription.next();
    await listening('eventIngested', 1);
    // The stream holds one of the server's stream slots, like any other.
    expect(server.api.load.streams).toBe(streamsBefore + 1);
    await login(userId, '203.0.113.20');
    expect((await next).value?.data).toEqual({ eventIngested: { kind: 'login', ip: '203.0.113.20' } });
    if (singleConnection) {
      // Queries ride the same stream.
      const query = await client
        .iterate<{ user: { eventCount: number } }>({ query: `{ user(id: "${userId}") { eventCount } }` })
        .next();
      expect(query.value?.data).toEqual({ user: { eventCount: 1 } });
    }
    await subscription.return?.();
    await listening('eventIngested', 0);
    client.dispose();
    await waitFor(() => server.api.load.streams === streamsBefore, 'the stream slot to be freed');
  });
});
