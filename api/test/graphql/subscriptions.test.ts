import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql, sseEvents } from '../support/graphql.ts';
import { waitFor } from '../support/wait.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'subscriptions.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

type Topic = Parameters<RunningApi['api']['subscribers']['count']>[0];

/** Resolves once `count` subscriptions listen to the topic: a publish from then on reaches them. */
const listening = (topic: Topic, count: number) =>
  waitFor(() => server.api.subscribers.count(topic) === count, `${count} subscriptions to ${topic}`);

/**
 * Opens a GraphQL-over-SSE subscription to a topic; resolves once it listens. Its `close` resolves once the
 * server has let go of it, so the next test counts only its own.
 */
async function subscribeSse(topic: Topic, query: string, variables: Record<string, unknown> = {}) {
  const controller = new AbortController();
  const res = await server.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  await listening(topic, 1);
  return {
    events: sseEvents<Record<string, unknown>>(res),
    close: () => {
      controller.abort();
      return listening(topic, 0);
    },
  };
}

const login = (userId: string, meta: Record<string, string>) =>
  server.post('/ingest', { user_id: userId, kind: 'login', meta });

describe('subscriptions over SSE', () => {
  it('delivers an event ingested through POST /ingest, filtered by user', async () => {
    const sub = await subscribeSse(
      'eventIngested',
      'subscription($u: ID) { eventIngested(userId: $u) { kind device user { id eventCount } } }',
      {
        u: 'live',
      },
    );
    const next = sub.events.next();
    await login('someone-else', { device: 'tablet' });
    await login('live', { device: 'phone' });
    const { value } = await next;
    expect(value?.data).toEqual({
      eventIngested: { kind: 'login', device: 'phone', user: { id: 'live', eventCount: 1 } },
    });
    await sub.close();
  });

  it('delivers events ingested through the GraphQL mutation too', async () => {
    const sub = await subscribeSse('eventIngested', 'subscription { eventIngested(userId: "via-gql") { kind } }');
    const next = sub.events.next();
    await gql(
      server,
      graphql(`
        mutation IngestForSubscriber {
          ingestEvent(input: { userId: "via-gql", kind: "logout" }) { __typename }
        }
      `),
    );
    expect((await next).value?.data).toEqual({ eventIngested: { kind: 'logout' } });
    await sub.close();
  });

  it('announces drift changes at or above a minimum score, with the previous score', async () => {
    const sub = await subscribeSse(
      'driftChanged',
      'subscription { driftChanged(minScore: 20) { userId previousScore score drift { reasons { code evidence } } user { eventCount } } }',
    );
    const next = sub.events.next();
    await login('drifty', { device: 'laptop', ip: '1.1.1.1' });
    await login('drifty', { device: 'laptop', browser: 'edge' }); // no change: still 0
    await login('drifty', { device: 'laptop', ip: '2.2.2.2' }); // Multiple IPs: 20
    expect((await next).value?.data).toEqual({
      driftChanged: {
        userId: 'drifty',
        previousScore: 0,
        score: 20,
        drift: { reasons: [{ code: 'MULTIPLE_IPS', evidence: ['1.1.1.0/24', '2.2.2.0/24'] }] },
        user: { eventCount: 3 },
      },
    });
    await sub.close();
  });
});

describe('subscriptions over WebSocket (graphql-ws)', () => {
  it('delivers an event ingested through POST /ingest', async () => {
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const subscription = client.iterate<{ eventIngested: { kind: string; ip: string } }>({
      query: 'subscription { eventIngested(userId: "ws-user") { kind ip } }',
    });
    const next = subscription.next();
    await listening('eventIngested', 1);
    await login('ws-user', { ip: '203.0.113.9' });
    expect((await next).value?.data).toEqual({ eventIngested: { kind: 'login', ip: '203.0.113.9' } });
    await subscription.return?.();
    await listening('eventIngested', 0);
    await client.dispose();
  });

  it('closes a connection whose message is over MAX_BODY_BYTES (1009), and keeps serving others', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1_100_000) } }));
    expect(await closed).toBe(1009);
    const overview = graphql(`
      query AnswersAfterOversizedInit {
        overview { users }
      }
    `);
    expect((await gql(server, overview)).errors).toBeUndefined();
  });

  it('rejects an invalid subscription with errors', async () => {
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const subscription = client.iterate({ query: 'subscription { noSuchField }' });
    await expect(subscription.next()).rejects.toSatisfy((errors: unknown) =>
      JSON.stringify(errors).includes('noSuchField'),
    );
    await client.dispose();
  });
});
