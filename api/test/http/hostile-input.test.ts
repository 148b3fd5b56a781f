import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

// Random and hostile payloads against the real server: whatever arrives, the
// answer is never a 5xx, the process stays up, and a refused request stores
// nothing.
const tmp = tempDir();
let server: RunningApi;
let db: Database.Database;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'hostile.db'), { MAX_BODY_BYTES: String(256 * 1024) });
  db = new Database(server.dbFile, { readonly: true });
});

afterAll(async () => {
  db.close();
  await server.stop();
  tmp.cleanup();
});

const storedEvents = () => (db.prepare('SELECT count(*) AS n FROM "Event"').get() as { n: number }).n;

/** Keys that break naive object handling. */
const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  '\u0000',
  '💥',
];
const nastyKey = fc.oneof(
  fc.constantFrom(...NASTY_KEYS),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

/** Any JSON-ish value, including nasty keys and odd unicode. */
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', ' ', 'NaN', '1e400', '-0', '2024-13-45T99:99:99Z', '9'.repeat(40), '\uD800', 'x'.repeat(5000)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyKey, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Event-shaped objects whose fields have the wrong type (or the right one) at random. */
const eventLike = fc.record(
  {
    user_id: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), hostileValue),
    kind: fc.oneof(fc.constantFrom('login', 'logout', ''), hostileValue),
    event_id: hostileValue,
    timestamp: fc.oneof(fc.integer(), fc.string(), fc.double(), hostileValue),
    meta: fc.oneof(
      fc.record(
        {
          browser: hostileValue,
          os: hostileValue,
          ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string(), hostileValue),
          device: hostileValue,
          dev_type: hostileValue,
          user_agent: fc.oneof(fc.string({ maxLength: 600 }), hostileValue),
          success: hostileValue,
          country: hostileValue,
          asn: hostileValue,
          lat: hostileValue,
          lon: hostileValue,
        },
        { requiredKeys: [] },
      ),
      hostileValue,
    ),
  },
  { requiredKeys: [] },
);

/** Raw bodies: JSON of the above, broken JSON, prototype pollution spelled out, deep nesting. */
const rawBody = fc.oneof(
  eventLike.map((value) => JSON.stringify(value)),
  fc.array(eventLike, { maxLength: 5 }).map((value) => JSON.stringify(value)),
  hostileValue.map((value) => JSON.stringify(value) ?? 'undefined'),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '{"__proto__":{"polluted":true},"user_id":"p","kind":"login"}',
    '{"constructor":{"prototype":{"polluted":true}},"user_id":"p","kind":"login"}',
    '{"user_id":"p","kind":"login","meta":{"__proto__":{"polluted":true}}}',
    '[{"user_id":"p","kind":"login","__proto__":[]}]',
    '{"user_id":"p","kind":"login"',
    '{"user_id":"p","kind":"login"}garbage',
  ),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  // Past the body limit (256 KB here): 413.
  fc.constant(JSON.stringify({ user_id: 'big', kind: 'login', meta: { browser: 'x'.repeat(300_000) } })),
  fc.integer({ min: 1, max: 5_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
);

/** Answers seen, by class: the properties must see both outcomes to mean anything. */
const seen = { accepted: 0, refused: 0 };

async function assertSafe(res: Response, before: number): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBeLessThan(500);
  seen[res.status < 300 ? 'accepted' : 'refused'] += 1;
  if (res.status >= 300) {
    expect(storedEvents()).toBe(before);
    // Errors say what is wrong without internals.
    expect(text).not.toMatch(/at .*\.ts:\d+|SQLITE|sqlite|Error: /);
  }
}

