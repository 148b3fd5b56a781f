import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NormalizedEvent, parseLegacyEvent } from '../../src/domain/event-input.ts';
import { EventWriter } from '../../src/ingest/write.ts';
import { CursorExpired, type RankedPageRequest, type UserRanking, UserReads } from '../../src/reads/users.ts';
import { PostgresEventPurger } from '../../src/storage/postgres/event-purge.ts';
import { PostgresRankWalks } from '../../src/storage/postgres/rank-walks.ts';
import { PostgresTriageStore } from '../../src/storage/postgres/triage-store.ts';
import { PostgresWriteStore } from '../../src/storage/postgres/write-store.ts';
import { createPostgresPrismaClient, type PrismaClient } from '../../src/storage/prisma.ts';
import { MAX_ENTRIES } from '../../src/storage/rank-history.ts';
import { loginEvent } from '../support/events.ts';
import { lockWaiters, PostgresFixture } from '../support/postgres.ts';
import { waitFor } from '../support/wait.ts';

// Walks through the ranked users on PostgreSQL, with two nodes' stores on one
// database: a walk begun on one node and paged on either sees every user who
// existed at its first page exactly once, whichever node's commits (ingest,
// triage, retention's purge) moved them meanwhile.

const postgres = new PostgresFixture();
const prismaClients: PrismaClient[] = [];
const DAY = 86_400_000;
const AT = 1_780_000_000_000;

/** One API node's stores on its own pool. */
interface Node {
  pool: pg.Pool;
  walks: PostgresRankWalks;
  reads: UserReads;
  writer: EventWriter<PostgresWriteStore>;
}

async function node(url: string, alertThreshold?: number): Promise<Node> {
  const pool = postgres.pool(url, { max: 3 });
  const prisma = await createPostgresPrismaClient(pool);
  prismaClients.push(prisma);
  const walks = new PostgresRankWalks(pool);
  const writer = new EventWriter(new PostgresWriteStore(pool), { alertThreshold });
  return { pool, walks, reads: new UserReads(prisma, walks), writer };
}

let sequence = 0;
/** `count` logins of the user, a minute apart from `from`, on `browser`. */
function logins(userId: string, count: number, from: number, browser = 'chrome'): NormalizedEvent[] {
  return Array.from({ length: count }, (_, n) => {
    sequence += 1;
    return loginEvent(userId, `e${sequence}`, from + n * 60_000, browser);
  });
}

const HOME = { ip: '81.2.69.10', browser: 'chrome', os: 'windows', device: 'laptop' };
const AWAY = { ip: '102.89.3.7', browser: 'firefox', os: 'linux', device: 'desktop' };

/** `count` logins of the user from `meta`'s address and device, a day apart from `from`. */
function visits(userId: string, count: number, from: number, meta: Record<string, string>): NormalizedEvent[] {
  return Array.from({ length: count }, (_, n) => {
    sequence += 1;
    const parsed = parseLegacyEvent({
      user_id: userId,
      kind: 'login',
      event_id: `e${sequence}`,
      timestamp: from + n * DAY,
      meta,
    });
    if (!parsed.ok) throw new Error('bad fixture');
    return parsed.value;
  });
}

async function ingest(writer: EventWriter<PostgresWriteStore>, events: NormalizedEvent[]): Promise<void> {
  await writer.writeGroupAsync([{ events, receivedAt: AT }]);
}

type Ranking = Pick<RankedPageRequest, 'by' | 'direction'> & { search: string };

/** Every user the ranking holds now, in its order: one page of a walk of its own. */
async function rankingNow(node: Node, { by, direction, search }: Ranking): Promise<string[]> {
  return (await node.reads.ranked({ search }, { by, direction, size: 1000 })).users.map((user) => user.id);
}

/**
 * One walk, forward to its end then back to its start, each page on the next
 * of `nodes` in turn; `between(met)` runs between any two pages, `met` the
 * users met so far that way.
 */
