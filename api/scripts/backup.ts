// `npm run backup -- <file>`: an online backup of the database (DATABASE_URL)
// to a new <file>, safe while the API runs and ingests. A worker thread runs
// VACUUM INTO, which copies one read snapshot: in WAL mode it never blocks
// the writer and, unlike SQLite's backup API (which starts over whenever
// another connection writes), never restarts, so it finishes under any
// ingest. The main thread reports progress on stderr, then checks the copy
// with integrity_check. The copy is a single file, readable by its owner only.
import { closeSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { isPostgresUrl, loadConfig } from '../src/config.ts';
import { BUSY_TIMEOUT_MS, databasePath } from '../src/storage/sqlite.ts';

/** How often progress is reported. */
const PROGRESS_MS = 1_000;

// Evaluated as a CommonJS worker, as the checkpointer's is: no file of its
// own, the same from source and from the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.source, { fileMustExist: true, timeout: workerData.busyTimeout });
  db.prepare('VACUUM INTO ?').run(workerData.destination);
  parentPort.postMessage({ done: true });
} catch (error) {
  parentPort.postMessage({ error: String((error && error.message) || error) });
} finally {
  if (db) db.close();
}
`;

const [target] = process.argv.slice(2);
if (target === undefined) {
  process.stderr.write('usage: npm run backup -- <backup file>\n');
  process.exit(2);
}
const { databaseUrl } = loadConfig();
if (isPostgresUrl(databaseUrl)) {
  process.stderr.write('DATABASE_URL is a PostgreSQL database: back it up with pg_dump (see docs/operations.md)\n');
  process.exit(2);
}
const source = databasePath(databaseUrl);
const started = Date.now();
let expected: number;
try {
  expected = usedBytes(source);
} catch (error) {
  process.stderr.write(`${source}: ${(error as Error).message}\n`);
  process.exit(1);
}
// Whatever SQLite creates beside the copy is private too.
process.umask(0o077);
const destination = resolve(target);
try {
  // Created here, empty and 0600, so the copy never exists with wider permissions; VACUUM INTO fills it.
  closeSync(openSync(destination, 'wx', 0o600));
} catch (error) {
  const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
  process.stderr.write(exists ? `${destination} exists: choose a new file\n` : `${(error as Error).message}\n`);
  process.exit(2);
}

const copied = await new Promise<string | null>((done) => {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      source,
      destination,
      busyTimeout: BUSY_TIMEOUT_MS,
    },
  });
  let reported = -1;
  const timer = setInterval(() => {
    const size = statSync(destination).size;
    // The copy leaves out free pages, so the source's used pages are an estimate: 99% until it is done.
    const percent = Math.min(99, Math.floor((size / expected) * 100));
    if (percent === reported) return;
    reported = percent;
    process.stderr.write(`backup: ${percent}% (${megabytes(size)} of about ${megabytes(expected)})\n`);
  }, PROGRESS_MS);
  worker.once('message', (message: { done?: true; error?: string }) => done(message.error ?? null));
  worker.once('error', (error) => done(error.message));
  worker.once('exit', () => clearInterval(timer));
});
if (copied !== null) {
  // A partial copy must not pass for a backup.
  rmSync(destination, { force: true });
  process.stderr.write(`backup failed: ${copied}\n`);
  process.exit(1);
}
// VACUUM INTO does not sync what it wrote: a backup must be on disk before it is called one.
const written = openSync(destination, 'r+');
fsyncSync(written);
closeSync(written);
process.stderr.write(`backup: 100% (${megabytes(statSync(destination).size)}); verifying\n`);

const copy = new Database(destination, { readonly: true });
const check = copy.pragma('integrity_check', { simple: true });
const events = (copy.prepare('SELECT count(*) AS n FROM "Event"').get() as { n: number }).n;
copy.close();
if (check !== 'ok') {
  process.stderr.write(`backup written but integrity_check says: ${String(check)}; keep the source's files\n`);
  process.exit(1);
}
process.stdout.write(
  `backed up ${source} to ${destination}: ${events} events, integrity ok, ${Date.now() - started} ms\n`,
);

/** The database's pages in use, about what the compacted copy will take. */
function usedBytes(file: string): number {
  const db = new Database(file, { fileMustExist: true, readonly: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    return Math.max(1, (pages - free) * (db.pragma('page_size', { simple: true }) as number));
  } finally {
    db.close();
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
