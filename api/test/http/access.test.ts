import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Role } from '../../src/domain/api-key.ts';
import { KeyStore } from '../../src/storage/key-store.ts';
import { openDatabase, openMigratedDatabase } from '../../src/storage/sqlite.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql, rawGql } from '../support/graphql.ts';
import { ROOT, spawnApi } from '../support/process.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Runs `npm run keys -- …` (the script itself) on a database file. */
function keysCli(dbFile: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'api/scripts/keys.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Creates a key directly in the database file, as the CLI does. */
function createKey(dbFile: string, role: Role): string {
  const db = openMigratedDatabase(dbFile);
  const { key } = new KeyStore(db).create(role, `test ${role}`, 'cli');
  db.close();
  return key;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const event = (userId: string) => ({
  user_id: userId,
  kind: 'login',
  meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' },
});

const CREATE_KEY = graphql(`
  mutation AccessCreateKey($role: Role!, $name: String) {
    createApiKey(role: $role, name: $name) { key apiKey { id prefix role name } }
  }
`);
const REVOKE_KEY = graphql(`
  mutation AccessRevokeKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);
const LIST_KEYS = graphql(`
  query AccessListKeys {
    apiKeys { id prefix role lastUsedAt revokedAt }
  }
`);
const DELETE_USER = graphql(`
  mutation AccessDeleteUser($id: ID!) {
    deleteUser(id: $id) { userId events }
  }
`);

describe('open access (no key, loopback)', () => {
  let server: RunningApi;
  beforeAll(async () => {
    server = await startApi(join(tmp.dir, 'open.db'));
  });
  afterAll(() => server.stop());

  it('serves everything without a key and says so loudly in /health', async () => {
    expect((await server.post('/ingest', event('alice'))).status).toBe(200);
    expect((await server.fetch('/drift/alice')).status).toBe(200);
    const health = (await (await server.fetch('/health')).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, auth: 'open', warning: expect.stringMatching(/without API keys/) });
  });

  it('answers liveness apart from readiness', async () => {
    const res = await server.fetch('/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, status: 'alive' });
  });
});

describe('starting on an address other machines can reach', () => {
  it('refuses to start with no key, saying what to do', async () => {
    const file = join(tmp.dir, 'exposed.db');
    await expect(spawnApi({ HOST: '0.0.0.0', DATABASE_URL: `file:${file}` })).rejects.toThrow(
      /refusing to start.*npm run keys -- create --role admin.*ALLOW_OPEN_ACCESS=true/s,
    );
  });

  it('starts open when explicitly told to, and warns', async () => {
    const api = await spawnApi({
      HOST: '0.0.0.0',
      ALLOW_OPEN_ACCESS: 'true',
      DATABASE_URL: `file:${join(tmp.dir, 'told.db')}`,
    });
    try {
      expect(api.logs()).toMatch(/"level":"warn","message":"OPEN ACCESS"/);
      const health = (await (await fetch(`${api.url.replace('0.0.0.0', '127.0.0.1')}/health`)).json()) as {
        auth: string;
      };
      expect(health.auth).toBe('open');
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  });

  it('starts with a key, requires it, and never logs it', async () => {
    const file = join(tmp.dir, 'keyed.db');
    const created = keysCli(file, 'create', '--role', 'producer', '--name', 'edge');
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^pd_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/role producer/);
    const api = await spawnApi({ HOST: '0.0.0.0', DATABASE_URL: `file:${file}` });
    try {
      const url = api.url.replace('0.0.0.0', '127.0.0.1');
      const post = (headers: Record<string, string>) =>
        fetch(`${url}/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(event('bob')),
        });
      expect((await post({})).status).toBe(401);
      expect((await post(bearer(key))).status).toBe(200);
      expect((await post({ authorization: `Bearer ${key}x` })).status).toBe(401);
      const health = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
      expect(health.auth).toBe('keys');
      expect(health.warning).toBeUndefined();
      expect(api.logs()).not.toContain(key.slice(3));
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  });
});

