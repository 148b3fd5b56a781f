import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClusterBus, SINGLE_NODE } from './cluster/bus.ts';
import { openRedis } from './cluster/redis.ts';
import { RedisBus } from './cluster/redis-bus.ts';
import { shareNetworkActivity } from './cluster/shared-activity.ts';
import { type Config, isPostgresUrl } from './config.ts';
import type { Engine, EngineOptions } from './engines/engine.ts';
import { openPostgresEngine } from './engines/postgres-engine.ts';
import { openSqliteEngine } from './engines/sqlite-engine.ts';
import { createLivePubSub, type LiveSubscribers, TOPICS } from './graphql/pubsub.ts';
import { attachWebSocket, createGraphQL, GRAPHQL_PATH, type GraphQLServer } from './graphql/yoga.ts';
import { createRequestListener } from './http/app.ts';
import { BrowserGuard } from './http/browser-guard.ts';
import { ServerLoad } from './http/load.ts';
import { RequestGuard } from './http/request-guard.ts';
import type { Logger } from './logger.ts';
import { startAlertWebhooks } from './services/alert-webhooks.ts';
import { createServices, type Services } from './services/index.ts';
import { RetentionService } from './services/retention.ts';
import { openCityDatabase } from './storage/city-database.ts';
import { VERSION } from './version.ts';

