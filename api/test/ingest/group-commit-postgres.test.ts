import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPostgres } from '../../../scripts/test-engines.ts';
import type { NormalizedEvent } from '../../src/domain/event-input.ts';
import { GroupCommit, type GroupCommitOptions } from '../../src/ingest/group-commit.ts';
import { EventWriter, type WriteOutcome } from '../../src/ingest/write.ts';
import { StoreBusyError } from '../../src/storage/errors.ts';
import type { AsyncIngestStore } from '../../src/storage/ports.ts';
import { applyPostgresMigrations } from '../../src/storage/postgres/migrations.ts';
import { PostgresWriteStore } from '../../src/storage/postgres/write-store.ts';
import { loginEvent } from '../support/events.ts';
import { PostgresFixture } from '../support/postgres.ts';
import { waitFor } from '../support/wait.ts';

const postgres = new PostgresFixture();

beforeAll(() => postgres.start(), 600_000);
afterAll(() => postgres.stop());

const freshDatabase = () => postgres.migratedDatabase('group');
const poolOn = (url: string, options: pg.PoolConfig = {}) => postgres.pool(url, options);

const T0 = Date.UTC(2026, 6, 6);
const keyOf = (event: Pick<NormalizedEvent, 'userId' | 'eventId'>) => `${event.userId}/${event.eventId}`;

const event = (userId: string, eventId: string, at = T0): NormalizedEvent => loginEvent(userId, eventId, at);

/** PostgreSQL refuses this event's insert inside the transaction: text cannot hold NUL. */
const refused = (userId: string, eventId: string): NormalizedEvent => ({
  ...event(userId, eventId),
  kind: 'login\u0000',
});

interface NodeSetup {
  commit?: Partial<GroupCommitOptions>;
  /** The database (default: a fresh one on the shared server). */
  url?: string;
  lockTimeoutMs?: number;
  /** Runs as each transaction begins, with its number of events. */
  onBegin?: (events: number) => void;
}

/**
 * An API node: group commit over a PostgreSQL writer whose store records
 * what its transactions did, as they did it.
 */