async function walkThere(
  nodes: Node[],
  { by, direction, search }: Ranking,
  size: number,
  between: (met: readonly string[]) => Promise<void>,
): Promise<{ forward: string[]; back: string[]; pages: number }> {
  const forward: string[] = [];
  let pages = 0;
  const page = (request: Pick<RankedPageRequest, 'after' | 'before' | 'backward'>) =>
    (nodes[pages++ % nodes.length] as Node).reads.ranked({ search }, { by, direction, size, ...request });
  let last = await page({});
  for (;;) {
    forward.push(...last.users.map((user) => user.id));
    if (!last.hasMore) break;
    await between(forward);
    last = await page({ after: last.cursors[last.cursors.length - 1] });
  }
  const back = last.users.map((user) => user.id);
  for (let start = last.cursors[0]; start !== undefined; ) {
    await between(back);
    const previous = await page({ backward: true, before: start });
    back.unshift(...previous.users.map((user) => user.id));
    start = previous.hasMore ? previous.cursors[0] : undefined;
  }
  return { forward, back, pages };
}

/** The id of the walk a cursor is of (its `asOf`). */
const walkOf = (cursor: string | undefined): number =>
  JSON.parse(Buffer.from(cursor as string, 'base64url').toString('utf8')).asOf;

beforeAll(() => postgres.start(), 600_000);

afterAll(async () => {
  await Promise.all(prismaClients.map((client) => client.$disconnect()));
  await postgres.stop();
});