export interface Api {
  server: Server;
  services: Services;
  /** The retention schedule, when RETENTION_DAYS is set. */
  retention: RetentionService | null;
  /** The GraphQL handler, callable in-process with `graphql.fetch(url, init)`. */
  graphql: GraphQLServer;
  /** The database in use: the SQLite file's absolute path, or the PostgreSQL server and database. */
  database: string;
  /** Requests in flight and open streams right now. */
  load: ServerLoad;
  /** Subscriptions listening to each live topic right now. */
  subscribers: LiveSubscribers;
  /** How this node reaches the other nodes (REDIS_URL); a no-op alone. */
  bus: ClusterBus;
  /** Listens on the configured host and port (port 0 picks a free one); resolves with the address. */
  listen(): Promise<AddressInfo>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export { StartupRefused } from './engines/engine.ts';
export type ApiOptions = EngineOptions;

/**
 * Builds the whole API on the configured database: embedded SQLite (a file,
 * created and migrated on first start) or PostgreSQL, migrated first. main.ts
 * only adds the process around it.
 */
export async function openApi(config: Config, logger: Logger, options: ApiOptions = {}): Promise<Api> {
  if (!isPostgresUrl(config.databaseUrl)) return createApi(config, logger, options);
  return assembleOrClose(await openPostgresEngine(config, logger, options), config, logger);
}

/**
 * The API on embedded SQLite, opened at once: migrates the file, opens the
 * writer and the Prisma readers, wires the services, REST, GraphQL (HTTP, SSE
 * and WebSocket) and live updates. Tests call this directly.
 */
export function createApi(config: Config, logger: Logger, options: ApiOptions = {}): Api {
  if (isPostgresUrl(config.databaseUrl)) throw new Error('PostgreSQL is opened asynchronously: use openApi');
  return assembleOrClose(openSqliteEngine(config, logger, options), config, logger);
}

/** The API on an opened engine; the engine closed again if that fails. */
function assembleOrClose(engine: Engine, config: Config, logger: Logger): Api {
  try {
    return assembleApi(engine, config, logger);
  } catch (error) {
    engine.close().catch(() => {});
    throw error;
  }
}

/** Everything above storage, the same on every engine. */
function assembleApi(engine: Engine, config: Config, logger: Logger): Api {
  const { access, adjustments, geo } = engine;
  const services = createServices({
    writer: engine.writer,
    triage: engine.triage,
    prisma: engine.prisma,
    rows: engine.rows,
    profiles: engine.profiles,
    ranks: engine.ranks,
    searchMode: engine.searchMode,
    access,
    adjustments,
    version: VERSION,
    maxQueuedEvents: config.maxQueuedEvents,
    // The city database is opened on the first event read that needs it (two file descriptors and a few MB).
    networks: { geo, openCities: config.geoip ? openCityDatabase : null },
    onListenerError: (error) => logger.error('after-commit listener failed', { error: (error as Error).stack }),
  });
  services.admin.onUsersChanged(() => engine.usersChanged());
  services.admin.onUserDeleted((userId) => engine.userDeleted(userId));
  const bus = config.redisUrl === null ? SINGLE_NODE : new RedisBus(config.redisUrl, logger);
  const limits = config.redisUrl === null ? undefined : openRedis(config.redisUrl, logger, 'rate limits');
  if (config.redisUrl !== null) {
    services.health.reportCluster(() => bus.hearing());
    services.metrics.watch(
      'persona_drift_redis_hearing',
      'Whether this node hears the other nodes through Redis (1) or not (0).',
      () => (bus.hearing() ? 1 : 0),
    );
  }
  // Before the live relay: another node's events are in the attack context before subscribers hear of them.
  const stopSharingActivity =
    config.redisUrl === null
      ? () => {}
      : shareNetworkActivity(
          services.ingest,
          {
            recordActivityElsewhere: (events) => engine.writer.writer.recordActivityElsewhere(events),
            refresh: () => engine.refreshNetworkActivity(),
            windowMs: engine.writer.writer.activityWindowMs,
          },
          bus,
          (error) => logger.warn('attack context not read again', { error: error.message }),
        );
  const live = createLivePubSub(services.ingest, services.alerts, bus);
  const guard = new RequestGuard(access, {
    rateLimitPerKey: config.rateLimitPerKey,
    rateLimitPerIp: config.rateLimitPerIp,
    authFailuresPerIp: config.authFailuresPerIp,
    trustedProxies: config.trustedProxies,
    redis: limits,
  });
  const yoga = createGraphQL(
    {
      ingest: services.ingest,
      alerts: services.alerts,
      admin: services.admin,
      adjustments: services.adjustments,
      access,
      metrics: services.metrics,
      reads: services.reads,
      pubsub: live.pubsub,
      bus,
      logger,
      maxBatchEvents: config.maxBatchEvents,
      maxMetaBytes: config.maxMetaBytes,
      maxBodyBytes: config.maxBodyBytes,
      maxResponseBytes: config.maxResponseBytes,
    },
    { introspection: config.introspection, graphiql: config.graphiql },
  );
  const load = new ServerLoad({
    maxInFlight: config.maxInFlight,
    maxInFlightBytes: config.maxInFlightBytes,
    maxStreams: config.maxStreams,
  });
  services.metrics.watch(
    'persona_drift_requests_in_flight',
    'Requests being served (streams not counted).',
    () => load.inFlight,
  );
  services.metrics.watch(
    'persona_drift_streams_open',
    'Live streams open: SSE, incremental delivery and WebSocket.',
    () => load.streams,
  );
  services.metrics.watch(
    'persona_drift_subscriptions_active',
    'GraphQL subscriptions listening, by live topic (SSE and WebSocket).',
    () => TOPICS.map((topic) => ({ labels: { topic }, value: live.subscribers.count(topic) })),
  );
  const browsers = new BrowserGuard({ allowedHosts: config.allowedHosts, corsOrigin: config.corsOrigin });
  const server = createServer(
    {
      // Slow clients (slowloris) cannot hold a connection by trickling a request:
      // the whole request must arrive within REQUEST_TIMEOUT_MS (answered 408).
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(config.requestTimeoutMs, 20_000),
      connectionsCheckingInterval: Math.min(config.requestTimeoutMs / 2, 5_000),
    },
    createRequestListener(
      services,
      {
        corsOrigin: config.corsOrigin,
        maxBodyBytes: config.maxBodyBytes,
        maxBatchEvents: config.maxBatchEvents,
        maxMetaBytes: config.maxMetaBytes,
        load,
        browsers,
        guard,
      },
      logger,
      [{ path: GRAPHQL_PATH, handle: yoga }],
    ),
  );
  const closeWebSocket = attachWebSocket(server, yoga, { guard, load, browsers, maxMessageBytes: config.maxBodyBytes });
  const webhooks = startAlertWebhooks(config, services, engine.outbox, logger);
  const retention =
    config.retentionDays === null
      ? null
      : new RetentionService({
          purger: engine.purger,
          audit: engine.audit,
          days: config.retentionDays,
          logger,
          onUsersChanged: (userIds) => services.admin.usersChanged(userIds),
        });
  retention?.start(config.retentionIntervalMinutes * 60_000);

  let closing: Promise<void> | undefined;
  return {
    server,
    services,
    retention,
    graphql: yoga,
    database: engine.database,
    load,
    subscribers: live.subscribers,
    bus,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close() {
      closing ??= (async () => {
        live.stop();
        stopSharingActivity();
        await retention?.stop();
        access.stop();
        await closeWebSocket();
        if (server.listening) {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
            // Open SSE subscriptions never finish on their own.
            setTimeout(() => server.closeAllConnections(), 2000).unref();
          });
        }
        // After the last request: alerts it opened are in the outbox before the sender stops.
        await webhooks?.close();
        guard.stop();
        await bus.close();
        await limits?.quit().catch(() => limits.disconnect());
        await engine.close();
      })();
      return closing;
    },
  };
}
