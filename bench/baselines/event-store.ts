import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NormalizedEvent, parseLegacyEvent } from '../../api/src/domain/event-input.ts';
import { EventWriter } from '../../api/src/ingest/write.ts';
import { openMigratedDatabase } from '../../api/src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../api/src/storage/write-store.ts';
import { Workload } from '../workload.ts';

/**
 * Our own write path alone: the API's EventWriter on its SQLite write store,
 * writing the same 1,000-event batches with no HTTP, JSON or validation in the
 * timed loop, and no checkpoint (as in raw-sqlite.ts). Each event is an event row plus four token-count
 * upserts and the user's aggregate: what the batch ingest row is bounded by.
 * Prints `{ eventsPerSecond }`.
 */
const [events = 200_000, batch = 1000, users = 10_000, seed = 7] = process.argv.slice(2).map(Number);

const dir = mkdtempSync(join(tmpdir(), 'persona-drift-store-'));
try {
  const db = openMigratedDatabase(join(dir, 'store.db'));
  const store = new EventWriter(new SqliteWriteStore(db));
  const workload = new Workload(seed);
  const batches: NormalizedEvent[][] = [];
  for (let at = 0; at < events; at += batch) {
    batches.push(
      workload.batch(Math.min(batch, events - at), users).map((event) => {
        const parsed = parseLegacyEvent(event);
        if (!parsed.ok) throw new Error(`workload event rejected: ${JSON.stringify(parsed.issues)}`);
        return parsed.value;
      }),
    );
  }
  db.pragma('wal_autocheckpoint = 0');
  const started = process.hrtime.bigint();
  for (const slice of batches) store.write(slice, Date.now());
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  process.stdout.write(`${JSON.stringify({ events, batch, seconds, eventsPerSecond: events / seconds })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
