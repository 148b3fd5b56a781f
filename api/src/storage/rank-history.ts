import { randomBytes } from 'node:crypto';
import type { RankWalks } from './ports.ts';

/** A user's values in every order `users` can be ranked by. */
export interface RankValues {
  attention: number;
  riskKey: number;
  driftScore: number;
  lastSeen: number;
  eventCount: number;
  verdict: string | null;
}

/** What a user's values were before one commit changed them; null for a user the commit created. */
export type RankChange = readonly [userId: string, before: RankValues | null];

interface Entry {
  seq: number;
  userId: string;
  before: RankValues | null;
}

/** A walk is kept alive this long after its last page. */
export const WALK_IDLE_MS = 15 * 60_000;
/** A first page nobody has turned yet (a dashboard's refresh, mostly) is kept this long. */
export const FIRST_PAGE_IDLE_MS = 2 * 60_000;
/** At most this many changes are remembered; past it the oldest walks must restart. */
export const MAX_ENTRIES = 200_000;

/**
 * Lets a walk through the ranked users see every user exactly once while
 * their scores change: a walk ranks users by their values as of its first
 * page. The writer reports, after each commit, the values the commit changed
 * from; a page then ranks each user changed since the walk began by the
 * values it had then, and everyone else by the stored ones (which have not
 * moved). Changes are only remembered while some walk is going on, so ingest
 * pays nothing for it otherwise.
 *
 * Held in this process: a walk's cursors are good on the node that began it,
 * until it restarts or the walk has been idle for 15 minutes (2 minutes
 * before its second page). (PostgreSQL keeps its history in the database
 * that every node writes its moves to: postgres/rank-walks.ts.)
 */
export class RankHistory implements RankWalks {
  /** Tells this process's cursors from another's (or an earlier run's). */
  readonly epoch = randomBytes(6).toString('base64url');
  #seq = 0;
  /** Changes up to this sequence number are not remembered. */
  #floor = 0;
  #entries: Entry[] = [];
  /** Walks going on: the sequence number each began at, when it last turned a page, and whether it went past the first. */
  readonly #walks = new Map<number, { lastUsed: number; turned: boolean }>();

  /** Whether changes are wanted now: a walk is going on (the writer need not collect them otherwise). */
  get remembering(): boolean {
    return this.#walks.size > 0;
  }

  /** After a commit: the users it changed and what from. */
  record(changes: Iterable<RankChange>, now: number): void {
    this.#seq += 1;
    if (!this.#walking(now)) {
      this.#entries = [];
      this.#floor = this.#seq;
      return;
    }
    for (const [userId, before] of changes) this.#entries.push({ seq: this.#seq, userId, before });
    this.#prune();
  }

  /** Starts a walk; returns the point it sees the users as of. */
  begin(now: number): number {
    const walk = this.#walks.get(this.#seq);
    this.#walks.set(this.#seq, { lastUsed: now, turned: walk?.turned ?? false });
    return this.#seq;
  }

  /** Continues a walk begun at `asOf`; false when what it needs is no longer remembered. */
  resume(asOf: number, now: number): boolean {
    if (asOf < this.#floor || asOf > this.#seq || !this.#walks.has(asOf)) return false;
    this.#walks.set(asOf, { lastUsed: now, turned: true });
    return true;
  }

  /** Every user changed since `asOf`, with the values they had then (null: created since). */
  changedSince(asOf: number): Map<string, RankValues | null> {
    const changed = new Map<string, RankValues | null>();
    for (let i = this.#firstAfter(asOf); i < this.#entries.length; i += 1) {
      const entry = this.#entries[i] as Entry;
      if (!changed.has(entry.userId)) changed.set(entry.userId, entry.before);
    }
    return changed;
  }

  #walking(now: number): boolean {
    for (const [asOf, { lastUsed, turned }] of this.#walks) {
      if (now - lastUsed > (turned ? WALK_IDLE_MS : FIRST_PAGE_IDLE_MS)) this.#walks.delete(asOf);
    }
    return this.#walks.size > 0;
  }

  /** Forgets what no walk can need: changes before the oldest walk, and the oldest past the bound. */
  #prune(): void {
    let oldest = this.#seq;
    for (const asOf of this.#walks.keys()) oldest = Math.min(oldest, asOf);
    let drop = this.#firstAfter(oldest);
    if (this.#entries.length - drop > MAX_ENTRIES) {
      drop = this.#entries.length - MAX_ENTRIES;
      this.#floor = Math.max(this.#floor, (this.#entries[drop - 1] as Entry).seq);
    }
    if (drop > 0) this.#entries = this.#entries.slice(drop);
    // A walk idle too long and forgotten may have begun earlier: it must restart.
    this.#floor = Math.max(this.#floor, oldest);
    // Walks that can no longer resume must not hold changes back for others.
    for (const asOf of this.#walks.keys()) if (asOf < this.#floor) this.#walks.delete(asOf);
  }

  /** Index of the first entry with a sequence number above `seq`. */
  #firstAfter(seq: number): number {
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.#entries[mid] as Entry).seq <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
