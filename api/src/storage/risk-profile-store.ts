import type { GeoLookup } from '../domain/risk/observe.ts';
import { advanceProfile, copyProfile, emptyProfile, type RiskProfile, upgradeProfile } from '../domain/risk/profile.ts';
import { observeStored, type StoredEventRow } from './consistency.ts';
import type { SqliteDatabase } from './sqlite.ts';

export interface RiskProfileStoreOptions {
  /**
   * Profiles held in memory. Reaching it writes the changed ones back and
   * drops the older half; about 2 KB each.
   */
  capacity?: number;
  /**
   * A write-back at capacity failed (the database busy or full). The write
   * that reached capacity has committed and stands; the profiles stay held,
   * and the next write or timer tries again.
   */
  onWriteBackError?: (error: unknown) => void;
}

export const DEFAULT_PROFILE_CAPACITY = 5_000;
/** Changed profiles are written back at least this often (and at capacity, and at close). */
export const PROFILE_WRITE_BACK_MS = 1000;

interface Held {
  profile: RiskProfile;
  /** Changed since it was last written back. */
  changed: boolean;
}

/**
 * The v2 risk profiles, kept in the writer's memory and written back in
 * batches instead of with every event. Each event dirtied a page of the
 * profile table in its own commit; written back a few thousand at a time,
 * profiles that share a page share its write, and a user seen again before
 * the write-back is not read, parsed or written at all.
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
export class RiskProfileStore {
  readonly #held = new Map<string, Held>();
  readonly #capacity: number;
  readonly #onWriteBackError: (error: unknown) => void;
  readonly #select;
  readonly #upsert;
  readonly #writeBack;
  readonly #db: SqliteDatabase;
  #changed = 0;

  constructor(db: SqliteDatabase, options: RiskProfileStoreOptions = {}) {
    this.#db = db;
    this.#capacity = options.capacity ?? DEFAULT_PROFILE_CAPACITY;
    this.#onWriteBackError =
      options.onWriteBackError ??
      ((error) => {
        throw error;
      });
    this.#select = db.prepare<[string], string>('SELECT profile FROM "UserRiskProfile" WHERE userId = ?').pluck();
    this.#upsert = db.prepare<[string, string]>(
      'INSERT INTO "UserRiskProfile" (userId, profile) VALUES (?, ?) ON CONFLICT(userId) DO UPDATE SET profile = excluded.profile',
    );
    const setCheckpoint = db.prepare(
      `INSERT INTO "RiskProfileCheckpoint" (id, throughEventId) SELECT 1, coalesce(max(id), 0) FROM "Event" WHERE true
       ON CONFLICT(id) DO UPDATE SET throughEventId = excluded.throughEventId`,
    );
    this.#writeBack = db.transaction(() => {
      const written = this.writeBackWithin();
      setCheckpoint.run();
      return written;
    });
  }

  /** Profiles changed in memory and not yet written back. */
  get unwritten(): number {
    return this.#changed;
  }

  /**
   * The user's profile for the writer to advance: its own copy, so a write
   * that rolls back leaves the held profile as it was.
   */
  read(userId: string): RiskProfile {
    const held = this.#held.get(userId);
    if (held !== undefined) return copyProfile(held.profile);
    const stored = this.#select.get(userId);
    return stored === undefined ? emptyProfile() : upgradeProfile(JSON.parse(stored));
  }

  /** After a commit: the profiles it moved. At capacity, writes back and drops the older half. */
  committed(profiles: Iterable<[string, RiskProfile]>): void {
    for (const [userId, profile] of profiles) {
      const held = this.#held.get(userId);
      if (held === undefined) {
        this.#held.set(userId, { profile, changed: true });
        this.#changed += 1;
      } else {
        if (!held.changed) this.#changed += 1;
        held.profile = profile;
        held.changed = true;
      }
    }
    if (this.#held.size < this.#capacity) return;
    try {
      this.writeBack();
    } catch (error) {
      this.#onWriteBackError(error);
    }
  }

  /** Writes every changed profile back with the checkpoint, in one transaction. Returns how many. */
  writeBack(): number {
    const written = this.#changed > 0 ? this.#writeBack.immediate() : [];
    this.markWritten(written);
    // Oldest first in the Map's order: the users held longest go, recent ones stay warm.
    let excess = this.#held.size - Math.floor(this.#capacity / 2);
    for (const userId of this.#held.keys()) {
      if (excess <= 0) break;
      this.#held.delete(userId);
      excess -= 1;
    }
    return written.length;
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
      this.#upsert.run(userId, JSON.stringify(held.profile));
      written.push(userId);
    }
    return written;
  }

  /** After the transaction that wrote them back has committed. */
  markWritten(userIds: readonly string[]): void {
    for (const userId of userIds) {
      const held = this.#held.get(userId);
      if (held === undefined || !held.changed) continue;
      held.changed = false;
      this.#changed -= 1;
    }
  }

  /** Drops users whose profile was deleted or rebuilt in storage. */
  forget(userIds: Iterable<string>): void {
    for (const userId of userIds) {
      const held = this.#held.get(userId);
      if (held === undefined) continue;
      if (held.changed) this.#changed -= 1;
      this.#held.delete(userId);
    }
  }

  /**
   * At start: replays every event after the checkpoint into its user's
   * profile, in the order stored, then writes them back. Returns how many
   * events it replayed.
   */
  recover(geo: GeoLookup): number {
    // Held profiles already hold the events after the checkpoint: replaying them again would count them twice.
    if (this.#held.size > 0) throw new Error('RiskProfileStore.recover() runs at start, before any write');
    const through =
      this.#db.prepare<[], number>('SELECT throughEventId FROM "RiskProfileCheckpoint" WHERE id = 1').pluck().get() ??
      0;
    const events = this.#db
      .prepare<[number], StoredEventRow>(
        'SELECT userId, eventId, kind, timestamp, meta FROM "Event" WHERE id > ? ORDER BY id',
      )
      .raw();
    const replayed = new Map<string, RiskProfile>();
    let count = 0;
    for (const row of events.iterate(through)) {
      const observation = observeStored(row, geo);
      if (observation === null) continue;
      const userId = row[0];
      const profile = replayed.get(userId) ?? this.read(userId);
      advanceProfile(profile, observation);
      replayed.set(userId, profile);
      count += 1;
    }
    this.committed(replayed);
    this.writeBack();
    return count;
  }
}
