import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLegacyEvent } from '../../src/domain/event-input.ts';
import { EventWriter } from '../../src/ingest/write.ts';
import { openMigratedDatabase } from '../../src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql, ofType } from '../support/graphql.ts';

// A user id is what an analyst reads in the dashboard: ids that look alike
// must be the same user or refused, never two users.
const tmp = tempDir();
let server: RunningApi;
let db: Database.Database;

/** An id stored before ids were checked: it must stay readable and deletable. */
const LEGACY_ID = 'legacy\u200b';

beforeAll(async () => {
  const dbFile = join(tmp.dir, 'ids.db');
  const seeded = openMigratedDatabase(dbFile);
  const parsed = parseLegacyEvent({ user_id: 'placeholder', kind: 'login', meta: { browser: 'chrome' } });
  if (!parsed.ok) throw new Error('the fixture event is invalid');
  new EventWriter(new SqliteWriteStore(seeded)).write([{ ...parsed.value, userId: LEGACY_ID }], Date.now());
  seeded.close();
  server = await startApi(dbFile);
  db = new Database(dbFile, { readonly: true });
});

afterAll(async () => {
  db.close();
  await server.stop();
  tmp.cleanup();
});

const storedUsers = () =>
  (db.prepare('SELECT id FROM "User" ORDER BY id').all() as Array<{ id: string }>).map((u) => u.id);
const storedEvents = () => (db.prepare('SELECT count(*) AS n FROM "Event"').get() as { n: number }).n;

/** Look-alikes of plain ids, by class, with what the refusal must name. */
const LOOK_ALIKES: Array<[string, string, string]> = [
  ['full-width letters', '\uff41\uff4c\uff49\uff43\uff45', "'alice'"],
  ['a zero-width space', 'alice\u200b', 'U+200B'],
  ['a right-to-left override', 'mallory\u202eevil', 'U+202E'],
  ['a bidi isolate', '\u2066alice\u2069', 'U+2066'],
  ['NUL', 'nul\u0000id', 'U+0000'],
  ['an ANSI escape', 'esc\u001b[31mred', 'U+001B'],
  ['a C1 control', 'alice\u009b31m', 'U+009B'],
  ['a line separator', 'ali\u2028ce', 'U+2028'],
  ['a private-use character', 'alice\ue000', 'U+E000'],
  ['a lone surrogate', 'alice\ud800', 'U+D800'],
  ['the replacement character', 'ali\ufffdce', 'U+FFFD'],
];

describe('REST ingest', () => {
  it.each(LOOK_ALIKES)('refuses a user_id with %s: 422 naming user_id, nothing stored', async (_, id, named) => {
    const before = storedEvents();
    const res = await server.post('/ingest', { user_id: id, kind: 'login' });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body).toMatchObject({ ok: false, error: 'invalid_field', field: 'user_id' });
    expect(body.message).toContain(named);
    expect(storedEvents()).toBe(before);
  });

  it('names the event of a batch whose user_id is refused, and stores none of the batch', async () => {
    const before = storedEvents();
    const res = await server.post('/ingest', [
      { user_id: 'batch-ok', kind: 'login' },
      { user_id: 'batch\u200b', kind: 'login' },
    ]);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ field: '[1].user_id' });
    expect(storedEvents()).toBe(before);
  });

  it('stores composed and decomposed spellings of an id as one user, composed (NFC)', async () => {
    expect((await server.post('/ingest', { user_id: 'Jos\u00e9', kind: 'login' })).status).toBe(200);
    expect((await server.post('/ingest', { user_id: 'Jose\u0301', kind: 'login' })).status).toBe(200);
    expect(storedUsers().filter((id) => id.startsWith('Jos'))).toEqual(['Jos\u00e9']);
    const profiles = await (await server.fetch('/profiles')).json();
    expect(profiles['Jos\u00e9']).toBe(2);
  });

  it('refuses a body that is not valid UTF-8 with 400, storing nothing', async () => {
    const before = storedEvents();
    // Two different invalid bytes: decoded leniently, both became the same U+FFFD id.
    for (const byte of [0xff, 0xc3]) {
      const body = Buffer.concat([
        Buffer.from('{"user_id":"ali'),
        Buffer.from([byte]),
        Buffer.from('ce","kind":"login"}'),
      ]);
      const res = await server.fetch('/ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      const answer = await res.json();
      expect(answer).toMatchObject({ ok: false, error: 'invalid_json' });
      expect(answer.message).toMatch(/UTF-8/);
    }
    expect(storedEvents()).toBe(before);
  });
});

