import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIp } from '../../api/src/domain/ip.ts';
import { openMigratedDatabase } from '../../api/src/storage/sqlite.ts';
import { Workload } from '../workload.ts';

/**
 * The storage limit: raw better-sqlite3 inserting the same event rows into the
 * same table (same schema, indexes, WAL, synchronous=NORMAL) with a prepared
 * statement, `BATCH` rows per transaction, with no checkpoint inside the timed
 * loop (the API checkpoints on another thread). Prints `{ rowsPerSecond }`.
 */
const [rows = 200_000, batch = 1000, users = 10_000, seed = 7] = process.argv.slice(2).map(Number);

const dir = mkdtempSync(join(tmpdir(), 'persona-drift-raw-'));
try {
  const db = openMigratedDatabase(join(dir, 'raw.db'));
  const workload = new Workload(seed);
  // Rows are prepared before the clock starts: this measures storage alone.
  const now = Date.now();
  const rowValues = Array.from({ length: rows }, () => {
    const e = workload.anyUser(users);
    const { browser, os, ip, device } = e.meta;
    const parsed = parseIp(ip);
    return [
      e.user_id,
      null,
      e.kind,
      e.timestamp ?? now,
      now,
      browser,
      os,
      parsed?.address ?? null,
      parsed?.ipClass ?? null,
      device,
      JSON.stringify(e.meta),
      0,
      0,
    ];
  });

  const insertUser = db.prepare(
    'INSERT OR IGNORE INTO "User" (id, firstSeen, lastSeen, fingerprint) VALUES (?, 0, 0, ?)',
  );
  db.transaction(() => {
    for (let n = 0; n < users; n += 1) insertUser.run(`user-${n}`, '');
  })();

  const insert = db.prepare(
    `INSERT INTO "Event" (userId, eventId, kind, timestamp, receivedAt, browser, os, ip, ipClass, device, meta, driftScore, factors)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMany = db.transaction((slice: typeof rowValues) => {
    for (const values of slice) insert.run(values);
  });
  db.pragma('wal_autocheckpoint = 0');
  const started = process.hrtime.bigint();
  for (let at = 0; at < rowValues.length; at += batch) insertMany(rowValues.slice(at, at + batch));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  process.stdout.write(`${JSON.stringify({ rows, batch, seconds, rowsPerSecond: rows / seconds })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
