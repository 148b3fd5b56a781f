import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.ts';
import { BUSY_TIMEOUT_MS, type SqliteDatabase } from './sqlite.ts';

/**
 * Moves WAL checkpoints off the event loop. By default SQLite checkpoints
 * inside the commit that crosses 1,000 WAL pages: the writer stops to copy
 * pages into the database file and fsync it, which measured as most of a
 * small commit's cost. Here a worker thread with its own connection runs
 * PASSIVE checkpoints (they never block the writer) a few times a second, and
 * a RESTART checkpoint when the WAL has grown past `restartPages` so it cannot
 * grow without bound under steady writes. Durability is unchanged: a commit is
 * durable once it is in the WAL, checkpointed or not.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs: number;
  restartPages: number;
}

const DEFAULTS: CheckpointerOptions = { intervalMs: 250, restartPages: 50_000 };

// Evaluated as a CommonJS worker, so it needs no file of its own and runs the
// same from source, from tests and from the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeout });
let timer;
function tick() {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result.log > workerData.restartPages) db.pragma('wal_checkpoint(RESTART)');
  } catch (error) {
    parentPort.postMessage({ warning: String(error && error.message || error) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
}
parentPort.on('message', () => {
  clearTimeout(timer);
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
  const { intervalMs, restartPages } = { ...DEFAULTS, ...options };
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, file: db.name, busyTimeout: BUSY_TIMEOUT_MS, intervalMs, restartPages },
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
    stop() {
      stopping = true;
      worker.postMessage('stop');
      return exited;
    },
  };
}