describe('with keys', () => {
  const file = join(tmp.dir, 'keys.db');
  let server: RunningApi;
  let producer: string;
  let analyst: string;
  let admin: string;

  beforeAll(async () => {
    producer = createKey(file, 'producer');
    analyst = createKey(file, 'analyst');
    admin = createKey(file, 'admin');
    server = await startApi(file);
    expect((await server.post('/ingest', event('carol'), bearer(producer))).status).toBe(200);
  });
  afterAll(() => server.stop());

  it('answers 401 with WWW-Authenticate to a request with no key, a malformed header or an unknown key', async () => {
    for (const headers of <Array<Record<string, string>>>[
      {},
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer pd_nope' },
      { 'x-api-key': 'nope' },
    ]) {
      const res = await server.fetch('/drift/carol', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({ ok: false, error: 'unauthorized' });
    }
    const overview = graphql(`
      query AccessOverviewWithoutKey {
        overview { users }
      }
    `);
    expect((await gql(server, overview)).status).toBe(401);
    // Health checks stay public.
    expect((await server.fetch('/health')).status).toBe(200);
  });

  it('accepts the key as a bearer token or in X-API-Key', async () => {
    expect((await server.fetch('/drift/carol', { headers: bearer(analyst) })).status).toBe(200);
    expect((await server.fetch('/drift/carol', { headers: { 'x-api-key': analyst } })).status).toBe(200);
  });

  it('a producer key ingests but cannot read, over REST or GraphQL', async () => {
    expect((await server.post('/ingest', [event('dave')], { 'x-api-key': producer })).status).toBe(200);
    for (const path of ['/drift/carol', '/fingerprint/carol', '/timeline/carol', '/profiles', '/alerts', '/metrics']) {
      const res = await server.fetch(path, { headers: bearer(producer) });
      expect(res.status, path).toBe(403);
      expect(await res.json()).toMatchObject({
        error: 'forbidden',
        message: 'a producer key may not read persona data',
      });
    }
    const readUser = graphql(`
      query AccessReadAsProducer {
        user(id: "carol") { id }
      }
    `);
    const read = await gql(server, readUser, {}, bearer(producer));
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(read.data?.user ?? null).toBeNull();
    const ingestOnly = graphql(`
      mutation AccessIngestAsProducer($input: EventInput!) {
        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate } }
      }
    `);
    const ingest = await gql(
      server,
      ingestOnly,
      { input: { userId: 'erin', kind: 'login', meta: { browser: 'chrome' } } },
      bearer(producer),
    );
    expect(ingest.errors).toBeUndefined();
    expect(ingest.data).toEqual({ ingestEvent: { duplicate: false } });
    // Stored, but not readable back by a producer: the event comes back null with FORBIDDEN.
    const ingestAndRead = graphql(`
      mutation AccessIngestAndReadBack($input: EventInput!) {
        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate event { ip meta risk { score } } } }
      }
    `);
    const readBack = await gql(
      server,
      ingestAndRead,
      { input: { userId: 'erin', kind: 'login', eventId: 'e-1', meta: { ip: '12.34.56.78' } } },
      bearer(producer),
    );
    expect(readBack.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(readBack.data).toEqual({ ingestEvent: { duplicate: false, event: null } });
    const batchAndRead = graphql(`
      mutation AccessIngestBatchAndReadBack($inputs: [EventInput!]!) {
        ingestEvents(inputs: $inputs) { ... on IngestEventsPayload { stored events { meta } } }
      }
    `);
    const batch = await gql(server, batchAndRead, { inputs: [{ userId: 'erin', kind: 'logout' }] }, bearer(producer));
    expect(batch.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(batch.data).toEqual({ ingestEvents: { stored: 1, events: null } });
    // Not through the ingest payload either.
    const ingestAndReadDrift = graphql(`
      mutation AccessIngestAndReadDrift($input: EventInput!) {
        ingestEvent(input: $input) { ... on IngestEventPayload { event { user { drift { score } } } } }
      }
    `);
    const sneaky = await gql(
      server,
      ingestAndReadDrift,
      { input: { userId: 'erin', kind: 'login', meta: {} } },
      bearer(producer),
    );
    expect(sneaky.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('never serves one role a cached answer computed for another', async () => {
    const query = graphql(`
      query AccessCachedUser {
        user(id: "carol") { id eventCount }
      }
    `);
    const asAnalyst = await gql(server, query, {}, bearer(analyst));
    expect(asAnalyst.data).toEqual({ user: { id: 'carol', eventCount: 1 } });
    // The identical document again, cached by now for analysts: a producer must still be refused.
    expect((await gql(server, query, {}, bearer(analyst))).data).toEqual(asAnalyst.data);
    const asProducer = await gql(server, query, {}, bearer(producer));
    expect(asProducer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(asProducer.data?.user ?? null).toBeNull();
    const viewer = graphql(`
      query AccessViewerRole {
        viewer { role }
      }
    `);
    expect((await gql(server, viewer, {}, bearer(analyst))).data).toEqual({ viewer: { role: 'ANALYST' } });
    expect((await gql(server, viewer, {}, bearer(producer))).data).toEqual({ viewer: { role: 'PRODUCER' } });
    expect((await gql(server, viewer, {}, bearer(admin))).data).toEqual({ viewer: { role: 'ADMIN' } });
  });

  it('does not count requests without a key as guesses', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 40; i++) statuses.add((await server.fetch('/profiles')).status);
    expect([...statuses]).toEqual([401]);
    expect((await server.fetch('/profiles', { headers: bearer(analyst) })).status).toBe(200);
  });

  it('a producer key cannot subscribe to live data', async () => {
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(producer) },
      body: JSON.stringify({ query: 'subscription { eventIngested { id } }' }),
    });
    const text = await res.text();
    expect(text).toContain('FORBIDDEN');
  });

  it('an analyst reads and triages but cannot ingest, manage keys or delete', async () => {
    expect((await server.fetch('/profiles', { headers: bearer(analyst) })).status).toBe(200);
    const ingest = await server.post('/ingest', event('x'), bearer(analyst));
    expect(ingest.status).toBe(403);
    expect(await ingest.json()).toMatchObject({ message: 'an analyst key may not ingest events' });
    const triage = await gql(
      server,
      graphql(`
        mutation AccessTriageAsAnalyst {
          setAlertStatus(id: "999", status: RESOLVED) { id }
        }
      `),
      {},
      bearer(analyst),
    );
    expect(triage.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const refusals = [
      ['apiKeys', gql(server, LIST_KEYS, {}, bearer(analyst))],
      [
        'auditLog',
        gql(
          server,
          graphql(`
            query AccessAuditAsAnalyst {
              auditLog { id }
            }
          `),
          {},
          bearer(analyst),
        ),
      ],
      ['createApiKey', gql(server, CREATE_KEY, { role: 'ADMIN' }, bearer(analyst))],
      ['deleteUser', gql(server, DELETE_USER, { id: 'carol' }, bearer(analyst))],
    ] as const;
    for (const [field, result] of refusals) {
      expect((await result).errors?.[0]?.extensions?.code, field).toBe('FORBIDDEN');
    }
    expect((await server.fetch('/users/carol', { method: 'DELETE', headers: bearer(analyst) })).status).toBe(403);
    // Nothing was deleted.
    expect((await server.fetch('/drift/carol', { headers: bearer(analyst) })).status).toBe(200);
  });

  it('an admin creates a key (shown once), lists keys without secrets, revokes at once, and every action is audited', async () => {
    const created = await gql(server, CREATE_KEY, { role: 'ANALYST', name: 'siem' }, bearer(admin));
    expect(created.errors).toBeUndefined();
    const { key, apiKey } = created.data!.createApiKey;
    expect(apiKey).toMatchObject({ role: 'ANALYST', name: 'siem', prefix: key.slice(0, 11) });
    expect((await server.fetch('/profiles', { headers: bearer(key) })).status).toBe(200);

    const listed = await gql(server, LIST_KEYS, {}, bearer(admin));
    const keys = listed.data?.apiKeys ?? [];
    expect(keys.map((k) => k.role)).toEqual(['PRODUCER', 'ANALYST', 'ADMIN', 'ANALYST']);
    expect(keys.find((k) => k.id === apiKey.id)?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.data)).not.toContain(key.slice(11));

    const revoked = await gql(server, REVOKE_KEY, { id: apiKey.id }, bearer(admin));
    expect(revoked.data?.revokeApiKey.revokedAt).toEqual(expect.any(String));
    expect((await server.fetch('/profiles', { headers: bearer(key) })).status).toBe(401);
    const missing = await gql(server, REVOKE_KEY, { id: '9999' }, bearer(admin));
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const audit = await gql(
      server,
      graphql(`
        query AccessAuditLog {
          auditLog { actor action target details }
        }
      `),
      {},
      bearer(admin),
    );
    const entries = audit.data?.auditLog ?? [];
    expect(entries.map((e) => e.action)).toEqual([
      'key.revoked',
      'key.created',
      'key.created',
      'key.created',
      'key.created',
    ]);
    expect(entries[0]?.actor).toMatch(/^key:3 \(pd_/);
    expect(entries.at(-1)?.actor).toBe('cli');
    expect(JSON.stringify(entries)).not.toContain(key.slice(11));
  });

  it('an admin deletes all of a user’s data (REST and GraphQL), audited; unknown users are 404', async () => {
    const del = await server.fetch('/users/carol', { method: 'DELETE', headers: bearer(admin) });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ ok: true, deleted: { user_id: 'carol', events: 1 } });
    expect((await server.fetch('/drift/carol', { headers: bearer(admin) })).status).toBe(404);
    expect((await server.fetch('/users/carol', { method: 'DELETE', headers: bearer(admin) })).status).toBe(404);

    const gone = await gql(server, DELETE_USER, { id: 'dave' }, bearer(admin));
    expect(gone.data).toEqual({ deleteUser: { userId: 'dave', events: 1 } });
    const again = await gql(server, DELETE_USER, { id: 'dave' }, bearer(admin));
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const audit = await gql(
      server,
      graphql(`
        query AccessLatestAudit {
          auditLog(first: 2) { action target details }
        }
      `),
      {},
      bearer(admin),
    );
    expect(audit.data?.auditLog).toEqual([
      { action: 'user.deleted', target: 'user:dave', details: { events: 1 } },
      { action: 'user.deleted', target: 'user:carol', details: { events: 1 } },
    ]);
    // Nothing of theirs is left in any table.
    const db = openDatabase(file);
    for (const table of ['Event', 'UserToken', 'UserRiskProfile', 'Alert']) {
      const left = db.prepare(`SELECT count(*) AS n FROM "${table}" WHERE userId IN ('carol', 'dave')`).get() as {
        n: number;
      };
      expect(left.n, table).toBe(0);
    }
    db.close();
  });

  it('a key revoked by the CLI stops working within seconds', async () => {
    const key = createKey(file, 'analyst');
    expect((await server.fetch('/profiles', { headers: bearer(key) })).status).toBe(200);
    const list = keysCli(file, 'list');
    expect(list.status).toBe(0);
    const line = list.stdout.split('\n').find((l) => l.includes(key.slice(0, 11)));
    expect(line).toMatch(/analyst/);
    const id = line?.trim().split(/\s+/)[0] as string;
    expect(keysCli(file, 'revoke', id).status).toBe(0);
    await expect
      .poll(async () => (await server.fetch('/profiles', { headers: bearer(key) })).status, {
        timeout: 8000,
        interval: 500,
      })
      .toBe(401);
  });

  it('ends a live event stream as soon as its key is revoked', async () => {
    const created = await gql(server, CREATE_KEY, { role: 'ANALYST' }, bearer(admin));
    const { key, apiKey } = created.data!.createApiKey;
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(key) },
      body: JSON.stringify({ query: 'subscription { eventIngested { id } }' }),
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const ended = (async () => {
      for (;;) {
        try {
          if ((await reader.read()).done) return 'ended';
        } catch {
          return 'ended';
        }
      }
    })();
    await gql(server, REVOKE_KEY, { id: apiKey.id }, bearer(admin));
    const outcome = await Promise.race([
      ended,
      new Promise((resolve) => setTimeout(() => resolve('still open'), 3000)),
    ]);
    expect(outcome).toBe('ended');
  });

  it('serves live data only over the tracked channels: a multipart subscription is refused', async () => {
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed', ...bearer(analyst) },
      body: JSON.stringify({ query: 'subscription { alertChanged { id } }' }),
    });
    expect(res.status).toBe(406);
    await res.arrayBuffer();
  });

  it('authenticates WebSocket subscriptions from connection parameters', async () => {
    const url = `${server.url.replace('http', 'ws')}/graphql`;
    const subscribe = (params: Record<string, unknown>) =>
      new Promise<string>((resolve) => {
        const client = createClient({
          url,
          webSocketImpl: WebSocket,
          connectionParams: params,
          retryAttempts: 0,
          onNonLazyError: () => {},
          lazy: false,
          on: {
            connected: () => resolve('connected'),
            closed: (e) => resolve(`closed ${(e as { code: number }).code}`),
          },
        });
        setTimeout(() => void client.dispose(), 3000);
      });
    expect(await subscribe({})).toBe('closed 4403');
    expect(await subscribe({ authorization: `Bearer ${analyst}` })).toBe('connected');
  });

  it('closes a WebSocket as soon as its key is revoked', async () => {
    const created = await gql(server, CREATE_KEY, { role: 'ANALYST' }, bearer(admin));
    const { key, apiKey } = created.data!.createApiKey;
    const closed = new Promise<number>((resolve, reject) => {
      const client = createClient({
        url: `${server.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { apiKey: key },
        retryAttempts: 0,
        onNonLazyError: () => {},
        lazy: false,
        on: {
          connected: () => {
            void gql(server, REVOKE_KEY, { id: apiKey.id }, bearer(admin));
          },
          closed: (e) => resolve((e as { code: number }).code),
        },
      });
      setTimeout(() => {
        void client.dispose();
        reject(new Error('still open 3 s after the revocation'));
      }, 3000);
    });
    expect(await closed).toBe(4403);
  });
});

describe('bad input on the access paths', () => {
  const file = join(tmp.dir, 'bad-input.db');
  let server: RunningApi;
  let admin: string;

  beforeAll(async () => {
    admin = createKey(file, 'admin');
    server = await startApi(file);
  });
  afterAll(() => server.stop());

  const AUDIT_PAGE = graphql(`
    query AccessAuditPage($first: Int, $before: ID) {
      auditLog(first: $first, before: $before) { id }
    }
  `);
  it.each([
    ['auditLog(first: 0)', () => gql(server, AUDIT_PAGE, { first: 0 }, bearer(admin)), 'BAD_USER_INPUT', 'first'],
    ['auditLog(first: 501)', () => gql(server, AUDIT_PAGE, { first: 501 }, bearer(admin)), 'BAD_USER_INPUT', 'first'],
    [
      'auditLog(before: "abc")',
      () => gql(server, AUDIT_PAGE, { before: 'abc' }, bearer(admin)),
      'BAD_USER_INPUT',
      'before',
    ],
    [
      'createApiKey with a 101-character name',
      () => gql(server, CREATE_KEY, { role: 'ANALYST', name: 'x'.repeat(101) }, bearer(admin)),
      'BAD_USER_INPUT',
      'name',
    ],
    ['revokeApiKey(id: "abc")', () => gql(server, REVOKE_KEY, { id: 'abc' }, bearer(admin)), 'NOT_FOUND', 'id'],
    ['deleteUser(id: "nobody")', () => gql(server, DELETE_USER, { id: 'nobody' }, bearer(admin)), 'NOT_FOUND', 'id'],
  ])('%s answers %s naming %s, and changes nothing', async (_name, run, code, field) => {
    const result = await run();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
    const keys = await gql(
      server,
      graphql(`
        query AccessKeysAndAuditUnchanged {
          apiKeys { id }
          auditLog { id }
        }
      `),
      {},
      bearer(admin),
    );
    expect(keys.data).toEqual({ apiKeys: [{ id: '1' }], auditLog: [{ id: '1' }] });
  });

  it('refuses an unknown role before running anything', async () => {
    // Not a Role: a document codegen would refuse, so it goes raw.
    const result = await rawGql(server, 'mutation { createApiKey(role: WIZARD) { key } }', {}, bearer(admin));
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/WIZARD/);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers a DELETE with a malformed user id with 400 naming user_id', async () => {
    const res = await server.fetch('/users/%E0%A4%A', { method: 'DELETE', headers: bearer(admin) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'user_id' });
  });

  it('the keys CLI names what is wrong and exits 2', () => {
    const role = keysCli(file, 'create', '--role', 'wizard');
    expect(role.status).toBe(2);
    expect(role.stderr).toMatch(/--role must be one of producer, analyst, admin/);
    const missing = keysCli(file, 'revoke', '999');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no key 999/);
    const unknown = keysCli(file, 'rotate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'rotate'/);
  });
});

describe('abuse limits', () => {
  it('limits each key to its request rate with 429 and Retry-After', async () => {
    const file = join(tmp.dir, 'rate.db');
    const key = createKey(file, 'analyst');
    const server = await startApi(file, { RATE_LIMIT_PER_KEY: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 15; i++) statuses.push((await server.fetch('/profiles', { headers: bearer(key) })).status);
      // A burst of twice the rate, then refusals.
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.slice(10)).toContain(429);
      const refused = await server.fetch('/profiles', { headers: bearer(key) });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ error: 'rate_limited' });
    } finally {
      await server.stop();
    }
  });

  it('limits each client address to its request rate with 429 and Retry-After, whatever the key', async () => {
    const file = join(tmp.dir, 'address.db');
    const keys = [createKey(file, 'analyst'), createKey(file, 'analyst')];
    const server = await startApi(file, { RATE_LIMIT_PER_IP: '4' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push((await server.fetch('/profiles', { headers: bearer(keys[i % 2] as string) })).status);
      }
      expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200));
      expect(statuses.slice(8)).toContain(429);
      // Health checks are never limited.
      expect((await server.fetch('/health')).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('refuses an address after repeated failed authentications, even with a good key', async () => {
    const file = join(tmp.dir, 'guess.db');
    const key = createKey(file, 'analyst');
    const server = await startApi(file, { AUTH_FAILURES_PER_IP: '3' });
    try {
      const guesses: number[] = [];
      for (let i = 0; i < 4; i++)
        guesses.push((await server.fetch('/profiles', { headers: bearer(`pd_${'x'.repeat(43)}`) })).status);
      expect(guesses).toEqual([401, 401, 401, 429]);
      const res = await server.fetch('/profiles', { headers: bearer(key) });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await server.stop();
    }
  });
});

describe('losing the last key', () => {
  it('locks the API instead of reopening it, even on loopback', async () => {
    const file = join(tmp.dir, 'last.db');
    const admin = createKey(file, 'admin');
    const server = await startApi(file);
    try {
      const listed = await gql(server, LIST_KEYS, {}, bearer(admin));
      const [only] = listed.data?.apiKeys ?? [];
      await gql(server, REVOKE_KEY, { id: only!.id }, bearer(admin));
      expect((await server.fetch('/profiles')).status).toBe(401);
      expect((await server.fetch('/profiles', { headers: bearer(admin) })).status).toBe(401);
      const health = (await (await server.fetch('/health')).json()) as { auth: string };
      expect(health.auth).toBe('locked');
    } finally {
      await server.stop();
    }
    // And it will not start that way either.
    await expect(spawnApi({ DATABASE_URL: `file:${file}` })).rejects.toThrow(/every API key has been revoked/);
  });
});

describe('behind a trusted proxy', () => {
  it('counts failed authentications per forwarded client address', async () => {
    const file = join(tmp.dir, 'proxy.db');
    const key = createKey(file, 'analyst');
    const server = await startApi(file, { AUTH_FAILURES_PER_IP: '2' });
    try {
      const from = (client: string, headers: Record<string, string>) =>
        server.fetch('/profiles', { headers: { 'x-forwarded-for': `10.9.8.7, ${client}`, ...headers } });
      const wrong = bearer(`pd_${'y'.repeat(43)}`);
      expect((await from('203.0.113.5', wrong)).status).toBe(401);
      expect((await from('203.0.113.5', wrong)).status).toBe(401);
      expect((await from('203.0.113.5', bearer(key))).status).toBe(429);
      // Another client behind the same proxy is not punished for it.
      expect((await from('198.51.100.9', bearer(key))).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
