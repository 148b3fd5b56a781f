import type { GeoLookup } from '../domain/risk/observe.ts';
import { advanceProfile, emptyProfile, type RiskProfile } from '../domain/risk/profile.ts';
import { decodeProfile, encodeProfile } from '../domain/risk/stored-profile.ts';
import { observeStored, type StoredEventRow, storedSignalNames } from './consistency.ts';
import type { ProfileRebuilds, ProfileWrites } from './ports.ts';
import type { SqliteDatabase } from './sqlite.ts';

export interface RiskProfileStoreOptions {
  /**
   * Profiles held in memory. Reaching it writes the changed ones back and
   * drops the older half; about 1–2 KB each (held as stored, see
   * stored-profile.ts: about 0.7 KB plus 0.1–0.15 KB per persona).
   */
  capacity?: number;
  /**
   * A write-back at capacity failed (the database busy or full). The write
   * that reached capacity has committed and stands (it must not look failed:
   * its producer would send it again); the profiles stay held, and the timer,
   * or the next write after WRITE_BACK_RETRY_MS, tries again.
   */
  onWriteBackError?: (error: unknown) => void;
}

const DEFAULT_PROFILE_CAPACITY = 4_000;
/** Changed profiles are written back at least this often (and at capacity, and at close). */
export const PROFILE_WRITE_BACK_MS = 1000;
/** After a failed write-back at capacity, writes go on without trying again for this long. */
const WRITE_BACK_RETRY_MS = 1000;
/** Events read per page while recovering. */
const RECOVERY_PAGE = 1000;

/**
 * A held profile is its stored JSON (stored-profile.ts). Held as objects,
 * each took several KB of heap in a hundred or more objects that lived long
 * enough to reach the old generation and then died there (every event
 * replaced its user's): twice the old-generation garbage per request of the
 * code before v2. As one string it takes 1–2 KB, and the objects the writer
 * advances die young.
 */
interface Held {
  json: string;
  /** Changed since it was last written back. */
  changed: boolean;
}

/**
 * The v2 risk profiles, kept in the writer's memory and written back in
 * batches instead of with every event. Each event dirtied a page of the
 * profile table in its own commit; written back up to 4,000 at a time,
 * profiles that share a page share its write, and a user seen again before
 * the write-back is not read back or written.
 *
 * A profile is derived data: the events are the record, committed before
 * they are acknowledged. The checkpoint row says which events the stored
 * profiles hold; `recover()` replays the later ones at start, so after a
 * crash every profile, and every score after it, is what it would have been.
 *
 * Only the writer connection reads or writes profiles, on one thread:
 * nothing commits between a write-back's reading of the newest event id and
 * its commit.
 */
