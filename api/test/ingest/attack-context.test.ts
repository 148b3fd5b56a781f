import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NormalizedEvent, parseLegacyEvent } from '../../src/domain/event-input.ts';
import { NO_GEO } from '../../src/domain/risk/observe.ts';
import type { Signal } from '../../src/domain/risk/signals.ts';
import { EventWriter } from '../../src/ingest/write.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';

let tmp: ReturnType<typeof tempDir>;
const open: SqliteDatabase[] = [];

beforeEach(() => {
  tmp = tempDir();
});

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  tmp.cleanup();
});

/** A writer on the database file, as the API builds one at start (the attack window rebuilt at `now`). */
function start(file: string, now: number): EventWriter {
  const db = openMigratedDatabase(join(tmp.dir, file));
  open.push(db);
  const store = new SqliteWriteStore(db);
  store.profiles.recover(NO_GEO);
  const writer = new EventWriter(store);
  writer.primeNetworkActivity(now);
  return writer;
}

/** Stops as a crash would: the committed events are all the next start has. */
function crash(): void {
  for (const db of open.splice(0)) db.close();
}

const MINUTE = 60_000;
const T = Date.UTC(2026, 2, 2, 18);
const RIG = '185.220.101.7';

function event(userId: string, timestamp: number, success: boolean, ip = RIG): NormalizedEvent {
  const parsed = parseLegacyEvent({
    user_id: userId,
    kind: 'login',
    timestamp,
    meta: { ip, success, browser: 'chrome' },
  });
  if (!parsed.ok) throw new Error('invalid event');
  return parsed.value;
}

function stuffingOf(signals: readonly Signal[]): Signal | undefined {
  return signals.find((signal) => signal.name === 'credential_stuffing');
}

describe('the attack window after a restart', () => {
  it('is rebuilt from the events whose times fall in the window before the newest, however long ago they were received', () => {
    const first = start('restart.db', T);
    // Twelve accounts fail from one IP within two minutes of event time; a producer delivers them two hours late.
    const failures = Array.from({ length: 12 }, (_, index) => event(`victim-${index}`, T + index * 10_000, false));
    // Older failures from the same IP, outside the window before the newest event: not part of the run.
    const older = Array.from({ length: 5 }, (_, index) => event(`earlier-${index}`, T - 30 * MINUTE + index, false));
    first.write([...older, ...failures], T + 120 * MINUTE);
    crash();

    // The API comes back an hour later: nothing was received in the last ten minutes.
    const restarted = start('restart.db', T + 180 * MINUTE);
    const { stored } = restarted.write([event('victim-3', T + 3 * MINUTE, true)], T + 181 * MINUTE);
    const stuffing = stuffingOf(stored[0]?.signals ?? []);
    expect(stuffing?.score).toBe(0.85);
    expect(stuffing?.evidence).toMatchObject({ source: 'ip', network: RIG, failingNewAccounts: 12, accounts: 12 });
  });

  it('counts what the running writer counted', () => {
    const failures = Array.from({ length: 8 }, (_, index) => event(`victim-${index}`, T + index * 10_000, false));
    const success = event('victim-8', T + 2 * MINUTE, true);
    const running = start('running.db', T);
    running.write(failures, T);
    const live = stuffingOf(running.write([success], T).stored[0]?.signals ?? []);
    crash();

    const before = start('rebuilt.db', T);
    before.write(failures, T);
    crash();
    const rebuilt = start('rebuilt.db', T + 60 * MINUTE);
    const after = stuffingOf(rebuilt.write([success], T + 60 * MINUTE).stored[0]?.signals ?? []);
    expect(live?.evidence.failingNewAccounts).toBe(8);
    expect(after).toEqual(live);
  });
});