describe('REST reads', () => {
  it('finds a user by either spelling, composed or decomposed', async () => {
    for (const path of ['/drift/Jos%C3%A9', '/drift/Jose%CC%81', '/fingerprint/Jose%CC%81', '/timeline/Jose%CC%81']) {
      expect((await server.fetch(path)).status, path).toBe(200);
    }
    const timeline = await (await server.fetch('/timeline/Jose%CC%81')).json();
    expect(timeline).toHaveLength(2);
    expect(timeline[0].user_id).toBe('Jos\u00e9');
  });

  it('answers 404 for an id no event could be stored under', async () => {
    for (const path of ['/drift/%EF%BD%81%EF%BD%8C%EF%BD%89%EF%BD%83%EF%BD%85', '/timeline/nul%00id']) {
      const res = await server.fetch(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found', field: 'user_id' });
    }
  });

  it('reads an id stored before the rule as it is written, and deletes it', async () => {
    const path = encodeURIComponent(LEGACY_ID);
    expect((await server.fetch(`/drift/${path}`)).status).toBe(200);
    const deleted = await server.fetch(`/users/${path}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ ok: true, deleted: { user_id: LEGACY_ID, events: 1 } });
    expect(storedUsers()).not.toContain(LEGACY_ID);
  });
});

const INGEST = graphql(`
  mutation IngestUnderUserId($input: EventInput!) {
    ingestEvent(input: $input) {
      __typename
      ... on IngestEventPayload { event { user { id } } }
      ... on ValidationError { code issues { field message } }
    }
  }
`);

describe('GraphQL', () => {
  it.each(LOOK_ALIKES)('ingestEvent refuses a userId with %s, naming input.userId', async (_, id, named) => {
    const before = storedEvents();
    const { data } = await gql(server, INGEST, { input: { userId: id, kind: 'login' } });
    const refused = ofType(data?.ingestEvent, 'ValidationError');
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.issues[0]?.field).toBe('input.userId');
    expect(refused.issues[0]?.message).toContain(named);
    expect(storedEvents()).toBe(before);
  });

  it('ingestEvent stores a decomposed userId composed', async () => {
    const { data } = await gql(server, INGEST, {
      input: { userId: 'Zoe\u0308', kind: 'login' },
    });
    expect(ofType(data?.ingestEvent, 'IngestEventPayload').event?.user.id).toBe('Zo\u00eb');
  });

  it('user(id:) finds a user by a decomposed spelling, and is null for an id no event could be stored under', async () => {
    const query = graphql(`
      query UserByAnySpelling($id: ID!) {
        user(id: $id) { id eventCount }
      }
    `);
    const found = await gql(server, query, { id: 'Jose\u0301' });
    expect(found.data?.user).toEqual({ id: 'Jos\u00e9', eventCount: 2 });
    const missing = await gql(server, query, { id: '\uff41\uff4c\uff49\uff43\uff45' });
    expect(missing.errors).toBeUndefined();
    expect(missing.data?.user).toBeNull();
  });

  it('deleteUser(id:) deletes a user by a decomposed spelling', async () => {
    const { data, errors } = await gql(
      server,
      graphql(`
        mutation DeleteUserByAnySpelling($id: ID!) {
          deleteUser(id: $id) { userId events }
        }
      `),
      { id: 'Zoe\u0308' },
    );
    expect(errors).toBeUndefined();
    expect(data?.deleteUser).toEqual({ userId: 'Zo\u00eb', events: 1 });
    expect(storedUsers()).not.toContain('Zo\u00eb');
  });
});
