import type pg from 'pg';
import { StoreBusyError } from '../errors.ts';

/** How long a transaction waits for a user's lock (another node writing them) before giving up with StoreBusyError: as SQLite's busy timeout. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5000;

/**
 * Runs `work` in one READ COMMITTED transaction on a session of the pool:
 * committed if it resolves, rolled back if it throws (and the error
 * rethrown, a lock wait past the timeout or a deadlock as StoreBusyError).
 * A session the server ends mid-transaction fails only this transaction and
 * is not handed to the next one.
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
  try {
    await client.query(
      `BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`,
    );
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw asStoreError(error);
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
}

/** A lock wait past lock_timeout (55P03), or a deadlock (40P01): nothing was stored and a retry may succeed. */
export function asStoreError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '55P03' || code === '40P01' ? new StoreBusyError({ cause: error }) : error;
}