describe('a walk through a ranking on PostgreSQL, two nodes on one database', () => {
  it.each([
    ['eventCount', 'desc'],
    ['eventCount', 'asc'],
    ['lastSeen', 'desc'],
    ['driftScore', 'desc'],
  ] as Array<[UserRanking, 'asc' | 'desc']>)(
    'meets every user once by %s %s while the other node moves them, pages on either node',
    async (by, direction) => {
      const url = await postgres.migratedDatabase('walk');
      const [a, b] = [await node(url), await node(url)];
      const users = Array.from({ length: 18 }, (_, i) => `w-${String(i).padStart(2, '0')}`);
      // Distinct counts, times and drift (every third user on a second and third browser).
      for (const [i, user] of users.entries()) {
        const browsers = i % 3 === 0 ? ['chrome', 'firefox', 'safari'] : ['chrome'];
        await ingest(
          i % 2 === 0 ? a.writer : b.writer,
          browsers.flatMap((browser, n) => logins(user, 1 + (i % 6), AT - DAY + i * 600_000 + n * 60_000, browser)),
        );
      }
      const ranking = { by, direction, search: 'w-' };
      const expected = await rankingNow(a, ranking);
      expect([...expected].sort()).toEqual(users);

      let round = 0;
      const { forward, back, pages } = await walkThere([a, b], ranking, 4, async (seen) => {
        round += 1;
        const unseen = users.filter((user) => !seen.includes(user));
        // Users met already and users not met yet jump in the ranking (both ways, by every order),
        // through the node that did not begin the walk; a user appears who was not there at its start.
        await ingest(b.writer, [
          ...seen.slice(-2).flatMap((user) => logins(user, 8, AT + round * DAY, 'edge')),
          ...unseen.slice(-2).flatMap((user) => logins(user, 8, AT + round * DAY, 'opera')),
          ...logins(`w-new-${round}`, 9, AT + round * DAY),
        ]);
      });
      expect(pages).toBeGreaterThan(3);
      expect(forward).toEqual(expected);
      expect(back).toEqual(forward);
      // A new walk sees where everyone is now.
      const now = await rankingNow(b, ranking);
      expect(now.filter((id) => users.includes(id))).not.toEqual(expected);
      expect(now.filter((id) => id.startsWith('w-new-'))).toHaveLength(round);
    },
  );

  it('counts a user changed by a transaction still committing when the walk began, numbered before later ones', async () => {
    const url = await postgres.migratedDatabase('in_flight');
    const [a, b] = [await node(url), await node(url)];
    for (const [i, user] of ['f-a', 'f-b', 'f-c', 'f-d', 'f-e'].entries()) {
      await ingest(a.writer, logins(user, 2 + i, AT));
    }
    const ranking = { by: 'eventCount', direction: 'desc', search: 'f-' } as const;
    const expected = await rankingNow(a, ranking);
    expect(expected).toEqual(['f-e', 'f-d', 'f-c', 'f-b', 'f-a']);

    // Holds f-a's commit at its COMMIT, its moves written (and numbered) but not committed: a
    // deferred trigger waits for a lock this test holds.
    const session = new pg.Client({ connectionString: url });
    await session.connect();
    const gate = new pg.Client({ connectionString: url });
    await gate.connect();
    try {
      await session.query(`CREATE FUNCTION test_gate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NULL; END $$`);
      await session.query(`CREATE CONSTRAINT TRIGGER test_gate AFTER INSERT ON "RankMove"
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW."userId" = 'f-a') EXECUTE FUNCTION test_gate()`);
      await gate.query('BEGIN');
      await gate.query('SELECT pg_advisory_xact_lock(4242)');
      const held = ingest(b.writer, logins('f-a', 20, AT + DAY));
      await waitFor(async () => (await lockWaiters(session)).length === 1, "f-a's commit to wait at the gate");
      // A later transaction, numbered after f-a's, commits first: before the walk begins.
      await ingest(b.writer, logins('f-b', 20, AT + DAY));
      const first = await a.reads.ranked({ search: 'f-' }, { ...ranking, size: 2 });
      await gate.query('COMMIT');
      await held;
      const moved = await session.query('SELECT "userId" FROM "RankMove" WHERE attention IS NOT NULL ORDER BY id');
      expect(moved.rows.map((row) => row.userId)).toEqual(['f-a', 'f-b']);
      const rest = await b.reads.ranked({ search: 'f-' }, { ...ranking, size: 10, after: first.cursors[1] });
      // As of the first page: f-b's change had committed, f-a's had not.
      expect([...first.users, ...rest.users].map((user) => user.id)).toEqual(['f-b', 'f-e', 'f-d', 'f-c', 'f-a']);
      expect(await rankingNow(b, ranking)).toEqual(['f-b', 'f-a', 'f-e', 'f-d', 'f-c']);
    } finally {
      await gate.end();
      await session.end();
    }
  });

  it('meets every user left once while triage and retention through the other node move and remove them', async () => {
    const url = await postgres.migratedDatabase('triage');
    const [a, b] = [await node(url), await node(url, 1)];
    const triage = new PostgresTriageStore(b.pool);
    const purger = new PostgresEventPurger(b.pool);
    const users = Array.from({ length: 12 }, (_, i) => `t-${String(i).padStart(2, '0')}`);
    for (const [i, user] of users.entries()) {
      // A month-old history at home; two thirds come back recently, every other one from abroad (an alert).
      await ingest(b.writer, visits(user, 3 + i, AT - 40 * DAY, HOME));
      if (i % 3 !== 0) await ingest(b.writer, visits(user, 1 + (i % 4), AT, i % 2 === 0 ? AWAY : HOME));
    }
    const alerted = (
      await b.pool.query<{ id: number }>(`SELECT id FROM "Alert" WHERE "userId" LIKE 't-%' AND status = 'open'`)
    ).rows.map((row) => row.id);
    expect(alerted.length).toBeGreaterThan(1);

    // Retention's purge mid-walk: the month-old events go, users seen only then are removed,
    // the others fall in event count.
    const byCount = { by: 'eventCount', direction: 'desc', search: 't-' } as const;
    const expected = await rankingNow(a, byCount);
    const removed = new Set<string>();
    const purged = await walkThere([a, b], byCount, 3, async () => {
      if (removed.size > 0) return;
      for (;;) {
        const outcome = await purger.purgeBatch(AT - 10 * DAY, 5);
        if (outcome.users.length === 0) break;
      }
      for (const user of users) if ((await b.reads.byId(user)) === null) removed.add(user);
    });
    expect(removed.size).toBe(4);
    expect(purged.forward).toEqual(expected.filter((id) => !removed.has(id)));
    expect(purged.back).toEqual(purged.forward);

    // Triage mid-walk: the alerts resolved, then open again, and so on.
    const byRisk = { by: 'risk', direction: 'desc', search: 't-' } as const;
    const atRisk = await rankingNow(a, byRisk);
    let round = 0;
    const triaged = await walkThere([b, a], byRisk, 1, async () => {
      round += 1;
      await triage.setAlertStatus(alerted, round % 2 === 1 ? 'resolved' : 'open', AT, () => []);
    });
    expect(round).toBeGreaterThan(2);
    expect(triaged.forward).toEqual(atRisk);
    expect(triaged.back).toEqual(triaged.forward);
  });
});

