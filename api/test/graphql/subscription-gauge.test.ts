import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { sseEvents } from '../support/graphql.ts';
import { subscriptionsActive } from '../support/process.ts';
import { waitFor } from '../support/wait.ts';

// persona_drift_subscriptions_active{topic} at /metrics: what operators watch,
// and what tests wait on before publishing.
const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'subscription-gauge.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const active = () => subscriptionsActive(server.url);

async function gaugeReads(expected: Record<string, number>, what: string): Promise<void> {
  await waitFor(async () => {
    const now = await active();
    return Object.entries(expected).every(([topic, count]) => now[topic] === count);
  }, what);
}

function subscribeSse(query: string) {
  const controller = new AbortController();
  const response = server.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  return { response, disconnect: () => controller.abort() };
}

describe('persona_drift_subscriptions_active', () => {
  it('reads 0 for every live topic while nobody listens', async () => {
    expect(await active()).toEqual({ eventIngested: 0, driftChanged: 0, alertChanged: 0 });
  });

  it('counts a graphql-ws subscription while it listens, and drops it when the client disconnects', async () => {
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const subscription = client.iterate<{ eventIngested: { kind: string } }>({
      query: 'subscription { eventIngested(userId: "gauge-ws") { kind } }',
    });
    const next = subscription.next();
    await gaugeReads({ eventIngested: 1, driftChanged: 0, alertChanged: 0 }, 'eventIngested at 1');
    expect(server.api.subscribers.count('eventIngested')).toBe(1);
    // Counted means listening: one event, sent once, arrives.
    expect((await server.post('/ingest', { user_id: 'gauge-ws', kind: 'logout' })).status).toBe(200);
    expect((await next).value?.data).toEqual({ eventIngested: { kind: 'logout' } });
    // The socket closes with the subscription still open: the server must let go of it by itself.
    await client.dispose();
    await gaugeReads({ eventIngested: 0 }, 'eventIngested back at 0');
  });

  it('counts SSE subscriptions per topic, and drops each when its client disconnects', async () => {
    const drift = subscribeSse('subscription { driftChanged { score } }');
    const alerts = subscribeSse('subscription { alertChanged { id } }');
    const alertsToo = subscribeSse('subscription { alertChanged { status } }');
    for (const { response } of [drift, alerts, alertsToo]) expect((await response).status).toBe(200);
    await gaugeReads({ eventIngested: 0, driftChanged: 1, alertChanged: 2 }, 'driftChanged at 1, alertChanged at 2');

    alerts.disconnect();
    await gaugeReads({ driftChanged: 1, alertChanged: 1 }, 'alertChanged down to 1');
    drift.disconnect();
    alertsToo.disconnect();
    await gaugeReads({ eventIngested: 0, driftChanged: 0, alertChanged: 0 }, 'every topic back at 0');
    expect(server.api.subscribers.count('alertChanged')).toBe(0);
  });

  it('does not count a subscription refused before it runs', async () => {
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { eventIngested { noSuchField } }' }),
    });
    const first = await sseEvents(res).next();
    expect(JSON.stringify(first.value)).toContain('noSuchField');
    expect(await active()).toEqual({ eventIngested: 0, driftChanged: 0, alertChanged: 0 });
  });
});
