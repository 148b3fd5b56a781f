import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { RankWalks } from '../ports.ts';
import { FIRST_PAGE_IDLE_MS, MAX_ENTRIES, type RankValues, WALK_IDLE_MS } from '../rank-history.ts';
import { epochMsOf } from './timestamps.ts';
import { inTransaction } from './transaction.ts';

/** RankMove's copy of a user's ranking values, in this order after "userId". */
const RANK_COLUMNS = [
  'attention',
  'riskKey',
  'driftScore',
  'lastSeen',
  'eventCount',
  'verdict',
] as const satisfies ReadonlyArray<keyof RankValues>;
const NAMES = RANK_COLUMNS.map((column) => `"${column}"`).join(', ');

/**
 * A WITH-clause entry for a statement that updates "User" from `source`
 * (another entry of the same WITH clause; `id`, the user id in it): records
 * each user whose ranking values `next` (SQL over `source`; undefined for a
 * column the update keeps) differ from the stored ones, with the stored ones.
 * Every part of one statement reads the same snapshot, so these are the
 * values before the update. The caller holds the users' locks, so one user's
 * entries are written, and numbered, in the order their transactions commit.
 */
export function rankMovesBefore(
  source: string,
  id: string,
  next: (column: keyof RankValues) => string | undefined,
): string {
  const before = RANK_COLUMNS.map((column) => `b."${column}"`).join(', ');
  const after = RANK_COLUMNS.map((column) => next(column) ?? `b."${column}"`).join(', ');
  return `pd_rank_moves AS (INSERT INTO "RankMove" ("userId", ${NAMES})
    SELECT b.id, ${before} FROM "User" b JOIN ${source} ON b.id = ${id}
    WHERE (${before}) IS DISTINCT FROM (${after}))`;
}

/** A WITH-clause entry for a statement that creates users from `source`: records them as new (no values before). */
export function rankMovesOfNew(source: string, id: string): string {
  return `pd_rank_moves AS (INSERT INTO "RankMove" ("userId") SELECT ${id} FROM ${source})`;
}

/**
 * Held shared while a first page registers its walk, and alone by the
 * pruning: a walk's snapshot is never taken while entries it may need are
 * being judged unneeded.
 */
const WALKS_LOCK = 0x70645f72; // "pd_r"

const idle = (turned: string) =>
  `(CASE WHEN ${turned} THEN ${WALK_IDLE_MS} ELSE ${FIRST_PAGE_IDLE_MS} END) * interval '1 millisecond'`;

// One implicit transaction (a simple query of several statements): the lock is
// taken before the insert's statement takes its snapshot, and freed at its end.
const BEGIN_WALK = (id: number) => `SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
  SELECT pg_advisory_xact_lock_shared(${WALKS_LOCK});
  INSERT INTO "RankWalk" (id, snapshot, "lastUsed") VALUES (${id}, pg_current_snapshot(), clock_timestamp())`;
const RESUME_WALK = `UPDATE "RankWalk" SET "lastUsed" = clock_timestamp(), turned = true
  WHERE id = $1 AND "lastUsed" >= clock_timestamp() - ${idle('turned')}`;
// No row: the walk is gone. Otherwise one row per user changed since (a user of
// null when none): their first entry that the walk's snapshot does not see.
// Entries older than the snapshot's xmin are all visible to it.
const CHANGED_SINCE = `SELECT m."userId", ${RANK_COLUMNS.map((column) =>
  column === 'lastSeen' ? epochMsOf('m."lastSeen"') : `m."${column}"`,
).join(', ')}
  FROM "RankWalk" w LEFT JOIN LATERAL (
    SELECT DISTINCT ON ("userId") * FROM "RankMove"
    WHERE xid >= pg_snapshot_xmin(w.snapshot) AND NOT pg_visible_in_snapshot(xid, w.snapshot)
    ORDER BY "userId", id
  ) m ON true
  WHERE w.id = $1`;

// A snapshot or an entry from past the current snapshot's xmax cannot be this
// server's (a committed transaction's id is below it): restored from another's dump.
const DROP_WALKS = `DELETE FROM "RankWalk" WHERE "lastUsed" < clock_timestamp() - ${idle('turned')}
  OR pg_snapshot_xmax(snapshot) > pg_snapshot_xmax(pg_current_snapshot())`;
