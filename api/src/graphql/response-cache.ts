import { createHash } from 'node:crypto';
import { type Cache, createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import { type ClusterBus, SINGLE_NODE } from '../cluster/bus.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { Principal } from '../services/access.ts';
import type { AdminService } from '../services/admin.ts';
import type { AlertService } from '../services/alerts.ts';

type CacheEntity = { typename: string; id?: string | number };
const EVERYTHING: CacheEntity[] = [{ typename: 'User' }, { typename: 'Event' }, { typename: 'Alert' }];

/** Cached query results kept at most (least recently used go first). */
export const RESPONSE_CACHE_ENTRIES = 10_000;

/**
 * Caches query results (a SIEM polls the same users over and over) and drops
 * every cached result that contains a user as soon as a commit changes that
 * user, so a cached answer is never stale. Rankings and totals change with
 * any event, so operations reading them are not cached; neither are results
 * with a null root field (an unknown user may appear with the next event).
 * A client can skip the cache with `Cache-Control: no-cache`.
 */
export function useLiveResponseCache(
  ingest: IngestPipeline,
  admin: AdminService,
  alerts: AlertService,
  bus: ClusterBus = SINGLE_NODE,
): Plugin {
  const cache = guardedCache(createInMemoryCache({ max: RESPONSE_CACHE_ENTRIES }));
  const drop = (entities: CacheEntity[]) => {
    cache.committed();
    void cache.invalidate(entities);
  };
  // What this node drops, every node drops: they all cache results of the one database.
  const dropEverywhere = (entities: CacheEntity[]) => {
    drop(entities);
    bus.publish('invalidate', entities);
  };
  bus.on('invalidate', (entities) => drop(entities as CacheEntity[]));
  // Drops other nodes sent while this one could not hear them are lost: drop everything.
  bus.onMissed(() => drop(EVERYTHING));
  ingest.onIngested((outcome) => {
    dropEverywhere(outcome.users.map((change) => ({ typename: 'User', id: change.aggregate.userId })));
  });
  // Triage moves the alert's user too: their severity and open alerts.
  const triaged = (alert: { id: number; userId: string }) => {
    dropEverywhere([
      { typename: 'User', id: alert.userId },
      { typename: 'Alert', id: alert.id },
    ]);
  };
  alerts.onStatusChanged(triaged);
  alerts.onAnnotated(triaged);
  // Deleting a user or purging old events is rare: every cached user, event
  // and alert goes, since a cached event or alert names no user entity.
  admin.onUsersChanged(() => dropEverywhere(EVERYTHING));
  return useResponseCache({
    cache,
    // Results are shared by role, never across roles: what a field returns
    // (or refuses) depends only on the role asking. This runs before the
    // GraphQL context exists, so the role comes from the request the front
    // door authenticated.
    session: (_request, context) => sessionOf(context),
    // Over WebSocket there is no HTTP request, and Yoga's cache keys are made
    // from one (the plugin throws without it): operations there are not cached.
    // Nor while this node cannot hear the others' drops: it could serve what another node changed.
    enabled: (request) =>
      request !== undefined && bus.hearing() && !request.headers.get('cache-control')?.includes('no-cache'),
    // A synchronous hash: the default goes through WebCrypto (async), which
    // measured as a large share of a cache hit. The key is also sent as the
    // ETag header, so it must stay short and ASCII.
    buildResponseCacheKey: ({ documentString, variableValues, operationName, sessionId }) =>
      createHash('sha256')
        .update(JSON.stringify([documentString, operationName ?? null, variableValues ?? null, sessionId ?? null]))
        .digest('base64url'),
    // Alerts change with triage as well as commits; a user's risk fades with time.
    ttlPerSchemaCoordinate: {
      'Query.users': 0,
      'Query.overview': 0,
      'Query.alerts': 0,
      'Query.alert': 0,
      'Query.incidents': 0,
      'Query.viewer': 0,
      'Query.apiKeys': 0,
      'Query.auditLog': 0,
      'User.risk': 60_000,
      // Trust and feedback change outside ingest.
      'User.adjustments': 0,
      'User.trustEntries': 0,
      'User.falsePositives': 0,
      'Query.allowList': 0,
    },
    shouldCacheResult: ({ result }) =>
      (result.errors === undefined || result.errors.length === 0) &&
      Object.values(result.data ?? {}).every((value) => value !== null),
  });
}

/** The cache partition of a request: its role, or `none` when nobody authenticated it. */
function sessionOf(context: unknown): string {
  return (context as { principal?: Principal } | undefined)?.principal?.role ?? 'none';
}

/**
 * A result read before a commit must not be cached after it: the commit's
 * invalidation has already run and would not remove it. Each miss remembers
 * how many commits had happened; `set` keeps the result only if none happened
 * since (and only for a recorded miss). Today a read and its `set` are separated only by microtasks while
 * commits run in their own macrotask, so this never drops a result; it keeps
 * the cache correct if a resolver ever waits on I/O.
 */
function guardedCache(inner: Cache): Cache & { committed(): void } {
  let commits = 0;
  const missedAt = new Map<string, number>();
  return {
    committed() {
      commits += 1;
    },
    get(key) {
      const found = inner.get(key);
      const remember = (value: unknown) => {
        if (value != null || missedAt.has(key)) return;
        // Misses of uncacheable results are never followed by `set`; forgetting
        // them all only means the next few results are not cached.
        if (missedAt.size >= RESPONSE_CACHE_ENTRIES) missedAt.clear();
        missedAt.set(key, commits);
      };
      if (found instanceof Promise) {
        return found.then((value) => {
          remember(value);
          return value;
        });
      }
      remember(found);
      return found;
    },
    set(key, data, entities, ttl) {
      const since = missedAt.get(key);
      missedAt.delete(key);
      if (since !== commits) return;
      return inner.set(key, data, entities, ttl);
    },
    invalidate: (entities) => inner.invalidate(entities),
  };
}
