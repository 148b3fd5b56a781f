import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, emptyAggregate, type UserAggregate } from '../../src/domain/aggregate.ts';
import { EMPTY_CONTEXT, type NormalizedEvent } from '../../src/domain/event-input.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from '../../src/domain/tokens.ts';
import { EventWriter } from '../../src/ingest/write.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { fromUserRow, type UserRow } from '../../src/storage/user-row.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';
import { pick, seededRandom } from '../support/random.ts';

const tmp = tempDir();
let db: SqliteDatabase;
let store: EventWriter;

beforeAll(() => {
  db = openMigratedDatabase(join(tmp.dir, 'store.db'));
  store = new EventWriter(new SqliteWriteStore(db));
});

afterAll(() => {
  db.close();
  tmp.cleanup();
});

function randomEvent(random: () => number): NormalizedEvent {
  const maybe = (values: string[]) => (random() < 0.15 ? null : pick(random, values));
  return {
    userId: pick(random, ['u1', 'u2', 'u3', 'u4']),
    kind: pick(random, ['login', 'logout']),
    eventId: random() < 0.3 ? `e${Math.floor(random() * 40)}` : null,
    // Out of order on purpose, with ties.
    timestamp: 1_700_000_000_000 + Math.floor(random() * 50) * 1000,
    ip: null,
    tokens: {
      browser: maybe(['chrome', 'firefox', 'safari']),
      os: maybe(['windows', 'macos']),
      device: maybe(['laptop', 'phone', 'tablet']),
      ipClass: maybe(['1.2.3.0/24', '4.5.6.0/24', '2001:db8::/48']),
    },
    meta: {},
    context: EMPTY_CONTEXT,
  };
}

/** Recomputes every user's aggregate from the stored events, in arrival order. */
function recompute(): Map<string, UserAggregate> {
  const rows = db.prepare('SELECT * FROM "Event" ORDER BY id').all() as Array<
    { id: number; userId: string; timestamp: number } & TokenSet
  >;
  const users = new Map<string, UserAggregate>();
  const counts = new Map<string, number>();
  for (const row of rows) {
    const tokens: TokenSet = { browser: row.browser, os: row.os, device: row.device, ipClass: row.ipClass };
    const valueCounts: Partial<Record<Dimension, number>> = {};
    for (const dimension of DIMENSIONS) {
      const value = tokens[dimension];
      if (value === null) continue;
      const key = `${row.userId}\u0000${dimension}\u0000${value}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      valueCounts[dimension] = counts.get(key);
    }
    const before = users.get(row.userId) ?? emptyAggregate(row.userId, row.timestamp);
    users.set(row.userId, applyEvent(before, { id: row.id, at: row.timestamp, tokens, valueCounts }));
  }
  return users;
}

describe('EventWriter on the SQLite write store', () => {
  it('keeps aggregates equal to a recomputation from the stored events', () => {
    const random = seededRandom(42);
    let duplicates = 0;
    for (let batch = 0; batch < 60; batch++) {
      const events = Array.from({ length: 1 + Math.floor(random() * 8) }, () => randomEvent(random));
      duplicates += store.write(events, 1_800_000_000_000).duplicates;
    }
    expect(duplicates).toBeGreaterThan(0);

    const expected = recompute();
    const stored = db.prepare('SELECT * FROM "User" ORDER BY id').all() as UserRow[];
    expect(stored.map((row) => row.id)).toEqual([...expected.keys()].sort());
    for (const row of stored) {
      const want = expected.get(row.id) as UserAggregate;
      const got = fromUserRow(row);
      // Only the device of the previous event is persisted.
      const previous = want.previous && {
        ...want.previous,
        tokens: { browser: null, os: null, device: want.previous.tokens.device, ipClass: null },
      };
      expect(got).toEqual({ ...want, previous });
    }
  });

  it('rolls a failing write back whole', () => {
    const before = db.prepare('SELECT count(*) AS n FROM "Event"').get() as { n: number };
    const good: NormalizedEvent = randomEvent(seededRandom(7));
    // A kind of the wrong type makes SQLite's NOT NULL constraint fail mid-batch.
    const bad = { ...good, kind: null } as unknown as NormalizedEvent;
    expect(() => store.write([good, good, bad], Date.now())).toThrow();
    expect(db.prepare('SELECT count(*) AS n FROM "Event"').get()).toEqual(before);
    expect(db.inTransaction).toBe(false);
  });
});
