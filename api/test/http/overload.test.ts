import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, type NormalizedEvent } from '../../src/domain/event-input.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { waitFor } from '../support/wait.ts';

const tmp = tempDir();
let server: RunningApi | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const body = JSON.stringify({ user_id: 'alice', kind: 'login', meta: { browser: 'chrome' } });

/** Starts a POST /ingest whose body is not finished: the request stays in flight until `finish` is called. */
function heldIngest(url: string): { finish(): Promise<number> } {
  const req = request(`${url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const status = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  return {
    finish() {
      req.end(body.slice(10));
      return status;
    },
  };
}

describe('overload', () => {
  it('answers 503 with Retry-After past MAX_IN_FLIGHT, storing nothing, and keeps /health and the held request working', async () => {
    server = await startApi(join(tmp.dir, 'in-flight.db'), { MAX_IN_FLIGHT: '1' });
    const held = heldIngest(server.url);
    await waitFor(() => server?.api.load.inFlight === 1, 'the held request to arrive');

    const refused = await server.post('/ingest', { user_id: 'bob', kind: 'login' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ ok: false, error: 'overloaded' });
    // The same refusal on /graphql, in GraphQL's shape.
    const graphql = await server.post('/graphql', { query: '{ overview { users } }' });
    expect(graphql.status).toBe(503);
    expect(graphql.headers.get('retry-after')).toBe('1');
    expect(await graphql.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'OVERLOADED', retryAfter: 1 } }],
    });
    expect((await server.fetch('/health')).status).toBe(200);

    expect(await held.finish()).toBe(200);
    expect((await server.fetch('/drift/bob')).status).toBe(404);
    const after = await server.post('/ingest', { user_id: 'bob', kind: 'login' });
    expect(after.status).toBe(200);
  });

  it('answers 503 past MAX_IN_FLIGHT_BYTES of request bodies in progress, while body-less reads still pass', async () => {
    server = await startApi(join(tmp.dir, 'bytes.db'), { MAX_IN_FLIGHT_BYTES: String(Buffer.byteLength(body) + 10) });
    const held = heldIngest(server.url);
    await waitFor(() => (server?.api.load.inFlightBytes ?? 0) > 0, 'the held body to count');
    const refused = await server.post('/ingest', { user_id: 'erin', kind: 'login' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await server.fetch('/drift/nobody')).status).toBe(404);
    expect(await held.finish()).toBe(200);
    expect((await server.post('/ingest', { user_id: 'erin', kind: 'login' })).status).toBe(200);
  });

  it('counts a POSTed subscription body in MAX_IN_FLIGHT_BYTES while it is read, not while the stream is open', async () => {
    const subscription = JSON.stringify({ query: 'subscription { eventIngested { kind } }' });
    server = await startApi(join(tmp.dir, 'stream-bytes.db'), {
      MAX_IN_FLIGHT_BYTES: String(Buffer.byteLength(body) + 10),
    });
    const live = (signal: AbortSignal) =>
      server?.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: subscription,
        signal,
      }) as Promise<Response>;
    const held = heldIngest(server.url);
    await waitFor(() => (server?.api.load.inFlightBytes ?? 0) > 0, 'the held body to count');
    const abort = new AbortController();
    const refused = await live(abort.signal);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await held.finish()).toBe(200);

    // Once read, an open stream's body no longer counts: ingest is admitted beside it.
    const open = await live(abort.signal);
    expect(open.status).toBe(200);
    expect((await server.post('/ingest', { user_id: 'frank', kind: 'login' })).status).toBe(200);
    abort.abort();
  });

  it('does not count open live subscriptions as requests in flight', async () => {
    server = await startApi(join(tmp.dir, 'live.db'), { MAX_IN_FLIGHT: '1' });
    const abort = new AbortController();
    const live = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { eventIngested { kind } }' }),
      signal: abort.signal,
    });
    expect(live.status).toBe(200);
    expect((await server.post('/ingest', { user_id: 'dave', kind: 'login' })).status).toBe(200);
    abort.abort();
  });

  it('answers a GraphQL ingest with OVERLOADED and HTTP 503 when the write queue is full', async () => {
    server = await startApi(join(tmp.dir, 'queue.db'), { MAX_QUEUED_EVENTS: '2' });
    const filler: NormalizedEvent = {
      userId: 'filler',
      kind: 'login',
      eventId: null,
      timestamp: null,
      ip: null,
      tokens: { browser: null, os: null, device: null, ipClass: null },
      meta: {},
      context: EMPTY_CONTEXT,
    };
    // Fills the queue; it drains at the next turn of the event loop, after
    // the in-process GraphQL request below has been turned away.
    const queued = server.api.services.ingest.ingest([filler, filler]);
    const response = await server.api.graphql.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({
        query: 'mutation { ingestEvents(inputs: [{ userId: "carol", kind: "login" }]) { __typename } }',
      }),
    });
    await queued;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const result = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(result.errors[0]?.extensions.code).toBe('OVERLOADED');
    expect((await server.fetch('/drift/carol')).status).toBe(404);
  });
});
