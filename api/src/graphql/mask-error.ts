import type { GraphQLError } from 'graphql';
import { createGraphQLError, maskError } from 'graphql-yoga';
import { isStoreUnavailable, StoreBusyError } from '../storage/errors.ts';

/** A refusal the client should retry: HTTP 503 with Retry-After, nothing stored (OVERLOADED, DATABASE_BUSY). */
export function retryLaterError(
  code: string,
  message: string,
  retryAfterSeconds = 1,
  at: Pick<GraphQLError, 'nodes' | 'path'> = {} as Pick<GraphQLError, 'nodes' | 'path'>,
): GraphQLError {
  return createGraphQLError(message, {
    nodes: at.nodes,
    path: at.path,
    extensions: { code, http: { status: 503, headers: { 'retry-after': String(retryAfterSeconds) } } },
  });
}

/**
 * Yoga's masking, except for a database too busy to take a write (another
 * connection held its lock past the busy timeout): the transaction was rolled
 * back, nothing was stored, and the client should retry, so it gets
 * `DATABASE_BUSY` with HTTP 503 and Retry-After, as the REST shim answers.
 * Every other unexpected error stays "Unexpected error.".
 */
export const maskUnexpectedError: typeof maskError = (error, message, isDev) => {
  const original = (error as { originalError?: unknown }).originalError ?? error;
  if (original instanceof StoreBusyError) {
    return retryLaterError(
      'DATABASE_BUSY',
      'database is busy; retry',
      1,
      error as Pick<GraphQLError, 'nodes' | 'path'>,
    );
  }
  if (isStoreUnavailable(original)) {
    return retryLaterError(
      'DATABASE_UNAVAILABLE',
      'database unavailable; retry',
      1,
      error as Pick<GraphQLError, 'nodes' | 'path'>,
    );
  }
  return maskError(error, message, isDev);
};
