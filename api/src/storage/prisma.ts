import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { BUSY_TIMEOUT_MS } from './sqlite.ts';

export type { PrismaClient };

/**
 * The Prisma client used for reads. Timestamps are epoch milliseconds in the
 * database (see prisma/schema.prisma), which the raw writer also writes.
 */
export function createPrismaClient(path: string): PrismaClient {
  const adapter = new PrismaBetterSqlite3({ url: path, timeout: BUSY_TIMEOUT_MS }, { timestampFormat: 'unixepoch-ms' });
  return new PrismaClient({ adapter });
}
