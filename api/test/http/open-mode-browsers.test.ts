import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A raw HTTP request, so the Host header can be anything (fetch always sends the URL's). */
function send(
  server: RunningApi,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const { port } = new URL(server.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': payload.length }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text === '' ? {} : JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A refusal's code: REST's `error`, or on /graphql the GraphQL error's `extensions.code` (the same, in capitals). */
function refusalCode(path: string, body: Record<string, unknown>): unknown {
  if (path !== '/graphql') return body.error;
  const errors = body.errors as Array<{ extensions: { code: string } }> | undefined;
  return errors?.[0]?.extensions.code.toLowerCase();
}

const CREATE_ADMIN_KEY = { query: 'mutation { createApiKey(role: ADMIN) { key } }' };
const event = { user_id: 'alice', kind: 'login', meta: { browser: 'chrome', ip: '12.34.56.78' } };

async function keyCount(server: RunningApi): Promise<number> {
  const res = await server.post('/graphql', { query: '{ apiKeys { id } }' });
  return ((await res.json()) as { data: { apiKeys: unknown[] } }).data.apiKeys.length;
}

describe('open access is not reachable from web pages', () => {
  let server: RunningApi;
  let host: string;
  beforeAll(async () => {
    server = await startApi(join(tmp.dir, 'open.db'), { ALLOWED_HOSTS: 'persona.internal' });
    host = new URL(server.url).host;
    expect((await server.post('/ingest', event)).status).toBe(200);
  });
  afterAll(() => server.stop());

  it('refuses a DNS-rebinding host name, for reads and writes alike, and creates no key', async () => {
    for (const [method, path, body] of [
      ['POST', '/graphql', CREATE_ADMIN_KEY],
      ['GET', '/timeline/alice', undefined],
      ['DELETE', '/users/alice', undefined],
    ] as const) {
      const res = await send(server, method, path, { host: 'attacker.example:8080' }, body);
      expect(res.status).toBe(403);
      expect(refusalCode(path, res.json)).toBe('host_not_allowed');
    }
    expect(await keyCount(server)).toBe(0);
    expect((await server.fetch('/drift/alice')).status).toBe(200);
  });

  it('answers loopback names and literals, and names listed in ALLOWED_HOSTS', async () => {
    const { port } = new URL(server.url);
    for (const name of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `[::1]:${port}`,
      'persona.internal',
    ]) {
      const res = await send(server, 'GET', '/profiles', { host: name });
      expect(res.status, name).toBe(200);
    }
    expect((await send(server, 'GET', '/profiles', { host: 'persona.internal.attacker.example' })).status).toBe(403);
  });

  it('checks the host name a trusted proxy (the dashboard) says the browser used', async () => {
    // The test connects from 127.0.0.1, a trusted proxy by default.
    const rebound = await send(
      server,
      'POST',
      '/graphql',
      { host, 'x-forwarded-host': 'attacker.example:3000' },
      CREATE_ADMIN_KEY,
    );
    expect(rebound.status).toBe(403);
    expect(refusalCode('/graphql', rebound.json)).toBe('host_not_allowed');
    expect(await keyCount(server)).toBe(0);
    const local = await send(server, 'GET', '/profiles', { host, 'x-forwarded-host': 'localhost:3000' });
    expect(local.status).toBe(200);
  });

  it('refuses requests from another origin that change data: key creation, deletion, ingest', async () => {
    const evil = { host, origin: 'https://attacker.example' };
    const created = await send(server, 'POST', '/graphql', evil, CREATE_ADMIN_KEY);
    expect(created.status).toBe(403);
    expect(refusalCode('/graphql', created.json)).toBe('cross_origin');
    expect((await send(server, 'DELETE', '/users/alice', evil)).status).toBe(403);
    expect((await send(server, 'POST', '/ingest', evil, { ...event, user_id: 'mallory' })).status).toBe(403);
    // A sandboxed frame sends Origin: null; a request without Origin is judged by Sec-Fetch-Site.
    expect((await send(server, 'POST', '/graphql', { host, origin: 'null' }, CREATE_ADMIN_KEY)).status).toBe(403);
    expect(
      (await send(server, 'POST', '/graphql', { host, 'sec-fetch-site': 'cross-site' }, CREATE_ADMIN_KEY)).status,
    ).toBe(403);
    // Another port on this machine is another origin too.
    const otherPort = { host, origin: 'http://127.0.0.1:1' };
    expect((await send(server, 'DELETE', '/users/alice', otherPort)).status).toBe(403);

    expect(await keyCount(server)).toBe(0);
    expect((await server.fetch('/drift/alice')).status).toBe(200);
    expect((await server.fetch('/drift/mallory')).status).toBe(404);
  });

  it('still serves reads to every origin, and writes from its own origin and from tools that send no Origin', async () => {
    const read = await send(server, 'GET', '/drift/alice', { host, origin: 'https://attacker.example' });
    expect(read.status).toBe(200);
    const sameOrigin = await send(server, 'POST', '/ingest', { host, origin: `http://${host}` }, event);
    expect(sameOrigin.status).toBe(200);
    expect((await send(server, 'POST', '/ingest', { host }, event)).status).toBe(200);
  });

  it('refuses a WebSocket from another origin or host name, and accepts its own', async () => {
    const url = `${server.url.replace('http', 'ws')}/graphql`;
    const open = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
        socket.once('open', () => {
          socket.close();
          resolve('open');
        });
        socket.once('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        socket.once('error', () => resolve('error'));
      });
    expect(await open({ origin: 'https://attacker.example' })).toBe('refused 403');
    expect(await open({ host: 'attacker.example' })).toBe('refused 403');
    expect(await open({ origin: server.url })).toBe('open');
    expect(await open({})).toBe('open');
  });
});

describe('CORS_ORIGIN lets a listed origin change data while open', () => {
  it('accepts a POST from a listed origin and refuses an unlisted one', async () => {
    const server = await startApi(join(tmp.dir, 'listed.db'), { CORS_ORIGIN: 'https://soc.example' });
    try {
      const host = new URL(server.url).host;
      expect((await send(server, 'POST', '/ingest', { host, origin: 'https://soc.example' }, event)).status).toBe(200);
      expect((await send(server, 'POST', '/ingest', { host, origin: 'https://other.example' }, event)).status).toBe(
        403,
      );
    } finally {
      await server.stop();
    }
  });
});

describe('with API keys', () => {
  it('answers any Host and Origin: every request carries its key', async () => {
    const server = await startApi(join(tmp.dir, 'keys.db'));
    try {
      const created = await server.post('/graphql', CREATE_ADMIN_KEY);
      const { key } = ((await created.json()) as { data: { createApiKey: { key: string } } }).data.createApiKey;
      const res = await send(
        server,
        'POST',
        '/ingest',
        { host: 'persona.example.com', origin: 'https://siem.example', authorization: `Bearer ${key}` },
        event,
      );
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
