import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClusterBus, SINGLE_NODE } from './cluster/bus.ts';
import { openRedis } from './cluster/redis.ts';
import { RedisBus } from './cluster/redis-bus.ts';
import { type Config, isLoopbackHost } from './config.ts';
import { NO_GEO } from './domain/risk/observe.ts';
import { verdictOf } from './domain/risk/verdict.ts';
import { createLivePubSub, type LiveSubscribers, TOPICS } from './graphql/pubsub.ts';
import { attachWebSocket, createGraphQL, GRAPHQL_PATH, type GraphQLServer } from './graphql/yoga.ts';
import { createRequestListener } from './http/app.ts';
import { BrowserGuard } from './http/browser-guard.ts';
import { ServerLoad } from './http/load.ts';
import { RequestGuard } from './http/request-guard.ts';
import { EventWriter } from './ingest/write.ts';
import type { Logger } from './logger.ts';
import { AccessControl } from './services/access.ts';
import { AdjustmentService } from './services/adjustments.ts';
import { startAlertWebhooks } from './services/alert-webhooks.ts';
import { OPEN_WARNING } from './services/health.ts';
import { createServices, type Services } from './services/index.ts';
import { RetentionService } from './services/retention.ts';
import { SqliteAdjustmentStore } from './storage/adjustment-store.ts';
import { startCheckpointer } from './storage/checkpointer.ts';
import { openCityDatabase } from './storage/city-database.ts';
import { closePrisma, openPrisma } from './storage/db.ts';
import { EventPurger } from './storage/event-purge.ts';
import { openGeoDatabase } from './storage/geo-database.ts';
import { KeyStore } from './storage/key-store.ts';
import type { QueryListener } from './storage/prisma.ts';
import { ReadStore } from './storage/read-store.ts';
import { PROFILE_WRITE_BACK_MS } from './storage/risk-profile-store.ts';
import { databasePath, openMigratedDatabase } from './storage/sqlite.ts';
import { SqliteTriage } from './storage/sqlite-triage.ts';
import { WebhookOutbox } from './storage/webhook-outbox.ts';
import { SqliteWriteStore } from './storage/write-store.ts';
import { VERSION } from './version.ts';

/** The migration that added users' stored verdicts: the first start after it fills them in from the profiles. */
const STANDING_MIGRATION = '20261202120000_user_standing';

