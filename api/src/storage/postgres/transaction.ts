import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { isStoreUnavailable, StoreBusyError } from '../errors.ts';

/** How long a transaction waits for a user's lock (another node writing them) before giving up with StoreBusyError: as SQLite's busy timeout. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5000;

/** How long an unanswered COMMIT's outcome is asked for before the transaction counts as failed. */
const COMMIT_OUTCOME_WAIT_MS = 5000;

/**
 * Runs `work` in one READ COMMITTED transaction on a session of the pool:
 * committed if it resolves, rolled back if it throws (and the error
 * rethrown, a lock wait past the timeout or a deadlock as StoreBusyError).
 * A session the server ends mid-transaction fails only this transaction and
 * is not handed to the next one.
 *
 * A COMMIT whose answer is lost (the session dropped after sending it) may
 * have committed: the transaction's id, taken at BEGIN, is looked up from
 * another session, and a committed transaction returns as if answered, so
 * the caller neither reports a stored write as failed nor has it retried
 * (an event without an event_id would be stored twice).
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  lockTimeoutMs: number = DEFAULT_LOCK_TIMEOUT_MS,
): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw asStoreError(error);
  });
  let broken: Error | undefined;
  // Unheard, a lost session's 'error' event would end the process.
  const lost = (error: Error) => {
    broken = error;
  };
  client.on('error', lost);
  let xid: string | undefined;
  let done: { result: T } | undefined;
  let unanswered: unknown;
  try {
    const begun = (await client.query(
      `BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}; ` +
        'SELECT pg_current_xact_id()::text AS xid',
    )) as unknown as pg.QueryResult<{ xid: string }>[];
    xid = begun[2]?.rows[0]?.xid;
    done = { result: await work(client) };
    await client.query('COMMIT');
    return done.result;
  } catch (error) {
    if (done === undefined || xid === undefined || !isStoreUnavailable(error)) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw asStoreError(error);
    }
    broken ??= error as Error;
    unanswered = error;
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
  // The session is closed now, so the server decides the transaction without waiting for it.
  if (await committed(pool, xid)) return done.result;
  throw unanswered;
}

/**
 * Whether the transaction committed, asked from another session: 'in
 * progress' while its session's end has not reached the server yet, so asked
 * again until it is decided or the wait is over (then it counts as failed; a
 * retry may store it twice, as after any unanswered request).
 */
async function committed(pool: pg.Pool, xid: string): Promise<boolean> {
  const deadline = Date.now() + COMMIT_OUTCOME_WAIT_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const { rows } = await pool.query<{ status: string | null }>('SELECT pg_xact_status($1::xid8) AS status', [xid]);
      const status = rows[0]?.status;
      if (status === 'committed') return true;
      if (status !== 'in progress') return false;
    } catch {
      // The database is not answering yet either.
    }
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(50 * 2 ** attempt, 500));
  }
}

/** A lock wait past lock_timeout (55P03), or a deadlock (40P01): nothing was stored and a retry may succeed. */
export function asStoreError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '55P03' || code === '40P01' ? new StoreBusyError({ cause: error }) : error;
}
