import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.ts';
import type { SqliteDatabase } from './sqlite.ts';

/**
 * Moves WAL checkpoints off the event loop. By default SQLite checkpoints
 * inside the commit that crosses 1,000 WAL pages: the writer stops to copy
 * pages into the database file and fsync it, which measured as most of a
 * small commit's cost. Here a worker thread with its own connection runs
 * PASSIVE checkpoints (they never block the writer) a few times a second.
 * Under steady writes a PASSIVE checkpoint never catches the WAL's end, so the
 * WAL would never restart; past `truncatePages` the worker runs a TRUNCATE
 * checkpoint right after a PASSIVE one, when few pages are left to copy. It
 * holds off new writers only that long, and gives up after a short busy
 * timeout rather than stall the writer (it tries again next time). Durability
 * is unchanged: a commit is durable once it is in the WAL, checkpointed or not.
 * After a deletion the WAL still holds the deleted rows' earlier versions
 * (secure_delete zeroes only the new ones): `eraseWal` asks for a TRUNCATE
 * checkpoint at once, retried each tick until no reader holds the WAL.
 */
export interface Checkpointer {
  /** Empties the WAL as soon as readers allow, so deleted data is left in neither file. */
  eraseWal(): void;
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs: number;
  truncatePages: number;
}

const DEFAULTS: CheckpointerOptions = { intervalMs: 250, truncatePages: 10_000 };

/** How long the worker's blocking checkpoint waits for the writer before trying again later. */
const CHECKPOINT_BUSY_MS = 100;

// Evaluated as a CommonJS worker, so it needs no file of its own and runs the
// same from source, from tests and from the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeout });
let timer;
let erase = false;
function tick() {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (erase || result.log > workerData.truncatePages) {
      const [truncated] = db.pragma('wal_checkpoint(TRUNCATE)');
      if (truncated.busy === 0) erase = false;
    }
  } catch (error) {
    // Busy: the writer held on; the next tick tries again.
    if (!error || error.code !== 'SQLITE_BUSY') parentPort.postMessage({ warning: String(error && error.message || error) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
}
parentPort.on('message', (message) => {
  clearTimeout(timer);
  if (message === 'erase') {
    erase = true;
    return tick();
  }
  db.close();
  process.exit(0);
});
tick();
`;

export function startCheckpointer(
  db: SqliteDatabase,
  logger: Logger,
  options: Partial<CheckpointerOptions> = {},
): Checkpointer {
  const { intervalMs, truncatePages } = { ...DEFAULTS, ...options };
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, file: db.name, busyTimeout: CHECKPOINT_BUSY_MS, intervalMs, truncatePages },
  });
  worker.unref();
  let stopping = false;
  // Until the worker is up (and again if it dies) the writer checkpoints itself.
  worker.once('online', () => {
    if (!stopping) db.pragma('wal_autocheckpoint = 0');
  });
  worker.on('message', (message: { warning?: string }) => {
    if (message.warning !== undefined) logger.warn('checkpoint failed', { error: message.warning });
  });
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
      if (!stopping) logger.warn('checkpoint worker stopped; the writer checkpoints again');
      resolve();
    });
  });
  worker.on('error', (error) => logger.error('checkpoint worker failed', { error: error.message }));
  return {
    eraseWal() {
      if (!stopping) worker.postMessage('erase');
    },
    stop() {
      stopping = true;
      worker.postMessage('stop');
      return exited;
    },
  };
}
