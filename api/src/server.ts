import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { NO_GEO } from './domain/risk/observe.ts';
import { createLivePubSub } from './graphql/pubsub.ts';
import { attachWebSocket, createGraphQL, GRAPHQL_PATH, type GraphQLServer } from './graphql/yoga.ts';
import { createRequestListener } from './http/app.ts';
import type { Logger } from './logger.ts';
import { startAlertWebhooks } from './services/alert-webhooks.ts';
import { createServices, type Services } from './services/index.ts';
import { startCheckpointer } from './storage/checkpointer.ts';
import { closePrisma, openPrisma } from './storage/db.ts';
import { EventStore } from './storage/event-store.ts';
import { openGeoDatabase } from './storage/geo-database.ts';
import { applyMigrations } from './storage/migrations.ts';
import type { QueryListener } from './storage/prisma.ts';
import { ReadStore } from './storage/read-store.ts';
import { databasePath, openDatabase } from './storage/sqlite.ts';
import { VERSION } from './version.ts';

export interface Api {
  server: Server;
  services: Services;
  /** The GraphQL handler, callable in-process with `graphql.fetch(url, init)`. */
  graphql: GraphQLServer;
  /** Absolute path of the SQLite file in use. */
  databaseFile: string;
  /** Listens on the configured host and port (port 0 picks a free one); resolves with the address. */
  listen(): Promise<AddressInfo>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

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
  const db = openDatabase(file);
  const applied = applyMigrations(db);
  if (applied.length > 0) logger.info('database migrated', { file, applied });
  const checkpointer = startCheckpointer(db, logger);

  const store = new EventStore(db, {
    geo: config.geoip ? openGeoDatabase() : NO_GEO,
    alertThreshold: config.alertThreshold,
  });
  store.primeNetworkActivity(Date.now());
  const prisma = openPrisma(file, options.onQuery);
  const rows = new ReadStore(file, options.onQuery);
  const services = createServices({
    store,
    prisma,
    rows,
    version: VERSION,
    maxQueuedEvents: config.maxQueuedEvents,
    onListenerError: (error) => logger.error('after-commit listener failed', { error: (error as Error).stack }),
  });
  const live = createLivePubSub(services.ingest, services.alerts);
  const yoga = createGraphQL(
    {
      ingest: services.ingest,
      alerts: services.alerts,
      rows,
      pubsub: live.pubsub,
      logger,
      maxBatchEvents: config.maxBatchEvents,
      maxBodyBytes: config.maxBodyBytes,
    },
    { introspection: config.introspection, graphiql: config.graphiql },
  );
  const server = createServer(
    createRequestListener(
      services,
      {
        corsOrigin: config.corsOrigin,
        maxBodyBytes: config.maxBodyBytes,
        maxBatchEvents: config.maxBatchEvents,
        maxInFlight: config.maxInFlight,
        maxInFlightBytes: config.maxInFlightBytes,
      },
      logger,
      [{ path: GRAPHQL_PATH, handle: yoga }],
    ),
  );
  const closeWebSocket = attachWebSocket(server, yoga);
  const webhooks = startAlertWebhooks(config, services, logger);

  let closing: Promise<void> | undefined;
  return {
    server,
    services,
    graphql: yoga,
    databaseFile: file,
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
        webhooks?.close();
        await closeWebSocket();
        if (server.listening) {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
            // Open SSE subscriptions never finish on their own.
            setTimeout(() => server.closeAllConnections(), 2000).unref();
          });
        }
        await closePrisma();
        rows.close();
        await checkpointer.stop();
        db.close();
      })();
      return closing;
    },
  };
}
