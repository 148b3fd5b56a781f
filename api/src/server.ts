import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { createRequestListener } from './http/app.ts';
import type { Logger } from './logger.ts';
import { createServices, type Services } from './services/index.ts';
import { EventStore } from './storage/event-store.ts';
import { applyMigrations } from './storage/migrations.ts';
import { createPrismaClient } from './storage/prisma.ts';
import { databasePath, openDatabase } from './storage/sqlite.ts';
import { VERSION } from './version.ts';

export interface Api {
  server: Server;
  services: Services;
  /** Absolute path of the SQLite file in use. */
  databaseFile: string;
  /** Listens on the configured host and port (port 0 picks a free one); resolves with the address. */
  listen(): Promise<AddressInfo>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

/**
 * Builds the whole API on one database file: migrates it, opens the writer and
 * the Prisma readers, wires the services and the HTTP listener. Tests call this
 * directly; main.ts only adds the process around it.
 */
export function createApi(config: Config, logger: Logger): Api {
  const file = databasePath(config.databaseUrl);
  const db = openDatabase(file);
  const applied = applyMigrations(db);
  if (applied.length > 0) logger.info('database migrated', { file, applied });

  const prisma = createPrismaClient(file);
  const services = createServices({ store: new EventStore(db), prisma, version: VERSION });
  const server = createServer(
    createRequestListener(
      services,
      { corsOrigin: config.corsOrigin, maxBodyBytes: config.maxBodyBytes, maxBatchEvents: config.maxBatchEvents },
      logger,
    ),
  );

  let closing: Promise<void> | undefined;
  return {
    server,
    services,
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
        if (server.listening) {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
        }
        await prisma.$disconnect();
        db.close();
      })();
      return closing;
    },
  };
}
