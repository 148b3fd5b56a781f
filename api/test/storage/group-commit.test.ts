import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, type NormalizedEvent } from '../../src/domain/event-input.ts';
import { IngestOverloadedError } from '../../src/ingest/admit.ts';
import { GroupCommit } from '../../src/ingest/group-commit.ts';
import { IngestPipeline } from '../../src/ingest/pipeline.ts';
import { EventWriter, type WriteRequest } from '../../src/ingest/write.ts';
import { createLogger } from '../../src/logger.ts';
import { startCheckpointer } from '../../src/storage/checkpointer.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';

let tmp: ReturnType<typeof tempDir>;
let db: SqliteDatabase;
let writer: EventWriter;
let file: string;

beforeEach(() => {
  tmp = tempDir();
  file = join(tmp.dir, 'group.db');
  db = openMigratedDatabase(file);
  writer = new EventWriter(new SqliteWriteStore(db));
});

afterEach(() => {
  db.close();
  tmp.cleanup();
});

const event = (userId: string, eventId: string | null = null): NormalizedEvent => ({
  userId,
  kind: 'login',
  eventId,
  timestamp: 1_700_000_000_000,
  ip: null,
  tokens: { browser: 'chrome', os: 'linux', device: 'laptop', ipClass: null },
  meta: {},
  context: EMPTY_CONTEXT,
});

