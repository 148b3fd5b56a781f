import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type NormalizedEvent, parseLegacyEvent } from '../../src/domain/event-input.ts';
import { NO_GEO } from '../../src/domain/risk/observe.ts';
import { EventWriter } from '../../src/ingest/write.ts';
import { EventPurger } from '../../src/storage/event-purge.ts';
import type { StoredEvent } from '../../src/storage/ports.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';
import { pick, seededRandom } from '../support/random.ts';
import { replayedProfiles, storedProfiles } from '../support/risk-profiles.ts';

let tmp: ReturnType<typeof tempDir>;
const open: SqliteDatabase[] = [];

beforeEach(() => {
  tmp = tempDir();
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const db of open.splice(0)) if (db.open) db.close();
  tmp.cleanup();
});

function openStore(
  name: string,
  capacity = 1000,
): { db: SqliteDatabase; store: SqliteWriteStore; writer: EventWriter } {
  const db = openMigratedDatabase(join(tmp.dir, name));
  open.push(db);
  const store = new SqliteWriteStore(db, { capacity });
  return { db, store, writer: new EventWriter(store) };
}

const T0 = Date.UTC(2026, 0, 5, 9);

/**
 * Logins that exercise every part of the profile: habits and strays, user
 * agents, producer-sent places and ASNs, failures before successes, and
 * events arriving out of order.
 */
function events(seed: number, count: number, users = 12): NormalizedEvent[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const user = Math.floor(random() * users);
    const stray = random() < 0.2;
    const meta: Record<string, unknown> = {
      ip: stray ? `${100 + Math.floor(random() * 50)}.7.${user}.9` : `81.2.${user}.${1 + (user % 200)}`,
      browser: stray ? pick(random, ['firefox', 'safari']) : 'chrome',
      os: pick(random, ['windows', 'windows', 'macos']),
      device: stray ? 'phone' : 'laptop',
      country: stray ? pick(random, ['US', 'BR']) : 'DE',
      asn: stray ? 64500 : 3320,
      lat: stray ? 40.7 : 52.5,
      lon: stray ? -74 : 13.4,
    };
    if (random() < 0.15) meta.success = false;
    if (random() < 0.1)
      meta.user_agent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Version/17.4 Safari/604.1';
    const late = random() < 0.1 ? -Math.floor(random() * 3_600_000) : 0;
    const parsed = parseLegacyEvent({
      user_id: `user-${user}`,
      kind: 'login',
      timestamp: T0 + index * 97_000 + late,
      meta,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.value;
  });
}

function writeAll(writer: EventWriter, batch: NormalizedEvent[], size = 7): StoredEvent[] {
  const stored: StoredEvent[] = [];
  for (let at = 0; at < batch.length; at += size) {
    stored.push(...writer.write(batch.slice(at, at + size), T0).stored);
  }
  return stored;
}

function usersOf(db: SqliteDatabase): string[] {
  return db.prepare('SELECT id FROM "User" ORDER BY id').pluck().all() as string[];
}

function checkpoint(db: SqliteDatabase): number {
  return db.prepare('SELECT throughEventId FROM "RiskProfileCheckpoint" WHERE id = 1').pluck().get() as number;
}

const scores = (stored: StoredEvent[]) => stored.map(({ risk, signals }) => ({ risk, signals }));

