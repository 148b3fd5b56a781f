import { createGraphQLError, maskError } from 'graphql-yoga';

/** How long a client waits before retrying a write the database was too busy to take. */
const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * Yoga's masking, except for a database too busy to take a write (another
 * connection held its lock past the busy timeout): the transaction was rolled
 * back, nothing was stored, and the client should retry, so it gets
 * `DATABASE_BUSY` with HTTP 503 and Retry-After, as the REST shim answers.
 * Every other unexpected error stays "Unexpected error.".
 */
export const maskUnexpectedError: typeof maskError = (error, message, isDev) => {
  const original = (error as { originalError?: unknown }).originalError ?? error;
  const code = (original as { code?: unknown } | null)?.code;
  // Extended codes too (SQLITE_BUSY_TIMEOUT, …), as group commit matches them.
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
    const located = error as { nodes?: never; path?: readonly (string | number)[] };
    return createGraphQLError('database is busy; retry', {
      nodes: located.nodes,
      path: located.path,
      extensions: {
        code: 'DATABASE_BUSY',
        http: { status: 503, headers: { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) } },
      },
    });
  }
  return maskError(error, message, isDev);
};