/** A real writer that also records the size of each group it commits. */
function countingWriter(groups: number[]): EventWriter {
  return new Proxy(writer, {
    get(target, key) {
      if (key === 'writeGroup')
        return (requests: WriteRequest[]) => {
          groups.push(requests.length);
          return target.writeGroup(requests);
        };
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** What a second connection sees: committed rows only. */
function committedEvents(): number {
  const reader = new Database(file, { readonly: true });
  try {
    return (reader.prepare('SELECT count(*) AS n FROM "Event"').get() as { n: number }).n;
  } finally {
    reader.close();
  }
}

describe('GroupCommit', () => {
  it('commits the writes of one turn of the event loop in one transaction, answering each after the commit', async () => {
    const groups: number[] = [];
    const commits = new GroupCommit(countingWriter(groups), { maxGroupEvents: 1000 });
    const writes = ['a', 'b', 'c'].map((user) => commits.write([event(user)], Date.now()));
    expect(commits.queuedEvents).toBe(3);
    expect(committedEvents()).toBe(0);
    const outcomes = await Promise.all(writes);
    expect(groups).toEqual([3]);
    expect(outcomes.map((o) => o.stored[0]?.userId)).toEqual(['a', 'b', 'c']);
    expect(committedEvents()).toBe(3);
    expect(commits.queuedEvents).toBe(0);
  });

  it('splits a large backlog into transactions of at most maxGroupEvents', async () => {
    const groups: number[] = [];
    const commits = new GroupCommit(countingWriter(groups), { maxGroupEvents: 4 });
    await Promise.all(Array.from({ length: 5 }, (_, n) => commits.write([event(`u${n}`), event(`u${n}`)], Date.now())));
    expect(groups).toEqual([2, 2, 1]);
    expect(committedEvents()).toBe(10);
  });

  describe('keeping turns of the event loop short', () => {
    /** A real writer on a fake clock where each committed event costs 1 ms, and the groups it commits. */
    function slowWriter() {
      const clock = { now: 0 };
      const groups: number[] = [];
      const slow = new Proxy(writer, {
        get(target, key) {
          if (key === 'writeGroup')
            return (requests: WriteRequest[]) => {
              groups.push(requests.reduce((sum, r) => sum + r.events.length, 0));
              clock.now += requests.reduce((sum, r) => sum + r.events.length, 0);
              return target.writeGroup(requests);
            };
          const value = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      return { slow, clock, groups };
    }
    const writes = (commits: GroupCommit, count: number) =>
      Promise.all(Array.from({ length: count }, (_, n) => commits.write([event(`u${n}`)], Date.now())));

    it('sizes groups from the measured cost per event so one commit holds the loop about minGroupMillis', async () => {
      const { slow, clock, groups } = slowWriter();
      const commits = new GroupCommit(slow, { maxGroupEvents: 1000, minGroupMillis: 20, now: () => clock.now });
      await writes(commits, 10); // nothing measured yet: one group
      await writes(commits, 50);
      expect(groups).toEqual([10, 20, 20, 10]);
      expect(committedEvents()).toBe(60);
    });

    it('lets a commit take as long as the loop spent elsewhere, up to five times the least', async () => {
      const { slow, clock, groups } = slowWriter();
      const commits = new GroupCommit(slow, { maxGroupEvents: 1000, minGroupMillis: 10, now: () => clock.now });
      await writes(commits, 1);
      clock.now += 30; // reading requests, serving reads…
      await writes(commits, 100);
      clock.now += 1000; // idle
      await writes(commits, 100);
      expect(groups).toEqual([1, 30, 10, 10, 10, 10, 10, 10, 10, 50, 10, 10, 10, 10, 10]);
    });

    it('never splits a request: a batch larger than the budget is one group of its own', async () => {
      const { slow, clock, groups } = slowWriter();
      const commits = new GroupCommit(slow, { maxGroupEvents: 1000, minGroupMillis: 5, now: () => clock.now });
      await writes(commits, 1);
      const batch = Array.from({ length: 40 }, (_, n) => event(`b${n}`));
      await Promise.all([commits.write(batch, Date.now()), commits.write([event('after')], Date.now())]);
      expect(groups).toEqual([1, 40, 1]);
    });
  });

  it('fails only the request at fault when one member of a group cannot be stored', async () => {
    const commits = new GroupCommit(writer, { maxGroupEvents: 1000 });
    // A null kind breaks SQLite's NOT NULL constraint mid-group.
    const bad = { ...event('bad'), kind: null } as unknown as NormalizedEvent;
    const results = await Promise.allSettled([
      commits.write([event('good-1')], Date.now()),
      commits.write([event('bad-batch'), bad], Date.now()),
      commits.write([event('good-2')], Date.now()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const users = db.prepare('SELECT DISTINCT userId FROM "Event" ORDER BY userId').pluck().all();
    expect(users).toEqual(['good-1', 'good-2']);
    expect(db.inTransaction).toBe(false);
  });
});

describe('IngestPipeline admission', () => {
  it('refuses a write when the queue is full, storing nothing of it, and admits again once it drains', async () => {
    const ingest = new IngestPipeline({ async: false, writer }, { maxGroupEvents: 1000, maxQueuedEvents: 2 });
    const first = ingest.ingest([event('a'), event('a')]);
    await expect(ingest.ingest([event('b')])).rejects.toBeInstanceOf(IngestOverloadedError);
    await first;
    expect(db.prepare('SELECT DISTINCT userId FROM "Event"').pluck().all()).toEqual(['a']);
    await expect(ingest.ingest([event('b')])).resolves.toMatchObject({ stored: [{ userId: 'b' }] });
  });

  it('always admits a write into an empty queue, even one larger than the limit', async () => {
    const ingest = new IngestPipeline({ async: false, writer }, { maxGroupEvents: 1000, maxQueuedEvents: 2 });
    const outcome = await ingest.ingest([event('a'), event('a'), event('a')]);
    expect(outcome.stored).toHaveLength(3);
  });

  it('keeps the write and the other listeners when a listener throws', async () => {
    const failures: unknown[] = [];
    const ingest = new IngestPipeline({ async: false, writer }, undefined, {
      onListenerError: (error) => failures.push(error),
    });
    const heard: string[] = [];
    ingest.onIngested(() => {
      throw new Error('listener bug');
    });
    ingest.onIngested((outcome) => heard.push(...outcome.stored.map((e) => e.userId)));
    await expect(ingest.ingest([event('a')])).resolves.toMatchObject({ stored: [{ userId: 'a' }] });
    expect(heard).toEqual(['a']);
    expect(failures).toHaveLength(1);
  });

  it('tells listeners about committed writes only', async () => {
    const ingest = new IngestPipeline({ async: false, writer });
    const heard: string[] = [];
    ingest.onIngested((outcome) => heard.push(...outcome.stored.map((e) => e.userId)));
    await ingest.ingest([event('a', 'e1')]);
    await ingest.ingest([event('a', 'e1')]); // a duplicate stores nothing
    expect(heard).toEqual(['a']);
  });
});

describe('checkpointer', () => {
  it('takes checkpoints off the writer while it runs and hands them back when it stops', async () => {
    const checkpointer = startCheckpointer(db, createLogger('silent'), { intervalMs: 20 });
    await expect.poll(() => db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(file).size;
    for (let n = 0; n < 200; n += 1) writer.write([event(`u${n}`)], Date.now());
    // The writer no longer checkpoints, so only the worker can move the new
    // pages from the WAL into the database file.
    await expect.poll(() => statSync(file).size, { timeout: 5000 }).toBeGreaterThan(before);
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(committedEvents()).toBe(200);
  });
});