describe('walks and the moves kept for them', () => {
  const rows = async (pool: pg.Pool, table: 'RankMove' | 'RankWalk') =>
    Number((await pool.query(`SELECT count(*) FROM "${table}"`)).rows[0].count);
  const idleFor = (pool: pg.Pool, walk: number, minutes: number) =>
    pool.query(`UPDATE "RankWalk" SET "lastUsed" = clock_timestamp() - $2 * interval '1 minute' WHERE id = $1`, [
      walk,
      minutes,
    ]);

  it('keeps the moves a walk needs until it expires, and none while no walk goes on', async () => {
    const url = await postgres.migratedDatabase('prune');
    const [a, b] = [await node(url), await node(url)];
    await ingest(b.writer, [...logins('p-1', 3, AT), ...logins('p-2', 2, AT)]);
    await a.walks.prune();
    expect(await rows(a.pool, 'RankMove')).toBe(0);

    const ranking = { by: 'eventCount', direction: 'desc', search: 'p-' } as const;
    const first = await a.reads.ranked({ search: 'p-' }, { ...ranking, size: 1 });
    expect(first.users.map((user) => user.id)).toEqual(['p-1']);
    await ingest(b.writer, logins('p-2', 5, AT + DAY));
    await b.walks.prune();
    expect(await a.walks.changedSince(walkOf(first.cursors[0]))).toEqual(
      new Map([['p-2', expect.objectContaining({ eventCount: 2 })]]),
    );

    // A first page nobody turns is kept two minutes; a walk that turned a page, fifteen.
    await idleFor(a.pool, walkOf(first.cursors[0]), 1.5);
    const second = await b.reads.ranked({ search: 'p-' }, { ...ranking, size: 1, after: first.cursors[0] });
    expect(second.users.map((user) => user.id)).toEqual(['p-2']);
    await idleFor(a.pool, walkOf(first.cursors[0]), 14);
    await b.walks.prune();
    expect(await rows(a.pool, 'RankMove')).toBe(1);
    await a.reads.ranked({ search: 'p-' }, { ...ranking, size: 1, after: first.cursors[0] });
    await idleFor(a.pool, walkOf(first.cursors[0]), 16);
    await expect(
      b.reads.ranked({ search: 'p-' }, { ...ranking, size: 1, after: second.cursors[0] }),
    ).rejects.toBeInstanceOf(CursorExpired);
    await a.walks.prune();
    expect(await rows(a.pool, 'RankWalk')).toBe(0);
    expect(await rows(a.pool, 'RankMove')).toBe(0);

    const unturned = await a.reads.ranked({ search: 'p-' }, { ...ranking, size: 1 });
    await idleFor(a.pool, walkOf(unturned.cursors[0]), 2.5);
    await expect(
      b.reads.ranked({ search: 'p-' }, { ...ranking, size: 1, after: unturned.cursors[0] }),
    ).rejects.toBeInstanceOf(CursorExpired);
  });

  it('keeps at most about the bound of moves, the oldest walks restarting past it', async () => {
    const url = await postgres.migratedDatabase('bound');
    const [a, b] = [await node(url), await node(url)];
    await ingest(b.writer, logins('q-1', 2, AT));
    const moves = (count: number) =>
      a.pool.query(`INSERT INTO "RankMove" ("userId") SELECT 'x-' || g FROM generate_series(1, $1) AS g`, [count]);
    const ranking = { by: 'eventCount', direction: 'desc', size: 1 } as const;
    const older = await a.reads.ranked({}, ranking);
    await moves(MAX_ENTRIES * 0.75);
    const newer = await b.reads.ranked({}, ranking);
    await moves(MAX_ENTRIES * 0.5);
    await a.walks.prune();
    expect(await rows(a.pool, 'RankMove')).toBe(MAX_ENTRIES * 0.5);
    await expect(a.reads.ranked({}, { ...ranking, after: older.cursors[0] })).rejects.toBeInstanceOf(CursorExpired);
    expect((await a.reads.ranked({}, { ...ranking, after: newer.cursors[0] })).users).toEqual([]);
  });
});