export class RiskProfileStore implements ProfileWrites, ProfileRebuilds {
  readonly #held = new Map<string, Held>();
  readonly #capacity: number;
  readonly #onWriteBackError: (error: unknown) => void;
  #retryAt = 0;
  readonly #select;
  readonly #upsert;
  readonly #writeBack;
  readonly #setCheckpoint;
  readonly #newestEvent;
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase, options: RiskProfileStoreOptions = {}) {
    this.#db = db;
    this.#capacity = options.capacity ?? DEFAULT_PROFILE_CAPACITY;
    this.#onWriteBackError = options.onWriteBackError ?? (() => {});
    this.#select = db.prepare<[string], string>('SELECT profile FROM "UserRiskProfile" WHERE userId = ?').pluck();
    this.#upsert = db.prepare<[string, string]>(
      'INSERT INTO "UserRiskProfile" (userId, profile) VALUES (?, ?) ON CONFLICT(userId) DO UPDATE SET profile = excluded.profile',
    );
    this.#setCheckpoint = db.prepare<[number]>(
      `INSERT INTO "RiskProfileCheckpoint" (id, throughEventId) VALUES (1, ?)
       ON CONFLICT(id) DO UPDATE SET throughEventId = excluded.throughEventId`,
    );
    // Event ids are AUTOINCREMENT: never reused, so every later event is above the checkpoint.
    this.#newestEvent = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM "Event"').pluck();
    this.#writeBack = db.transaction((through: number | null) => {
      const written = this.writeBackWithin();
      this.#setCheckpoint.run(through ?? (this.#newestEvent.get() as number));
      return written;
    });
  }

  /** Profiles changed in memory and not yet written back. */
  get unwritten(): number {
    let changed = 0;
    for (const held of this.#held.values()) if (held.changed) changed += 1;
    return changed;
  }

  /**
   * The user's profile for the writer to advance: its own copy, so a write
   * that rolls back leaves the held profile as it was.
   */
  read(userId: string): RiskProfile {
    const held = this.#held.get(userId);
    const json = held?.json ?? this.#select.get(userId);
    return json === undefined ? emptyProfile() : decodeProfile(JSON.parse(json));
  }

  /** After a commit: the profiles it moved. At capacity, writes back and drops the older half. */
  committed(profiles: ReadonlyMap<string, RiskProfile>): void {
    this.#hold(profiles);
    if (this.#held.size < this.#capacity || Date.now() < this.#retryAt) return;
    try {
      this.writeBack();
    } catch (error) {
      this.#retryAt = Date.now() + WRITE_BACK_RETRY_MS;
      this.#onWriteBackError(error);
    }
  }

  /**
   * Writes every changed profile back with the checkpoint, in one
   * transaction, then trims the held ones to half the capacity. Returns how
   * many it wrote. `through`: the newest event the profiles hold, when not
   * every stored event (recovery, part way); the checkpoint moves to it even
   * if no profile changed (a page of events that no longer parse).
   */
  writeBack(through: number | null = null): number {
    try {
      const written = through !== null || this.unwritten > 0 ? this.#writeBack.immediate(through) : [];
      this.markWritten(written);
      return written.length;
    } finally {
      // Even when the write failed, unchanged profiles go: memory stays bounded by the changed ones.
      this.#trim();
    }
  }

  /** Drops unchanged profiles, least recently changed first, down to half the capacity. */
  #trim(): void {
    let excess = this.#held.size - Math.floor(this.#capacity / 2);
    for (const [userId, held] of this.#held) {
      if (excess <= 0) break;
      if (held.changed) continue;
      this.#held.delete(userId);
      excess -= 1;
    }
  }

  /**
   * Writes the changed profiles inside the caller's transaction (retention's
   * purge, which then rewrites some and moves the checkpoint itself) and
   * returns their users, for `markWritten` once it has committed.
   */
  writeBackWithin(): string[] {
    const written: string[] = [];
    for (const [userId, held] of this.#held) {
      if (!held.changed) continue;
      this.#upsert.run(userId, held.json);
      written.push(userId);
    }
    return written;
  }

  /**
   * Inside the caller's transaction (retention's purge, after
   * `writeBackWithin`): stores profiles rebuilt from all their user's events
   * and moves the checkpoint to the newest event, which every stored profile
   * now holds. After the commit, the caller forgets these users.
   */
  storeRebuiltWithin(rebuilt: ReadonlyMap<string, RiskProfile>): void {
    for (const [userId, profile] of rebuilt) this.#upsert.run(userId, JSON.stringify(encodeProfile(profile)));
    this.#setCheckpoint.run(this.#newestEvent.get() as number);
  }

  /** After the transaction that wrote them back has committed. */
  markWritten(userIds: readonly string[]): void {
    for (const userId of userIds) {
      const held = this.#held.get(userId);
      if (held !== undefined) held.changed = false;
    }
  }

  /** Drops users whose profile was deleted or rebuilt in storage. */
  forget(userIds: Iterable<string>): void {
    for (const userId of userIds) this.#held.delete(userId);
  }

  /**
   * At start: replays every event after the checkpoint into its user's
   * profile, in the order stored, writing them back (and moving the
   * checkpoint) a page of RECOVERY_PAGE events at a time. Replay uses this build's
   * parsing and IP databases: had they changed since the events were
   * ingested, the replayed profiles follow the new ones. Events whose stored
   * form no longer parses are skipped and counted.
   */
  recover(geo: GeoLookup): { replayed: number; skipped: number } {
    // Held profiles already hold the events after the checkpoint: replaying them again would count them twice.
    if (this.#held.size > 0) throw new Error('RiskProfileStore.recover() runs at start, before any write');
    const page = this.#db
      .prepare<[number, number], [number, ...StoredEventRow]>(
        'SELECT id, userId, eventId, kind, timestamp, meta, signals FROM "Event" WHERE id > ? ORDER BY id LIMIT ?',
      )
      .raw();
    let after = this.#db
      .prepare<[], number>('SELECT throughEventId FROM "RiskProfileCheckpoint" WHERE id = 1')
      .pluck()
      .get();
    if (after === undefined) {
      // No record of what the stored profiles hold (the row was deleted, or a
      // partial restore): rebuild every profile from all the events.
      this.#db.transaction(() => this.#db.prepare('DELETE FROM "UserRiskProfile"').run()).immediate();
      after = 0;
    }
    const outcome = { replayed: 0, skipped: 0 };
    for (;;) {
      const rows = page.all(after, RECOVERY_PAGE);
      if (rows.length === 0) break;
      const replayed = new Map<string, RiskProfile>();
      for (const [id, ...row] of rows) {
        after = id;
        const observation = observeStored(row, geo);
        if (observation === null) {
          outcome.skipped += 1;
          continue;
        }
        const userId = row[0];
        const profile = replayed.get(userId) ?? this.read(userId);
        advanceProfile(profile, observation, storedSignalNames(row[5]));
        replayed.set(userId, profile);
        outcome.replayed += 1;
      }
      this.#hold(replayed);
      // The rows and the checkpoint move together: a crash during recovery resumes from here.
      this.writeBack(after);
    }
    return outcome;
  }

  #hold(profiles: ReadonlyMap<string, RiskProfile>): void {
    for (const [userId, profile] of profiles) {
      // Re-inserted, so the Map stays in least-recently-changed order for the trim.
      this.#held.delete(userId);
      this.#held.set(userId, { json: JSON.stringify(encodeProfile(profile)), changed: true });
    }
  }
}