export interface Api {
  server: Server;
  services: Services;
  /** The retention schedule, when RETENTION_DAYS is set. */
  retention: RetentionService | null;
  /** The GraphQL handler, callable in-process with `graphql.fetch(url, init)`. */
  graphql: GraphQLServer;
  /** Absolute path of the SQLite file in use. */
  databaseFile: string;
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

/** The configuration is unsafe to start with; the message says why and what to do. */
export class StartupRefused extends Error {}

export interface ApiOptions {
  /** Hears every SQL statement the read side runs (tests count them). */
  onQuery?: QueryListener;
}

/**
 * Builds the whole API on one database file: migrates it, opens the writer and
 * the Prisma readers, wires the services, REST, GraphQL (HTTP, SSE and
 * WebSocket) and live updates. Tests call this directly; main.ts only adds the
 * process around it.
 */
export function createApi(config: Config, logger: Logger, options: ApiOptions = {}): Api {
  const file = databasePath(config.databaseUrl);
  let migrated: string[] = [];
  const db = openMigratedDatabase(file, (applied) => {
    migrated = applied;
    logger.info('database migrated', { file, applied });
  });
  const keys = new KeyStore(db);
  const loopback = isLoopbackHost(config.host);
  const access = new AccessControl(keys, { loopback, allowOpenAccess: config.allowOpenAccess });
  const mode = access.mode();
  if (mode === 'locked') {
    db.close();
    throw new StartupRefused(
      loopback
        ? 'refusing to start: every API key has been revoked, and the API does not reopen by itself. ' +
            'Create one with `npm run keys -- create --role admin`, or set ALLOW_OPEN_ACCESS=true to run open on purpose.'
        : `refusing to start: HOST=${config.host} is reachable from other machines and no API key exists. ` +
            'Create one with `npm run keys -- create --role admin`, bind to 127.0.0.1, or set ALLOW_OPEN_ACCESS=true to run open on purpose.',
    );
  }
  if (mode === 'open') logger.warn('OPEN ACCESS', { host: config.host, warning: OPEN_WARNING });
  const checkpointer = startCheckpointer(db, logger);

  const geo = config.geoip ? openGeoDatabase() : NO_GEO;
  const store = new SqliteWriteStore(db, {
    onWriteBackError: (error) =>
      logger.warn('risk profile write-back failed; the profiles stay in memory', { error: (error as Error).message }),
  });
  // Trust, allow-lists and false positives in force, loaded once and kept current by the service.
  const adjustments = AdjustmentService.openSync(new SqliteAdjustmentStore(db, keys));
  const writer = new EventWriter(store, {
    geo,
    alertThreshold: config.alertThreshold,
    baseline: config.baseline,
    adjustments: adjustments.adjustments,
  });
  // Events committed after the last write-back before a crash or kill: their profiles are rebuilt first.
  const recovered = store.profiles.recover(geo);
  if (recovered.replayed + recovered.skipped > 0) logger.info('risk profiles caught up', recovered);
  if (migrated.includes(STANDING_MIGRATION)) {
    const withVerdict = store.storeVerdicts((userId) => verdictOf(store.profiles.read(userId))?.kind ?? null);
    logger.info('verdicts stored for the "at risk" order', { users: withVerdict });
  }
  const profileWriteBack = setInterval(() => {
    try {
      store.profiles.writeBack();
    } catch (error) {
      logger.warn('risk profile write-back failed; retrying', { error: (error as Error).message });
    }
  }, PROFILE_WRITE_BACK_MS).unref();
  writer.primeNetworkActivity(Date.now());
  const prisma = openPrisma(file, options.onQuery);
  const rows = new ReadStore(file, options.onQuery);
  const services = createServices({
    writer,
    // What else is kept of a deleted user (trust, feedback) goes in the deletion's transaction.
    triage: new SqliteTriage(store, keys, (userId) => adjustments.deleteUser(userId)),
    prisma,
    rows,
    profiles: store.profiles,
    ranks: store.ranks,
    access,
    adjustments,
    version: VERSION,
    maxQueuedEvents: config.maxQueuedEvents,
    // The city database is opened on the first event read that needs it (two file descriptors and a few MB).
    networks: { geo, openCities: config.geoip ? openCityDatabase : null },
    onListenerError: (error) => logger.error('after-commit listener failed', { error: (error as Error).stack }),
  });
  // Deleted or purged users' data must not linger in the WAL's older frames.
  services.admin.onUsersChanged(() => checkpointer.eraseWal());
  const bus = config.redisUrl === null ? SINGLE_NODE : new RedisBus(config.redisUrl, logger);
  const limits = config.redisUrl === null ? undefined : openRedis(config.redisUrl, logger, 'rate limits');
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
  const webhooks = startAlertWebhooks(config, services, new WebhookOutbox(db), logger);
  const retention =
    config.retentionDays === null
      ? null
      : new RetentionService({
          purger: new EventPurger(db, store.profiles, geo, store.ranks),
          audit: keys,
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
    databaseFile: file,
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
        await closePrisma();
        rows.close();
        clearInterval(profileWriteBack);
        try {
          store.profiles.writeBack();
        } catch (error) {
          // Nothing is lost: the next start replays these events into the profiles.
          logger.warn('risk profile write-back at close failed', { error: (error as Error).message });
        }
        await checkpointer.stop();
        db.close();
      })();
      return closing;
    },
  };
}