describe('hostile input', () => {
  it('POST /ingest: random and hostile bodies never get a 5xx, and a refused body stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        const before = storedEvents();
        await assertSafe(await server.post('/ingest', body), before);
      }),
      { numRuns: 300 },
    );
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(seen.accepted);
    expect((await server.fetch('/health')).status).toBe(200);
  });

  it('GraphQL ingestEvent and ingestEvents: random variables never get a 5xx, and a refused input stores nothing', async () => {
    const mutation = fc.constantFrom(
      'mutation($input: EventInput!) { ingestEvent(input: $input) { __typename ... on ValidationError { message } } }',
      'mutation($inputs: [EventInput!]!) { ingestEvents(inputs: $inputs) { __typename ... on ValidationError { message } } }',
    );
    // GraphQL spells the fields in camelCase; some inputs are well formed, most are not.
    const camel = eventLike.map((value) => {
      const { user_id, event_id, ...rest } = value as Record<string, unknown>;
      return {
        ...rest,
        ...(user_id === undefined ? {} : { userId: user_id }),
        ...(event_id === undefined ? {} : { eventId: event_id }),
      };
    });
    const wellFormed = fc.record({
      userId: fc.oneof(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
      ),
      kind: fc.constantFrom('login', 'logout'),
      meta: fc.record({ browser: fc.string({ maxLength: 10 }), ip: fc.ipV4() }, { requiredKeys: [] }),
    });
    const input = fc.oneof(wellFormed, camel, hostileValue);
    const variables = fc.record(
      { input, inputs: fc.oneof(fc.array(input, { minLength: 1, maxLength: 4 }), hostileValue) },
      { requiredKeys: [] },
    );
    const graphql = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(mutation, variables, async (query, vars) => {
        const before = storedEvents();
        const res = await server.post('/graphql', { query, variables: vars });
        const text = await res.text();
        expect(res.status, text).toBeLessThan(500);
        const body = JSON.parse(text) as { data?: Record<string, { __typename?: string } | null>; errors?: unknown[] };
        const result = body.data === undefined || body.data === null ? undefined : Object.values(body.data)[0];
        const stored = result?.__typename === 'IngestEventPayload' || result?.__typename === 'IngestEventsPayload';
        if (!stored) expect(storedEvents()).toBe(before);
        graphql[stored ? 'accepted' : 'refused'] += 1;
        expect(text).not.toMatch(/at .*\.ts:\d+|SQLITE/);
      }),
      { numRuns: 200 },
    );
    expect(graphql.accepted).toBeGreaterThan(0);
    expect(graphql.refused).toBeGreaterThan(0);
  });

  it('GraphQL: random documents never get a 5xx', async () => {
    const document = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc
        .integer({ min: 1, max: 3000 })
        .map(
          (depth) =>
            `{ ${'user(id: "a") { events { nodes { user { '.repeat(depth % 60)}id${' } } } }'.repeat(depth % 60)} }`,
        ),
      fc
        .integer({ min: 1, max: 400 })
        .map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: overview { users }`).join(' ')} }`),
      fc.constantFrom(
        '{ __schema { types { name } } }',
        'query { overview { users } } query { overview { events } }',
        '{',
      ),
    );
    await fc.assert(
      fc.asyncProperty(document, hostileValue, async (query, variables) => {
        const res = await server.post('/graphql', { query, variables });
        expect(res.status, await res.text()).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });

  it('POST /ingest: meta nested 50,000 deep is a 422 naming meta, and nothing is stored', async () => {
    const before = storedEvents();
    const depth = 50_000;
    const body = `{"user_id":"deep","kind":"login","meta":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const res = await server.post('/ingest', body);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_field', field: 'meta' });
    expect(storedEvents()).toBe(before);
    expect((await server.fetch('/health')).status).toBe(200);
  });

  it('GET /alerts: a before past any row id is a 400 naming before', async () => {
    for (const before of ['99999999999999999999', '1e3', '0x10', '-1']) {
      const res = await server.fetch(`/alerts?before=${before}`);
      expect(res.status, before).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_query', field: 'before' });
    }
  });

  it('leaves Object.prototype untouched and the server up', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect((await server.fetch('/health')).status).toBe(200);
  });
});
