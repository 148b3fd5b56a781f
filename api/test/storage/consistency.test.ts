import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLegacyEvent } from '../../src/domain/event-input.ts';
import { EventWriter } from '../../src/ingest/write.ts';
import { aggregateDifferences, recomputeAggregates } from '../../src/storage/consistency.ts';
import { openMigratedDatabase } from '../../src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function filledDatabase(name: string) {
  const db = openMigratedDatabase(join(tmp.dir, name));
  const store = new EventWriter(new SqliteWriteStore(db));
  const events = [
    {
      user_id: 'a',
      kind: 'login',
      timestamp: 1000,
      meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' },
    },
    {
      user_id: 'a',
      kind: 'login',
      timestamp: 3000,
      meta: { browser: 'safari', os: 'ios', ip: '98.76.54.32', device: 'phone' },
    },
    // Late: older than the one before it.
    {
      user_id: 'a',
      kind: 'login',
      timestamp: 2000,
      meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.9', device: 'laptop' },
    },
    { user_id: 'b', kind: 'login', timestamp: 1500, meta: { browser: 'firefox' } },
  ].map((event) => {
    const parsed = parseLegacyEvent(event);
    if (!parsed.ok) throw new Error('bad fixture');
    return parsed.value;
  });
  store.write(events.slice(0, 2), 5000);
  store.write(events.slice(2), 6000);
  return db;
}

describe('recomputing aggregates from the events', () => {
  it('agrees with what ingest stored, late events included', () => {
    const db = filledDatabase('agree.db');
    expect(aggregateDifferences(db)).toEqual([]);
    const a = recomputeAggregates(db, ['a']).get('a');
    expect(a?.aggregate).toMatchObject({ eventCount: 3, firstSeen: 1000, lastSeen: 3000, driftScore: 45 });
    expect(a?.tokens.get('browser\tchrome')).toEqual({ count: 2, firstSeen: 1000, lastSeen: 2000 });
    db.close();
  });

  it('names every stored aggregate that the events do not support', () => {
    const db = filledDatabase('broken.db');
    db.prepare(`UPDATE "User" SET eventCount = eventCount + 1 WHERE id = 'b'`).run();
    db.prepare(
      `UPDATE "UserToken" SET count = 7 WHERE userId = 'a' AND dimension = 'browser' AND value = 'chrome'`,
    ).run();
    db.prepare(`INSERT INTO "UserToken" VALUES ('b', 'os', 'beos', 1, 0, 0)`).run();
    const differences = aggregateDifferences(db);
    expect(differences).toHaveLength(4);
    expect(differences[0]).toMatch(/^user b: stored/);
    expect(differences.join('\n')).toMatch(/token a browser=chrome: stored 7 .* but events give 2/);
    expect(differences.join('\n')).toMatch(/token b os=beos: stored 1 .* but events give none/);
    expect(differences.at(-1)).toMatch(/token rows: \d+ stored but events give \d+/);
    db.close();
  });
});
