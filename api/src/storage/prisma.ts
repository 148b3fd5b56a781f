import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { BUSY_TIMEOUT_MS } from './sqlite.ts';

export type { PrismaClient };

/** Hears every SQL statement Prisma runs (tests count them to catch N+1 regressions). */
export type QueryListener = (sql: string) => void;

/**
 * A Prisma client for reads. Timestamps are epoch milliseconds in the database
 * (see prisma/schema.prisma), which the raw writer also writes.
 */
export function createPrismaClient(path: string, onQuery?: QueryListener): PrismaClient {
  const adapter = new PrismaBetterSqlite3({ url: path, timeout: BUSY_TIMEOUT_MS }, { timestampFormat: 'unixepoch-ms' });
  if (onQuery === undefined) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => onQuery(event.query));
  return client;
}