async function node(setup: NodeSetup = {}) {
  const url = setup.url ?? (await freshDatabase());
  const pool = poolOn(url);
  const store = new PostgresWriteStore(pool, { lockTimeoutMs: setup.lockTimeoutMs ?? 600_000 });
  const seen = {
    /** Each transaction's number of events, in the order they began. */
    batches: [] as number[],
    /** The events of every committed transaction. */
    committed: new Set<string>(),
    inFlight: 0,
    mostInFlight: 0,
  };
  const observed: AsyncIngestStore = {
    transactionAsync: async (batch, work) => {
      seen.batches.push(batch.length);
      seen.inFlight += 1;
      seen.mostInFlight = Math.max(seen.mostInFlight, seen.inFlight);
      setup.onBegin?.(batch.length);
      try {
        const result = await store.transactionAsync(batch, work);
        for (const stored of batch) seen.committed.add(keyOf(stored));
        return result;
      } finally {
        seen.inFlight -= 1;
      }
    },
    failsEveryWrite: (error) => store.failsEveryWrite(error),
    profiles: store.profiles,
  };
  const writer = new EventWriter(observed);
  const heard: WriteOutcome[][] = [];
  const commits = new GroupCommit(writer, {
    maxGroupEvents: 1000,
    ...setup.commit,
    async: true,
    onCommit: (outcomes) => heard.push(outcomes),
  });
  /** Events acknowledged before their transaction committed. */
  const early: string[] = [];
  const write = (events: NormalizedEvent[]) =>
    commits.write(events, T0).then((outcome) => {
      early.push(...events.map(keyOf).filter((key) => !seen.committed.has(key)));
      return outcome;
    });
  // Seen from a connection of its own: one of the pool's could be the one waiting.
  const monitor = poolOn(url, { max: 1 });
  /** Every stored event as [id, user/event_id], by id. */
  const stored = async () =>
    (await monitor.query('SELECT id, "userId", "eventId" FROM "Event" ORDER BY id')).rows.map((row) => [
      row.id,
      keyOf(row),
    ]);
  /** Whether a session has waited for a user's lock for at least `millis`. */
  const waitingForLock = async (millis = 0) =>
    (
      await monitor.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
             AND clock_timestamp() - query_start >= $1 * interval '1 millisecond'`,
        [millis],
      )
    ).rows[0].n === 1;
  return { url, pool, writer, commits, seen, heard, early, write, monitor, stored, waitingForLock };
}

/** What the outcomes acknowledged as stored, as `stored()` lists it. */
const acknowledged = (outcomes: readonly WriteOutcome[]) =>
  outcomes
    .flatMap((outcome) => outcome.stored.map((event) => [event.id, keyOf(event)] as [number, string]))
    .sort(([a], [b]) => a - b);

/** Releases the locks still held when a test ends, so that its writes finish and its pools can end. */
const holders: Array<{ release(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(holders.splice(0).map((holder) => holder.release()));
});

/** Holds the user's lock from another session until `release`; released at the latest when the test ends. */
async function holdUser(url: string, userId: string) {
  const holder = await postgres.holdUser(url, userId);
  holders.push(holder);
  return holder;
}

/** Lets the event loop turn once, so that anything scheduled for this turn has run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit on PostgreSQL', { timeout: 180_000 }, () => {
  it('commits many concurrent writes in one transaction, answering each with its own outcome after the commit', async () => {
    const { commits, seen, heard, early, write, stored } = await node();
    const requests = Array.from({ length: 40 }, (_, n) =>
      n % 3 === 0
        ? [event(`u${n % 7}`, `e${n}`), event(`v${n}`, `e${n}`, T0 + 1)]
        : [event(`u${n % 7}`, `e${n}`, T0 + n)],
    );
    const events = requests.flat().length;
    const outcomes = await Promise.all(requests.map(write));

    expect(seen.batches).toEqual([events]);
    expect(outcomes.map((outcome) => outcome.stored.map(keyOf))).toEqual(requests.map((request) => request.map(keyOf)));
    expect(heard).toEqual([outcomes]);
    expect(heard[0]?.every((outcome, index) => outcome === outcomes[index])).toBe(true);
    expect(early).toEqual([]);
    expect(await stored()).toEqual(acknowledged(outcomes));
    expect(commits.queuedEvents).toBe(0);
  });

  it('queues the writes that arrive while a transaction is in flight and commits them as the next group', async () => {
    // Sizing groups by time is the last tests' subject: out of the way here.
    const { url, pool, commits, seen, heard, early, write, stored, waitingForLock, monitor } = await node({
      commit: { minGroupMillis: 60_000 },
    });
    const holder = await holdUser(url, 'held');
    const first = write([event('held', 'h1')]);
    await waitFor(() => waitingForLock(), 'the first transaction to wait for the held user', 60_000);

    // Over three turns of the loop, while the first transaction waits.
    const later: Array<Promise<WriteOutcome>> = [];
    for (let n = 2; n <= 4; n++) {
      later.push(write([event('held', `h${n}`, T0 + n)]), write([event(`other${n}`, 'o')]));
      await nextTurn();
    }
    expect(seen.batches).toEqual([1]);
    // The events in flight still wait for their commit: admission counts them.
    expect(commits.queuedEvents).toBe(7);
    expect(heard).toEqual([]);
    expect(await stored()).toEqual([]);

    await holder.release();
    const outcomes = [await first, ...(await Promise.all(later))];
    expect(seen.batches).toEqual([1, 6]);
    expect(seen.mostInFlight).toBe(1);
    expect(heard).toEqual([outcomes.slice(0, 1), outcomes.slice(1)]);
    expect(early).toEqual([]);
    const rows = await stored();
    expect(rows).toEqual(acknowledged(outcomes));
    // The node's writes to one user were stored in the order they arrived.
    expect(rows.map(([, key]) => key).filter((key) => String(key).startsWith('held/'))).toEqual([
      'held/h1',
      'held/h2',
      'held/h3',
      'held/h4',
    ]);
    const user = await monitor.query('SELECT "eventCount" FROM "User" WHERE id = $1', ['held']);
    expect(user.rows).toEqual([{ eventCount: 4 }]);
    expect(commits.queuedEvents).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('fails only the request with an event PostgreSQL refuses; the others of its group are stored', async () => {
    const { pool, writer, commits, seen, heard, early, write, stored } = await node();
    const requests = [
      [event('good1', 'a')],
      [event('shared', 'ok'), refused('shared', 'bad')],
      [event('shared', 'b', T0 + 1)],
      [event('good2', 'c'), event('good3', 'd')],
      [event('good4', 'e')],
    ];
    const results = await Promise.allSettled(requests.map(write));

    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    const error = (results[1] as PromiseRejectedResult).reason;
    expect((error as { code?: string }).code).toBe('22021');
    expect(writer.failsEveryWrite(error)).toBe(false);
    // The group, then each request in a transaction of its own, one after another.
    expect(seen.batches).toEqual([7, 1, 2, 1, 2, 1]);
    expect(seen.mostInFlight).toBe(1);
    const outcomes = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(outcomes.map((outcome) => outcome.stored.map(keyOf))).toEqual([
      ['good1/a'],
      ['shared/b'],
      ['good2/c', 'good3/d'],
      ['good4/e'],
    ]);
    expect(heard).toEqual([outcomes]);
    expect(early).toEqual([]);
    expect(await stored()).toEqual(acknowledged(outcomes));
    expect(commits.queuedEvents).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('rejects the whole group without retries when the database is unreachable, and goes on with the next', async () => {
    const down = await startPostgres();
    try {
      const url = await down.createDatabase('down');
      const migrations = poolOn(url);
      await applyPostgresMigrations(migrations);
      const { pool, writer, commits, seen, heard, early, write, stored, monitor } = await node({ url });
      const before = await write([event('first', 'a')]);
      expect(await stored()).toEqual(acknowledged([before]));
      // The pools' idle sessions end with the server, which each pool reports as an error: expected here.
      for (const each of [migrations, pool, monitor]) each.on('error', () => {});
      await down.stop();
      await waitFor(
        () => [migrations, pool, monitor].every((each) => each.totalCount === 0),
        'the idle sessions to end',
        60_000,
      );

      const group = [[event('a', '1')], [event('b', '2')], [event('c', '3'), event('d', '4')]];
      const results = Promise.allSettled(group.map(write));
      await nextTurn();
      expect(seen.inFlight).toBe(1);
      const next = write([event('next', '5')]).catch((error: unknown) => error);
      const settled = await results;
      expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
      const [error, ...others] = settled.map((result) => (result as PromiseRejectedResult).reason);
      expect((error as { code?: string }).code).toBe('ECONNREFUSED');
      expect(writer.failsEveryWrite(error)).toBe(true);
      for (const other of others) expect(other).toBe(error);
      expect((await next) as { code?: string }).toMatchObject({ code: 'ECONNREFUSED' });
      // The first write, the group (no transaction of its own for any of its requests), then the next.
      expect(seen.batches).toEqual([1, 4, 1]);
      expect(seen.mostInFlight).toBe(1);
      expect(heard).toEqual([[before]]);
      expect(early).toEqual([]);
      expect(commits.queuedEvents).toBe(0);
    } finally {
      await down.stop();
    }
  });

  it('rejects the whole group without retries when a user stays locked past the lock timeout', async () => {
    const { url, writer, commits, seen, heard, early, write, stored } = await node({ lockTimeoutMs: 50 });
    await holdUser(url, 'held');
    const group = [[event('held', 'a')], [event('free1', 'b')], [event('free2', 'c'), event('free3', 'd')]];
    const results = Promise.allSettled(group.map(write));
    await nextTurn();
    expect(seen.inFlight).toBe(1);
    const next = write([event('next', 'e')]);
    const settled = await results;
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const [error, ...others] = settled.map((result) => (result as PromiseRejectedResult).reason);
    expect(error).toBeInstanceOf(StoreBusyError);
    expect(writer.failsEveryWrite(error)).toBe(true);
    for (const other of others) expect(other).toBe(error);
    const outcome = await next;
    expect(seen.batches).toEqual([4, 1]);
    expect(heard).toEqual([[outcome]]);
    expect(early).toEqual([]);
    expect(await stored()).toEqual(acknowledged([outcome]));
    expect(commits.queuedEvents).toBe(0);
  });

  it('sizes groups so that a transaction takes up to five times minGroupMillis, however little the loop did between', async () => {
    const clock = { now: 0 };
    // Each transaction takes 1 ms per event on this clock.
    const { commits, seen, write, stored } = await node({
      commit: { minGroupMillis: 10, now: () => clock.now },
      onBegin: (events) => {
        clock.now += events;
      },
    });
    await Promise.all(Array.from({ length: 10 }, (_, n) => write([event(`warm${n}`, 'w')])));
    const outcomes = await Promise.all(Array.from({ length: 120 }, (_, n) => write([event(`u${n}`, 'e')])));
    // A synchronous commit with no time spent elsewhere would get 10 events.
    expect(seen.batches).toEqual([10, 50, 50, 20]);
    expect(outcomes.map((outcome) => outcome.stored.map(keyOf))).toEqual(
      Array.from({ length: 120 }, (_, n) => [`u${n}/e`]),
    );
    expect((await stored()).length).toBe(130);
    expect(commits.queuedEvents).toBe(0);
  });

  it('times a transaction by the event loop time it takes, not by its waits on the database', async () => {
    // The loop's busy time, as Node reports it, goes 1 ms per event of each transaction begun.
    let busy = 0;
    const loop = vi
      .spyOn(performance, 'eventLoopUtilization')
      .mockImplementation(() => ({ idle: 0, active: busy, utilization: 0 }));
    try {
      const { url, seen, write, stored, waitingForLock } = await node({
        onBegin: (events) => {
          busy += events;
        },
      });
      const holder = await holdUser(url, 'held');
      const first = Promise.all(Array.from({ length: 10 }, (_, n) => write([event(n === 0 ? 'held' : `f${n}`, 'a')])));
      // 10 events waiting 200 ms: 20 ms per event by the wall clock, which would allow 5 events a group.
      await waitFor(() => waitingForLock(200), 'the first group to wait 200 ms for the held user', 60_000);
      const later = Promise.all(Array.from({ length: 120 }, (_, n) => write([event(`u${n}`, 'e')])));
      await holder.release();
      await first;
      await later;
      expect(seen.batches).toEqual([10, 100, 20]);
      expect((await stored()).length).toBe(130);
    } finally {
      loop.mockRestore();
    }
  });
});
