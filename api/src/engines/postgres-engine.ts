import pg from 'pg';
import type { Config } from '../config.ts';
import { NO_GEO } from '../domain/risk/observe.ts';
import { emptyProfile } from '../domain/risk/profile.ts';
import { EventWriter } from '../ingest/write.ts';
import type { Logger } from '../logger.ts';
import { AdjustmentService } from '../services/adjustments.ts';
import { closePrisma, usePrisma } from '../storage/db.ts';
import { openGeoDatabase } from '../storage/geo-database.ts';
import { PostgresAdjustmentStore } from '../storage/postgres/adjustment-store.ts';
import { PostgresEventPurger } from '../storage/postgres/event-purge.ts';
import { PostgresKeyStore } from '../storage/postgres/key-store.ts';
import { applyPostgresMigrations } from '../storage/postgres/migrations.ts';
import { PostgresRankWalks } from '../storage/postgres/rank-walks.ts';
import { PostgresReadStore } from '../storage/postgres/read-store.ts';
import { PostgresTriageStore } from '../storage/postgres/triage-store.ts';
import { PostgresWebhookOutbox } from '../storage/postgres/webhook-outbox.ts';
import { PostgresWriteStore } from '../storage/postgres/write-store.ts';
import { createPostgresPrismaClient } from '../storage/prisma.ts';
import { accessFor, type Engine, type EngineOptions } from './engine.ts';

/** Sessions one node keeps open to PostgreSQL. */
const POOL_SIZE = 10;
/** How long a node waits for a session, and for a statement's answer, before it answers 503. */
const CONNECT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 30_000;
/** How often a node reads the trust, allow-list and false positives in force again: changes through other nodes. */
export const ADJUSTMENTS_RELOAD_MS = 2_000;
/** How often a node drops expired walks through the rankings and the moves no walk needs (one node at a time). */
const RANK_PRUNE_MS = 5_000;

/** The server and database of a PostgreSQL URL, without its credentials: what the log names. */
export function describePostgres(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * PostgreSQL, which several API nodes may share: migrated on first start
 * (under an advisory lock: nodes starting together migrate once), every
 * store on one pool of the node. Every commit writes its users' risk
 * profiles, so nothing is held in memory to write back; keys and adjustments
 * changed through other nodes are read again every second or two.
 */
export async function openPostgresEngine(config: Config, logger: Logger, options: EngineOptions = {}): Promise<Engine> {
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: POOL_SIZE,
    // A server that stops answering (cut off, half-open after a failover) fails requests with a 503
    // within seconds instead of holding them, and every session, until the system's TCP timeout.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  // An idle session the server ended (restart, failover) is dropped by the pool; unheard, its 'error' would end the process.
  pool.on('error', (error) => logger.warn('PostgreSQL session lost', { error: error.message }));
  const opened: Array<() => unknown> = [];
  try {
    const applied = await applyPostgresMigrations(pool);
    if (applied.length > 0)
      logger.info('database migrated', { database: describePostgres(config.databaseUrl), applied });
    const keys = await PostgresKeyStore.open(pool, (error) =>
      logger.warn('API keys not read again; the last copy is used', { error: error.message }),
    );
    opened.push(() => keys.stop());
    const access = accessFor(keys, config, logger);
    const geo = config.geoip ? openGeoDatabase() : NO_GEO;
    const adjustments = await AdjustmentService.open(new PostgresAdjustmentStore(pool));
    const reload = setInterval(() => {
      adjustments.reload().catch((error: Error) => logger.warn('adjustments not read again', { error: error.message }));
    }, ADJUSTMENTS_RELOAD_MS).unref();
    opened.push(() => clearInterval(reload));
    const writer = new EventWriter(new PostgresWriteStore(pool), {
      geo,
      alertThreshold: config.alertThreshold,
      baseline: config.baseline,
      adjustments: adjustments.adjustments,
    });
    const rows = new PostgresReadStore(pool, options.onQuery);
    await primeNetworkActivity(writer, rows);
    const prisma = usePrisma(await createPostgresPrismaClient(pool, options.onQuery));
    opened.push(() => closePrisma());
    const walks = new PostgresRankWalks(pool);
    const rankPrune = setInterval(() => {
      walks.prune().catch((error: Error) => logger.warn('ranking history not pruned', { error: error.message }));
    }, RANK_PRUNE_MS).unref();
    opened.push(() => clearInterval(rankPrune));
    return {
      database: describePostgres(config.databaseUrl),
      access,
      writer: { async: true, writer },
      triage: new PostgresTriageStore(pool),
      prisma,
      rows,
      profiles: rows,
      // Kept in the database: every commit writes its moves there, whichever node made it.
      ranks: walks,
      searchMode: 'insensitive',
      adjustments,
      geo,
      outbox: new PostgresWebhookOutbox(pool),
      purger: new PostgresEventPurger(pool, geo),
      audit: keys,
      // The deletion's transaction removed their trust and feedback: this node forgets them now.
      userDeleted: (userId) => adjustments.forgetUser(userId),
      usersChanged: () => {},
      refreshNetworkActivity: () => primeNetworkActivity(writer, rows),
      async close() {
        clearInterval(reload);
        clearInterval(rankPrune);
        keys.stop();
        await closePrisma();
        await pool.end();
      },
    };
  } catch (error) {
    for (const close of opened.reverse())
      await Promise.resolve()
        .then(close)
        .catch(() => {});
    await pool.end().catch(() => {});
    throw error;
  }
}

/** The attack-context window from the newest stored events, with their users' stored profiles. */
async function primeNetworkActivity(writer: EventWriter<PostgresWriteStore>, rows: PostgresReadStore): Promise<void> {
  const now = Date.now();
  const recent = await rows.recentAddressEvents(writer.activityWindowMs, now + writer.activityWindowMs);
  const profiles = await rows.readMany([...new Set(recent.map(([id]) => id))]);
  writer.primeNetworkActivityFrom(recent, (userId) => profiles.get(userId) ?? emptyProfile(), now);
}
