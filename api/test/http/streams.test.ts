import { request } from 'node:http';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';
import { waitFor } from '../support/wait.ts';

const tmp = tempDir();
let server: RunningApi | undefined;
let opened: AbortController[] = [];

afterEach(async () => {
  for (const abort of opened) abort.abort();
  opened = [];
  await server?.stop();
  server = undefined;
});

const SUBSCRIPTION = JSON.stringify({ query: 'subscription { eventIngested { id } }' });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Opens a GraphQL subscription over HTTP with the given headers and returns its response (the stream stays open). */
async function subscribe(running: RunningApi, headers: Record<string, string>): Promise<Response> {
  const abort = new AbortController();
  opened.push(abort);
  return running.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: SUBSCRIPTION,
    signal: abort.signal,
  });
}

/** Resolves once the response body ends or fails (the server closed the stream). */
function ended(res: Response): Promise<'ended'> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  return (async (): Promise<'ended'> => {
    for (;;) {
      try {
        if ((await reader.read()).done) return 'ended';
      } catch {
        return 'ended';
      }
    }
  })();
}

const CREATE_KEY = graphql(`
  mutation StreamsCreateKey($role: Role!) {
    createApiKey(role: $role) { key apiKey { id } }
  }
`);

async function createKey(running: RunningApi, role: 'ADMIN' | 'ANALYST', admin?: string) {
  const { data } = await gql(running, CREATE_KEY, { role }, admin === undefined ? {} : bearer(admin));
  const created = data!.createApiKey;
  return { key: created.key, id: created.apiKey.id };
}

// Every Accept that GraphQL answers with an event stream, not only the exact `text/event-stream`.
const STREAM_ACCEPTS: Array<[string, Record<string, string>]> = [
  ['*/*', { accept: '*/*' }],
  ['text/*', { accept: 'text/*' }],
  ['no Accept at all', {}],
  ['TEXT/EVENT-STREAM', { accept: 'TEXT/EVENT-STREAM' }],
];

describe('streams are recognised by what the response is', () => {
  it.each(STREAM_ACCEPTS)('a stream asked for with %s is closed as soon as its key is revoked', async (_, accept) => {
    server = await startApi(join(tmp.dir, `revoke-${Math.random()}.db`));
    const admin = await createKey(server, 'ADMIN');
    const analyst = await createKey(server, 'ANALYST', admin.key);
    const res = await subscribe(server, { ...accept, ...bearer(analyst.key) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const closed = ended(res);
    const revoke = graphql(`
      mutation StreamsRevokeKey($id: ID!) {
        revokeApiKey(id: $id) { id }
      }
    `);
    await gql(server, revoke, { id: analyst.id }, bearer(admin.key));
    const outcome = await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000, 'still open'))]);
    expect(outcome).toBe('ended');
  });

  it('open streams of any Accept never fill the in-flight limit: ingest is still admitted', async () => {
    server = await startApi(join(tmp.dir, 'in-flight.db'), { MAX_IN_FLIGHT: '2' });
    for (const [, accept] of [...STREAM_ACCEPTS, ...STREAM_ACCEPTS]) {
      const res = await subscribe(server, accept);
      expect(res.status).toBe(200);
    }
    const running = server;
    await waitFor(() => running.api.load.streams === 8);
    expect(server.api.load.inFlight).toBe(0);
    const ingest = await server.post('/ingest', { user_id: 'alice', kind: 'login' });
    expect(ingest.status).toBe(200);
  });

  it('a query that asks for an event stream counts as in flight while it is being served', async () => {
    server = await startApi(join(tmp.dir, 'query-stream.db'), { MAX_IN_FLIGHT: '1' });
    const body = JSON.stringify({ query: '{ overview { __typename } }' });
    // The query's body is sent in two parts: until the second, the request is being served.
    const held = request(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': body.length },
    });
    const answered = new Promise<number>((resolve, reject) => {
      held.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      held.on('error', reject);
    });
    held.write(body.slice(0, 5));
    const running = server;
    await waitFor(() => running.api.load.inFlight === 1);
    const refused = await server.post('/ingest', { user_id: 'bob', kind: 'login' });
    expect(refused.status).toBe(503);
    held.end(body.slice(5));
    expect(await answered).toBe(200);
    await waitFor(() => running.api.load.inFlight === 0);
  });

  it('caps open streams, SSE and WebSocket together, at MAX_STREAMS', async () => {
    server = await startApi(join(tmp.dir, 'cap.db'), { MAX_STREAMS: '2' });
    expect((await subscribe(server, { accept: '*/*' })).status).toBe(200);
    const url = `${server.url.replace('http', 'ws')}/graphql`;
    const connect = () =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url, 'graphql-transport-ws');
        socket.once('open', () => resolve('open'));
        socket.once('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        socket.once('error', () => resolve('error'));
      });
    expect(await connect()).toBe('open');
    const running = server;
    await waitFor(() => running.api.load.streams === 2);

    const third = await subscribe(server, {});
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).not.toBeNull();
    const refused = (await third.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(refused.errors[0]?.extensions.code).toBe('OVERLOADED');
    expect(await connect()).toBe('refused 503');

    // Ordinary requests are not streams: they still pass.
    expect((await server.post('/ingest', { user_id: 'carol', kind: 'login' })).status).toBe(200);
    const overview = graphql(`
      query StreamsOrdinaryRequest {
        overview { __typename }
      }
    `);
    expect((await gql(server, overview)).data).toEqual({ overview: { __typename: 'Overview' } });
  });

  it('frees a WebSocket slot when the socket closes', async () => {
    server = await startApi(join(tmp.dir, 'ws-slot.db'), { MAX_STREAMS: '1' });
    const url = `${server.url.replace('http', 'ws')}/graphql`;
    const running = server;
    for (let round = 0; round < 3; round++) {
      const client = createClient({ url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
      await new Promise<void>((resolve, reject) => {
        client.on('connected', () => resolve());
        client.on('closed', (event) => reject(new Error(`closed ${(event as { code: number }).code}`)));
      });
      await waitFor(() => running.api.load.streams === 1);
      await client.dispose();
      await waitFor(() => running.api.load.streams === 0);
    }
  });
});
