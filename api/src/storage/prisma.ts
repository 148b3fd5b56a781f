import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type pg from 'pg';
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

/**
 * A Prisma client for reads on PostgreSQL, on the node's pool. A client is
 * generated per engine (each works only with its schema's provider) from the
 * same models, so the read side types it as the SQLite one. Loaded only when
 * PostgreSQL is used: the embedded default never pays for it.
 */
export async function createPostgresPrismaClient(pool: pg.Pool, onQuery?: QueryListener): Promise<PrismaClient> {
  const [{ PrismaPg }, { PrismaClient: PostgresPrismaClient }] = await Promise.all([
    import('@prisma/adapter-pg'),
    import('../generated/prisma-postgresql/client.ts'),
  ]);
  const adapter = new PrismaPg(pool);
  if (onQuery === undefined) return new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  const client = new PostgresPrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => onQuery(event.query));
  return client as unknown as PrismaClient;
}
