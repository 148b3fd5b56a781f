import type { Config } from '../config.ts';
import { NO_GEO } from '../domain/risk/observe.ts';
import { verdictOf } from '../domain/risk/verdict.ts';
import { EventWriter } from '../ingest/write.ts';
import type { Logger } from '../logger.ts';
import { AdjustmentService } from '../services/adjustments.ts';
import { SqliteAdjustmentStore } from '../storage/adjustment-store.ts';
import { startCheckpointer } from '../storage/checkpointer.ts';
import { closePrisma, openPrisma } from '../storage/db.ts';
import { EventPurger } from '../storage/event-purge.ts';
import { openGeoDatabase } from '../storage/geo-database.ts';
import { KeyStore } from '../storage/key-store.ts';
import { ReadStore } from '../storage/read-store.ts';
import { PROFILE_WRITE_BACK_MS } from '../storage/risk-profile-store.ts';
import { databasePath, openMigratedDatabase } from '../storage/sqlite.ts';
import { SqliteTriage } from '../storage/sqlite-triage.ts';
import { WebhookOutbox } from '../storage/webhook-outbox.ts';
import { SqliteWriteStore } from '../storage/write-store.ts';
import { accessFor, type Engine, type EngineOptions } from './engine.ts';

/** The migration that added users' stored verdicts: the first start after it fills them in from the profiles. */
const STANDING_MIGRATION = '20261202120000_user_standing';

/**
 * Embedded SQLite: the database file, created and migrated if need be, one
 * writer connection, risk profiles held in memory and written back in batches
 * (those of events committed after the last write-back are replayed first),
 * WAL checkpoints on a worker thread.
 */
export function openSqliteEngine(config: Config, logger: Logger, options: EngineOptions = {}): Engine {
  const file = databasePath(config.databaseUrl);
  let migrated: string[] = [];
  const db = openMigratedDatabase(file, (applied) => {
    migrated = applied;
    logger.info('database migrated', { file, applied });
  });
  const keys = new KeyStore(db);
  let access: Engine['access'];
  try {
    access = accessFor(keys, config, logger);
  } catch (error) {
    db.close();
    throw error;
  }
  if (config.redisUrl !== null) {
    logger.warn(
      "REDIS_URL with an SQLite file: the file is one node's; several nodes need DATABASE_URL=postgresql://…",
    );
  }
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
  return {
    database: file,
    access,
    writer: { async: false, writer },
    // What else is kept of a deleted user (trust, feedback) goes in the deletion's transaction.
    triage: new SqliteTriage(store, keys, (userId) => adjustments.deleteUser(userId)),
    prisma,
    rows,
    profiles: store.profiles,
    ranks: store.ranks,
    searchMode: 'default',
    adjustments,
    geo,
    outbox: new WebhookOutbox(db),
    purger: new EventPurger(db, store.profiles, geo, store.ranks),
    audit: keys,
    userDeleted: () => {},
    // Deleted or purged users' data must not linger in the WAL's older frames.
    usersChanged: () => checkpointer.eraseWal(),
    refreshNetworkActivity: async () => writer.primeNetworkActivity(Date.now()),
    async close() {
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
    },
  };
}