describe('RiskProfileStore', () => {
  it('holds changed profiles in memory, then writes them back with the checkpoint', () => {
    const { db, store, writer } = openStore('held.db');
    writeAll(writer, events(1, 60));
    const users = usersOf(db).length;
    expect(users).toBeGreaterThan(5);
    expect(storedProfiles(db).size).toBe(0);
    expect(store.profiles.unwritten).toBe(users);

    expect(store.profiles.writeBack()).toBe(users);
    expect(store.profiles.unwritten).toBe(0);
    expect(checkpoint(db)).toBe(db.prepare('SELECT max(id) FROM "Event"').pluck().get());
    // What was written is what the stored events give.
    expect(storedProfiles(db)).toEqual(replayedProfiles(db));
    // Nothing changed since: nothing to write.
    expect(store.profiles.writeBack()).toBe(0);
  });

  it('after a crash, replays the events after the checkpoint: the profiles and the next scores are what they would have been', () => {
    const first = events(2, 150);
    const next = events(3, 60);

    const steady = openStore('steady.db');
    writeAll(steady.writer, first);
    const expected = scores(writeAll(steady.writer, next));

    const crashed = openStore('crashed.db');
    writeAll(crashed.writer, first.slice(0, 80));
    crashed.store.profiles.writeBack();
    writeAll(crashed.writer, first.slice(80));
    // The process dies: whatever changed after the write-back never reaches storage.
    const unwritten = crashed.store.profiles.unwritten;
    expect(unwritten).toBeGreaterThan(0);
    crashed.db.close();

    const restarted = openStore('crashed.db');
    expect(restarted.store.profiles.recover(NO_GEO)).toEqual({ replayed: 70, skipped: 0 });
    expect(storedProfiles(restarted.db)).toEqual(replayedProfiles(restarted.db));
    expect(scores(writeAll(restarted.writer, next))).toEqual(expected);
    // Recovery belongs before the first write, where nothing is held yet.
    expect(() => restarted.store.profiles.recover(NO_GEO)).toThrow(/before any write/);
    // A clean stop writes everything back: the next start has nothing to replay.
    restarted.store.profiles.writeBack();
    restarted.db.close();
    expect(openStore('crashed.db').store.profiles.recover(NO_GEO)).toEqual({ replayed: 0, skipped: 0 });
  });

  it('writes back on its own at capacity, holding at most that many profiles', () => {
    const { db, store, writer } = openStore('capacity.db', 10);
    const stored = writeAll(writer, events(4, 200, 40));
    expect(stored).toHaveLength(200);
    expect(storedProfiles(db).size).toBeGreaterThan(10);
    expect(store.profiles.unwritten).toBeLessThan(10);
    store.profiles.writeBack();
    expect(storedProfiles(db)).toEqual(replayedProfiles(db));
  });

  it('never fails a committed write when the write-back at capacity fails; it tries again later', () => {
    const db = openMigratedDatabase(join(tmp.dir, 'failing.db'));
    open.push(db);
    const failures: unknown[] = [];
    const store = new SqliteWriteStore(db, { capacity: 5, onWriteBackError: (error) => failures.push(error) });
    const writer = new EventWriter(store);
    db.exec(`CREATE TEMP TRIGGER full BEFORE INSERT ON "UserRiskProfile"
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    let now = T0;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const batch = events(9, 60, 20);
    expect(writeAll(writer, batch.slice(0, 40), 1)).toHaveLength(40);
    // One attempt, then none within the retry delay: the writes go on, the profiles stay held.
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toMatch(/full/);
    expect(store.profiles.unwritten).toBeGreaterThan(5);
    // A second later the next write at capacity tries again.
    now += 1000;
    writeAll(writer, batch.slice(40, 41), 1);
    expect(failures).toHaveLength(2);
    db.exec('DROP TRIGGER full');
    now += 1000;
    writeAll(writer, batch.slice(41), 1);
    expect(failures).toHaveLength(2);
    expect(storedProfiles(db).size).toBeGreaterThan(0);
    store.profiles.writeBack();
    expect(store.profiles.unwritten).toBe(0);
    expect(storedProfiles(db)).toEqual(replayedProfiles(db));
  });

  it('counts stored events that no longer parse as skipped when it recovers', () => {
    const { db, writer } = openStore('skipped.db');
    writeAll(writer, events(10, 10, 2));
    db.prepare(`UPDATE "Event" SET meta = '{"ip":42}' WHERE id = 3`).run();
    db.close();
    const restarted = openStore('skipped.db');
    expect(restarted.store.profiles.recover(NO_GEO)).toEqual({ replayed: 9, skipped: 1 });
    expect(checkpoint(restarted.db)).toBe(10);
    expect(storedProfiles(restarted.db)).toEqual(replayedProfiles(restarted.db));
  });

  it('replays a page at a time, so a recovery that dies part way resumes where its last page ended', () => {
    const { db, writer } = openStore('paged.db');
    writeAll(writer, events(11, 2_500, 30), 100);
    db.close();

    const failing = openStore('paged.db');
    failing.db.exec(`CREATE TEMP TRIGGER crash BEFORE UPDATE ON "RiskProfileCheckpoint" WHEN NEW.throughEventId > 1000
                     BEGIN SELECT RAISE(ABORT, 'killed'); END`);
    expect(() => failing.store.profiles.recover(NO_GEO)).toThrow(/killed/);
    // The first page's profiles and checkpoint were committed together.
    expect(checkpoint(failing.db)).toBe(1000);
    failing.db.close();

    const restarted = openStore('paged.db');
    expect(restarted.store.profiles.recover(NO_GEO)).toEqual({ replayed: 1_500, skipped: 0 });
    expect(checkpoint(restarted.db)).toBe(2_500);
    expect(storedProfiles(restarted.db)).toEqual(replayedProfiles(restarted.db));
  });

  it('rebuilds every profile from the events when the checkpoint row is missing', () => {
    const { db, store, writer } = openStore('no-checkpoint.db');
    writeAll(writer, events(12, 50));
    store.profiles.writeBack();
    db.prepare('DELETE FROM "RiskProfileCheckpoint"').run();
    db.close();
    const restarted = openStore('no-checkpoint.db');
    // Replaying onto the stored profiles would count every event twice.
    expect(restarted.store.profiles.recover(NO_GEO)).toEqual({ replayed: 50, skipped: 0 });
    expect(storedProfiles(restarted.db)).toEqual(replayedProfiles(restarted.db));
  });

  it('scores a user seen twice in one group against the first event', () => {
    const [a, b] = events(5, 2, 1) as [NormalizedEvent, NormalizedEvent];
    const apart = openStore('apart.db');
    const expected = scores([...apart.writer.write([a], T0).stored, ...apart.writer.write([b], T0).stored]);
    const grouped = openStore('grouped.db');
    const outcomes = grouped.writer.writeGroup([
      { events: [a], receivedAt: T0 },
      { events: [b], receivedAt: T0 },
    ]);
    expect(scores(outcomes.flatMap((outcome) => outcome.stored))).toEqual(expected);
    grouped.store.profiles.writeBack();
    expect(storedProfiles(grouped.db).get(a.userId)?.events).toBe(2);
  });

  it('keeps the held profile as it was when a write rolls back', () => {
    const { db, store, writer } = openStore('rollback.db');
    const [first, second] = events(6, 2, 1) as [NormalizedEvent, NormalizedEvent];
    writer.write([first], T0);
    db.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON "Event" WHEN NEW.kind = 'boom'
             BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    expect(() =>
      writer.writeGroup([
        { events: [second], receivedAt: T0 },
        { events: [{ ...second, kind: 'boom' }], receivedAt: T0 },
      ]),
    ).toThrow(/refused/);
    store.profiles.writeBack();
    const [profile] = storedProfiles(db).values();
    expect(profile?.events).toBe(1);
    expect(storedProfiles(db)).toEqual(replayedProfiles(db));
  });

  it('forgets a deleted user, who starts again from nothing', () => {
    const { db, store, writer } = openStore('deleted.db');
    const batch = events(7, 20, 1);
    writeAll(writer, batch);
    expect(store.deleteUser('user-0', () => {})).toEqual({ events: 20 });
    writer.forgetUser('user-0');
    expect(store.profiles.unwritten).toBe(0);
    writer.write(batch.slice(0, 1), T0);
    store.profiles.writeBack();
    expect(storedProfiles(db).get('user-0')?.events).toBe(1);
  });

  it('does not replay purged-and-rebuilt profiles a second time after a crash', () => {
    const { db, store, writer } = openStore('purged.db');
    const batch = events(8, 120);
    writeAll(writer, batch.slice(0, 100));
    const purger = new EventPurger(db, store.profiles, NO_GEO);
    const outcome = purger.purgeBatch(T0 + 50 * 97_000, 5);
    expect(outcome.users.length).toBeGreaterThan(0);
    // Events after the purge are held only in memory; then the process dies.
    writeAll(writer, batch.slice(100));
    expect(store.profiles.unwritten).toBeGreaterThan(0);
    db.close();

    const restarted = openStore('purged.db');
    expect(restarted.store.profiles.recover(NO_GEO)).toEqual({ replayed: 20, skipped: 0 });
    expect(storedProfiles(restarted.db)).toEqual(replayedProfiles(restarted.db));
  });
});

// The attack window is fed by the same writer; its clock guard lives in the write step (ingest/assess.ts).
describe('EventWriter attack context', () => {
  it('does not let one far-future timestamp hide the accounts an IP touches', () => {
    const { writer } = openStore('future.db');
    const login = (user: string, timestamp: number) => {
      const parsed = parseLegacyEvent({
        user_id: user,
        kind: 'login',
        timestamp,
        meta: { ip: '81.2.69.50', browser: 'chrome', device: 'laptop', success: false },
      });
      if (!parsed.ok) throw new Error('invalid');
      return writer.write([parsed.value], T0).stored[0] as StoredEvent;
    };
    login('skewed', Date.UTC(2100, 0, 1));
    const signals = Array.from({ length: 6 }, (_, index) => login(`victim-${index}`, T0 + index * 1000).signals);
    expect(signals.at(-1)?.map((signal) => signal.name)).toContain('credential_stuffing');
  });
});