const ENTRY_SPAN = 'SELECT min(id)::float8, max(id)::float8 FROM "RankMove"';
// Walks that need entries past the bound (older than the one numbered $1) must restart.
const DROP_OLDEST_WALKS = `DELETE FROM "RankWalk"
  WHERE pg_snapshot_xmin(snapshot) <= (SELECT xid FROM "RankMove" WHERE id <= $1 ORDER BY id DESC LIMIT 1)`;
// Entries every walk's snapshot sees (and every later one will) are needed by none.
const DROP_ENTRIES = `DELETE FROM "RankMove"
  WHERE xid < LEAST(pg_snapshot_xmin(pg_current_snapshot()), (SELECT min(pg_snapshot_xmin(snapshot)) FROM "RankWalk"))
    OR xid >= pg_snapshot_xmax(pg_current_snapshot())`;

/** A user's entry as CHANGED_SINCE reads it: every value null for a user created since (or no user: nothing changed). */
type MoveRow = [
  userId: string | null,
  attention: number | null,
  riskKey: number,
  driftScore: number,
  lastSeen: number,
  eventCount: number,
  verdict: string | null,
];

/**
 * The ranking history on PostgreSQL, shared by every node on the database.
 * Each transaction that moves users (ingest, triage, retention's purge)
 * writes their values before it to "RankMove" itself, with its transaction
 * id (rankMovesBefore, rankMovesOfNew); a walk registers the snapshot of its
 * first page in "RankWalk". A user changed since a walk began is then one
 * with an entry from a transaction that snapshot does not see: it had not
 * committed yet, whatever order entries were numbered in. Their first such
 * entry holds their values as of the snapshot.
 *
 * Walks expire as in RankHistory, on the database's clock: 15 minutes idle,
 * 2 before the second page. `prune` (each node runs it; one at a time does
 * the work) drops expired walks and the entries no walk needs, and keeps at
 * most about MAX_ENTRIES, dropping the oldest walks past that.
 */
export class PostgresRankWalks implements RankWalks {
  readonly epoch = 'postgresql';
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async begin(): Promise<number> {
    // A random id, safe as a JSON number: a cursor from another database names no walk here.
    const id = randomInt(1, 2 ** 48);
    await this.#pool.query(BEGIN_WALK(id));
    return id;
  }

  async resume(asOf: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query({ name: 'pd_resume_walk', text: RESUME_WALK, values: [asOf] });
    return rowCount === 1;
  }

  async changedSince(asOf: number): Promise<Map<string, RankValues | null> | null> {
    const { rows } = await this.#pool.query<MoveRow>({
      name: 'pd_changed_since',
      text: CHANGED_SINCE,
      values: [asOf],
      rowMode: 'array',
    });
    if (rows.length === 0) return null;
    const changed = new Map<string, RankValues | null>();
    for (const [userId, attention, riskKey, driftScore, lastSeen, eventCount, verdict] of rows) {
      if (userId === null) continue;
      changed.set(
        userId,
        attention === null ? null : { attention, riskKey, driftScore, lastSeen, eventCount, verdict },
      );
    }
    return changed;
  }

  /** Drops expired walks and the entries no walk needs; skipped while another node prunes. */
  async prune(): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<[boolean]>({
        text: `SELECT pg_try_advisory_xact_lock(${WALKS_LOCK})`,
        rowMode: 'array',
      });
      if (rows[0]?.[0] !== true) return;
      await client.query({ name: 'pd_drop_walks', text: DROP_WALKS });
      const span = await client.query<[number | null, number | null]>({
        name: 'pd_rank_span',
        text: ENTRY_SPAN,
        rowMode: 'array',
      });
      const [oldest, newest] = span.rows[0] ?? [null, null];
      if (oldest !== null && newest !== null && newest - oldest >= MAX_ENTRIES) {
        await client.query({ name: 'pd_drop_oldest_walks', text: DROP_OLDEST_WALKS, values: [newest - MAX_ENTRIES] });
      }
      await client.query({ name: 'pd_drop_rank_moves', text: DROP_ENTRIES });
    });
  }
}
