import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { IngestService } from '../services/ingest.ts';

/** Cached query results kept at most (least recently used go first). */
export const RESPONSE_CACHE_ENTRIES = 10_000;

/**
 * Caches query results (a SIEM polls the same users over and over) and drops
 * every cached result that contains a user as soon as a commit changes that
 * user, so a cached answer is never stale. Rankings and totals change with
 * any event, so operations reading them are not cached; neither are results
 * with a null root field (an unknown user may appear with the next event).
 */
export function useLiveResponseCache(ingest: IngestService): Plugin {
  const cache = createInMemoryCache({ max: RESPONSE_CACHE_ENTRIES });
  ingest.onIngested((outcome) => {
    void cache.invalidate(outcome.users.map((change) => ({ typename: 'User', id: change.aggregate.userId })));
  });
  return useResponseCache({
    cache,
    // Everyone sees the same data today; with access control this becomes the caller's role.
    session: () => null,
    // The cache is in this process's memory: the operation text itself is the
    // key. The default (SHA-256 through WebCrypto, async) measured as a large
    // share of a cache hit's time.
    buildResponseCacheKey: ({ documentString, variableValues, operationName, sessionId }) =>
      JSON.stringify([documentString, operationName ?? null, variableValues ?? null, sessionId ?? null]),
    ttlPerSchemaCoordinate: { 'Query.users': 0, 'Query.overview': 0 },
    shouldCacheResult: ({ result }) =>
      (result.errors === undefined || result.errors.length === 0) &&
      Object.values(result.data ?? {}).every((value) => value !== null),
  });
}
