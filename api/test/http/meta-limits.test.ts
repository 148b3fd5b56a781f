import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql, ofType } from '../support/graphql.ts';

// Every stored meta is read back whole (timeline, GraphQL `meta`), so its size
// and nesting are bounded at every ingest path, REST and GraphQL alike.
const MAX_META_BYTES = 2048;
const tmp = tempDir();
let server: RunningApi;
let db: Database.Database;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'meta.db'), { MAX_META_BYTES: String(MAX_META_BYTES) });
  db = new Database(server.dbFile, { readonly: true });
});

afterAll(async () => {
  db.close();
  await server.stop();
  tmp.cleanup();
});

const storedEvents = () => (db.prepare('SELECT count(*) AS n FROM "Event"').get() as { n: number }).n;

/** A meta whose JSON is exactly `bytes` UTF-8 bytes long, written in two-byte characters. */
function metaOfBytes(bytes: number): Record<string, string> {
  const overhead = Buffer.byteLength('{"s":""}');
  if ((bytes - overhead) % 2 !== 0) throw new Error('an even payload length is needed');
  const meta = { s: 'é'.repeat((bytes - overhead) / 2) };
  expect(Buffer.byteLength(JSON.stringify(meta))).toBe(bytes);
  return meta;
}

/** A meta object nesting `depth` objects and arrays, counting itself. */
function metaOfDepth(depth: number): Record<string, unknown> {
  let value: unknown = 1;
  for (let level = 1; level < depth; level += 1) value = level % 2 === 0 ? { n: value } : [value];
  return { n: value };
}

const event = (userId: string, meta: Record<string, unknown> = { browser: 'chrome' }) => ({
  user_id: userId,
  kind: 'login',
  meta,
});

describe('REST meta limits', () => {
  it('counts UTF-8 bytes of the JSON: a meta of exactly MAX_META_BYTES is stored, one more pair is a 422', async () => {
    const atLimit = await server.post('/ingest', event('meta-edge', metaOfBytes(MAX_META_BYTES)));
    expect(atLimit.status).toBe(200);
    const before = storedEvents();
    // 1,021 characters: under the limit counted in characters, over it in bytes.
    const over = await server.post('/ingest', event('meta-edge', metaOfBytes(MAX_META_BYTES + 2)));
    expect(over.status).toBe(422);
    const body = await over.json();
    expect(body).toMatchObject({ ok: false, error: 'invalid_field', field: 'meta' });
    expect(body.message).toContain(String(MAX_META_BYTES));
    expect(storedEvents()).toBe(before);
  });

  it('names the event of a batch whose meta is too large, and stores none of the batch', async () => {
    const before = storedEvents();
    const batch = [event('meta-b'), event('meta-b'), event('meta-b'), event('meta-b', { blob: 'x'.repeat(5000) })];
    const res = await server.post('/ingest', batch);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ ok: false, field: '[3].meta' });
    expect(storedEvents()).toBe(before);
    expect((await server.fetch('/drift/meta-b')).status).toBe(404);
  });

  it('stores meta nested 32 deep and refuses 33 deep, naming meta', async () => {
    expect((await server.post('/ingest', event('meta-deep', metaOfDepth(32)))).status).toBe(200);
    const before = storedEvents();
    const res = await server.post('/ingest', event('meta-deep', metaOfDepth(33)));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body).toMatchObject({ field: 'meta' });
    expect(body.message).toMatch(/32/);
    expect(storedEvents()).toBe(before);
  });
});

const INGEST = graphql(`
  mutation IngestWithLargeMeta($input: EventInput!) {
    ingestEvent(input: $input) {
      __typename
      ... on ValidationError { code issues { field message } }
    }
  }
`);

const INGEST_MANY = graphql(`
  mutation IngestBatchWithLargeMeta($inputs: [EventInput!]!) {
    ingestEvents(inputs: $inputs) {
      __typename
      ... on ValidationError { code issues { field message } }
    }
  }
`);

const input = (userId: string, extra: Record<string, unknown> = {}) => ({
  userId,
  kind: 'login',
  meta: { browser: 'chrome', extra },
});

describe('GraphQL meta limits', () => {
  it('ingestEvent refuses a meta past MAX_META_BYTES with a ValidationError naming input.meta', async () => {
    const before = storedEvents();
    const { data } = await gql(server, INGEST, {
      input: input('meta-gq', { blob: 'x'.repeat(5000) }),
    });
    const refused = ofType(data?.ingestEvent, 'ValidationError');
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.issues[0]?.field).toBe('input.meta');
    expect(storedEvents()).toBe(before);
  });

  it('ingestEvents names the input whose meta is too large, and stores none of the batch', async () => {
    const before = storedEvents();
    const { data } = await gql(server, INGEST_MANY, {
      inputs: [input('meta-gqb'), input('meta-gqb'), input('meta-gqb'), input('meta-gqb', { blob: 'x'.repeat(5000) })],
    });
    expect(ofType(data?.ingestEvents, 'ValidationError').issues.map((issue) => issue.field)).toEqual([
      'inputs[3].meta',
    ]);
    expect(storedEvents()).toBe(before);
  });

  it('ingestEvent refuses meta.extra nested past 32 levels, naming input.meta', async () => {
    const before = storedEvents();
    const { data } = await gql(server, INGEST, {
      input: input('meta-gqd', metaOfDepth(40)),
    });
    expect(ofType(data?.ingestEvent, 'ValidationError').issues[0]?.field).toBe('input.meta');
    expect(storedEvents()).toBe(before);
  });
});
