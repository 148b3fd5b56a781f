import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

const event = (userId: string, extra: Record<string, unknown> = {}) => ({
  user_id: userId,
  kind: 'login',
  meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' },
  ...extra,
});

let tmp: ReturnType<typeof tempDir>;
let server: RunningApi;

beforeAll(async () => {
  tmp = tempDir();
  server = await startApi(join(tmp.dir, 'ingest.db'), { MAX_BODY_BYTES: '4096', MAX_BATCH_EVENTS: '5' });
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

/** Rows in the Event table, read straight from the file. */
function storedEvents(): number {
  const db = new Database(server.dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM "Event"').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('batches', () => {
  it('stores a JSON array atomically and answers its count', async () => {
    const res = await server.post('/ingest', [event('b1'), event('b1'), event('b2')]);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"ok":true,"stored":true,"count":3}');
    expect(await (await server.fetch('/profiles')).json()).toMatchObject({ b1: 2, b2: 1 });
  });

  it('stores nothing of a batch with one bad event, naming it by index', async () => {
    const before = storedEvents();
    const res = await server.post('/ingest', [event('b3'), event('b3', { meta: { ip: '1.2.3.999' } })]);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_field', field: '[1].meta.ip' });
    expect(storedEvents()).toBe(before);
    expect((await server.fetch('/drift/b3')).status).toBe(404);
  });

  it('refuses a batch over the limit with 413 and an empty one with 422', async () => {
    const tooMany = await server.post(
      '/ingest',
      Array.from({ length: 6 }, () => event('b4')),
    );
    expect(tooMany.status).toBe(413);
    expect(await tooMany.json()).toMatchObject({ error: 'batch_too_large', field: 'body' });
    const empty = await server.post('/ingest', []);
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ field: 'body' });
  });
});

describe('idempotent retries', () => {
  it('stores an event re-sent with the same event_id once', async () => {
    const first = await server.post('/ingest', event('retry', { event_id: 'evt-1' }));
    expect(await first.json()).toEqual({ ok: true, stored: true });
    const again = await server.post('/ingest', event('retry', { event_id: 'evt-1' }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, stored: true, duplicate: true });
    expect(await (await server.fetch('/drift/retry')).json()).toMatchObject({ events: 1 });
  });

  it('skips duplicates inside and across batches, and only for the same user', async () => {
    const res = await server.post('/ingest', [
      event('retry2', { event_id: 'a' }),
      event('retry2', { event_id: 'a' }),
      event('retry2', { event_id: 'b' }),
      event('other', { event_id: 'a' }),
    ]);
    expect(await res.json()).toEqual({ ok: true, stored: true, count: 4, duplicates: 1 });
    const resend = await server.post('/ingest', [
      event('retry2', { event_id: 'b' }),
      event('retry2', { event_id: 'c' }),
    ]);
    expect(await resend.json()).toEqual({ ok: true, stored: true, count: 2, duplicates: 1 });
    expect(await (await server.fetch('/profiles')).json()).toMatchObject({ retry2: 3, other: 1 });
    const timeline = await (await server.fetch('/timeline/retry2')).json();
    expect(timeline.map((e: { event_id: string }) => e.event_id)).toEqual(['a', 'b', 'c']);
  });
});

describe('bad input never stores anything and never answers 5xx', () => {
  const cases: Array<{ name: string; body: string; type?: string; status: number; error: string; field?: string }> = [
    { name: 'invalid JSON', body: '{"user_id": "x",', status: 400, error: 'invalid_json' },
    { name: 'an empty body', body: '', status: 400, error: 'invalid_json' },
    { name: 'a JSON string', body: '"alice"', status: 422, error: 'invalid_field', field: 'body' },
    { name: 'null', body: 'null', status: 422, error: 'invalid_field', field: 'body' },
    { name: 'a missing user_id', body: '{"kind":"login"}', status: 422, error: 'invalid_field', field: 'user_id' },
    { name: 'a missing kind', body: '{"user_id":"x"}', status: 422, error: 'invalid_field', field: 'kind' },
    {
      name: 'a numeric user_id',
      body: '{"user_id":1,"kind":"k"}',
      status: 422,
      error: 'invalid_field',
      field: 'user_id',
    },
    {
      name: 'a bad IP',
      body: '{"user_id":"x","kind":"k","meta":{"ip":"nope"}}',
      status: 422,
      error: 'invalid_field',
      field: 'meta.ip',
    },
    {
      name: 'a meta array',
      body: '{"user_id":"x","kind":"k","meta":[1]}',
      status: 422,
      error: 'invalid_field',
      field: 'meta',
    },
    {
      name: 'a bad timestamp',
      body: '{"user_id":"x","kind":"k","timestamp":"tomorrow"}',
      status: 422,
      error: 'invalid_field',
      field: 'timestamp',
    },
    {
      name: 'a form body',
      body: 'user_id=x',
      type: 'application/x-www-form-urlencoded',
      status: 415,
      error: 'unsupported_media_type',
    },
    {
      name: 'text/plain JSON',
      body: '{"user_id":"x","kind":"k"}',
      type: 'text/plain',
      status: 415,
      error: 'unsupported_media_type',
    },
  ];

  it.each(cases)('$name → $status', async ({ body, type, status, error, field }) => {
    const before = storedEvents();
    const res = await server.fetch('/ingest', {
      method: 'POST',
      headers: { 'content-type': type ?? 'application/json' },
      body,
    });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const json = await res.json();
    expect(json).toMatchObject({ ok: false, error });
    expect(typeof json.message).toBe('string');
    if (field !== undefined) expect(json.field).toBe(field);
    expect(storedEvents()).toBe(before);
  });

  it('refuses a body over the limit with 413', async () => {
    const before = storedEvents();
    const res = await server.post('/ingest', event('big', { meta: { note: 'x'.repeat(5000) } }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: 'payload_too_large' });
    expect(storedEvents()).toBe(before);
  });

  it('refuses a streamed body that grows past the limit without a Content-Length', async () => {
    const chunks = [
      '[',
      ...Array.from({ length: 40 }, (_, i) => `${i ? ',' : ''}${JSON.stringify(event('stream'))}`),
      ']',
    ];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const res = await fetch(`${server.url}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await server.fetch('/drift/stream')).status).toBe(404);
  });

  it('keeps serving after all of that', async () => {
    const res = await server.post('/ingest', event('after'));
    expect(await res.json()).toEqual({ ok: true, stored: true });
    expect((await server.fetch('/health')).status).toBe(200);
  });
});
