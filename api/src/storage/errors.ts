/**
 * Storage's failures that the interfaces answer in their own way, whatever
 * the engine. Each implementation maps its driver's errors to these at its
 * edge, so nothing above storage reads an engine's error codes.
 */

/**
 * The store could not take the request in time because another connection
 * held it (past the busy timeout): nothing was stored, and the same request
 * may succeed when retried.
 */
export class StoreBusyError extends Error {
  constructor(options?: ErrorOptions) {
    super('database is busy; retry', options);
    this.name = 'StoreBusyError';
  }
}

/**
 * The database did not answer (down, restarting, unreachable): nothing of the
 * request was stored, and the same request may succeed when retried.
 */
export class StoreUnavailableError extends Error {
  constructor(options?: ErrorOptions) {
    super('database unavailable; retry', options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Whether an error says the database could not be reached or dropped the
 * session, whichever layer raised it: the store's own error, a socket error,
 * PostgreSQL's connection and shutdown SQLSTATEs (08…, 57P01–57P03), or
 * Prisma's "cannot reach the database" codes.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 5; depth += 1) {
    if (cause instanceof StoreUnavailableError) return true;
    const code = (cause as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      /^(08\w{3}|57P0[123]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|P1001|P1002|P1017)$/.test(code)
    )
      return true;
    // node-postgres says these in words only: the server closed the session, a session or an answer took too long.
    const message = (cause as Error).message ?? '';
    if (/^(Connection terminated|timeout exceeded when trying to connect|Query read timeout)/.test(message))
      return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
