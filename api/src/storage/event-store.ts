import { applyEvent, emptyAggregate, type UserAggregate } from '../domain/aggregate.ts';
import type { NormalizedEvent } from '../domain/event-input.ts';
import { eventFactors } from '../domain/factors.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from '../domain/tokens.ts';
import type { SqliteDatabase } from './sqlite.ts';
import { fromUserRow, toUserParams, type UserRow } from './user-row.ts';

/** An event as it was committed. */
export interface StoredEvent {
  id: number;
  userId: string;
  eventId: string | null;
  kind: string;
  timestamp: number;
  receivedAt: number;
  ip: string | null;
  tokens: TokenSet;
  meta: Record<string, unknown>;
  /** The user's legacy drift score right after this event. */
  driftScore: number;
  /** Bitmask of the legacy risk factors this event raised (domain/factors.ts). */
  factors: number;
}

export interface WriteOutcome {
  /** Newly stored events, in request order. */
  stored: StoredEvent[];
  /** Events skipped because their event_id was already stored for that user. */
  duplicates: number;
  /** Every user the write changed: the aggregate after it and the drift score before (null for a new user). */
  users: UserChange[];
}

export interface UserChange {
  aggregate: UserAggregate;
  previousDriftScore: number | null;
}

/**
 * The write side of storage: the only code that writes events. It uses the raw
 * better-sqlite3 connection with prepared statements (Prisma's per-statement
 * cost dominates this path), one IMMEDIATE transaction per call, so an event
 * and the aggregates it changes commit together or not at all.
 */
export class EventStore {
  readonly #db: SqliteDatabase;
  readonly #selectUser;
  readonly #insertUser;
  readonly #findDuplicate;
  readonly #insertEvent;
  readonly #upsertToken;
  readonly #updateUser;
  readonly #write;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#selectUser = db.prepare<[string], UserRow>('SELECT * FROM "User" WHERE id = ?');
    this.#insertUser = db.prepare<[string, number, number, string]>(
      'INSERT INTO "User" (id, firstSeen, lastSeen, fingerprint) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
    );
    this.#findDuplicate = db.prepare<[string, string], { id: number }>(
      'SELECT id FROM "Event" WHERE userId = ? AND eventId = ?',
    );
    this.#insertEvent = db.prepare<unknown[], { id: number }>(
      `INSERT INTO "Event" (userId, eventId, kind, timestamp, receivedAt, browser, os, ip, ipClass, device, meta, driftScore, factors)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       RETURNING id`,
    );
    this.#upsertToken = db.prepare<[string, Dimension, string, number, number], { count: number }>(
      `INSERT INTO "UserToken" (userId, dimension, value, count, firstSeen, lastSeen) VALUES (?, ?, ?, 1, ?, ?)
       ON CONFLICT(userId, dimension, value) DO UPDATE
         SET count = count + 1, firstSeen = min(firstSeen, excluded.firstSeen), lastSeen = max(lastSeen, excluded.lastSeen)
       RETURNING count`,
    );
    this.#updateUser = db.prepare<Record<string, unknown>>(
      `UPDATE "User" SET
         eventCount = @eventCount, firstSeen = @firstSeen, lastSeen = @lastSeen,
         ipClassCount = @ipClassCount, osCount = @osCount, browserCount = @browserCount, deviceCount = @deviceCount,
         habitualBrowser = @habitualBrowser, habitualBrowserCount = @habitualBrowserCount,
         habitualOs = @habitualOs, habitualOsCount = @habitualOsCount,
         habitualDevice = @habitualDevice, habitualDeviceCount = @habitualDeviceCount,
         habitualIpClass = @habitualIpClass, habitualIpClassCount = @habitualIpClassCount,
         fingerprint = @fingerprint, stability = @stability,
         latestEventId = @latestEventId, latestAt = @latestAt, latestBrowser = @latestBrowser, latestOs = @latestOs,
         latestDevice = @latestDevice, latestIpClass = @latestIpClass,
         previousEventId = @previousEventId, previousAt = @previousAt, previousDevice = @previousDevice,
         driftScore = @driftScore
       WHERE id = @id`,
    );
    this.#write = db.transaction((events: readonly NormalizedEvent[], receivedAt: number) =>
      this.#writeAll(events, receivedAt),
    );
  }

  /** Stores the events atomically: all of them (less duplicates) or, on any error, none. */
  write(events: readonly NormalizedEvent[], receivedAt: number): WriteOutcome {
    return this.#write.immediate(events, receivedAt);
  }

  #writeAll(events: readonly NormalizedEvent[], receivedAt: number): WriteOutcome {
    const touched = new Map<string, UserChange>();
    const stored: StoredEvent[] = [];
    let duplicates = 0;
    for (const event of events) {
      const at = event.timestamp ?? receivedAt;
      if (event.eventId !== null && this.#findDuplicate.get(event.userId, event.eventId) !== undefined) {
        duplicates += 1;
        continue;
      }
      const change = touched.get(event.userId) ?? this.#loadOrCreate(event.userId, at);
      const before = change.aggregate;
      const { tokens } = event;
      const valueCounts: Partial<Record<Dimension, number>> = {};
      for (const dimension of DIMENSIONS) {
        const value = tokens[dimension];
        if (value === null) continue;
        valueCounts[dimension] = this.#upsertToken.get(event.userId, dimension, value, at, at)!.count;
      }
      // The event's id is only known after its insert, and the insert wants the
      // score after the event. A new row's id is larger than every stored one,
      // so a placeholder above them all orders it exactly as the real id will.
      const applied = { id: PENDING_ID, at, tokens, valueCounts };
      const factors = eventFactors(before, applied);
      const after = applyEvent(before, applied);
      const { id } = this.#insertEvent.get(
        event.userId,
        event.eventId,
        event.kind,
        at,
        receivedAt,
        tokens.browser,
        tokens.os,
        event.ip,
        tokens.ipClass,
        tokens.device,
        JSON.stringify(event.meta),
        after.driftScore,
        factors,
      )!;
      touched.set(event.userId, { ...change, aggregate: withRealId(after, id) });
      stored.push({ ...event, id, timestamp: at, receivedAt, driftScore: after.driftScore, factors });
    }
    const users = [...touched.values()];
    for (const { aggregate } of users) this.#updateUser.run(toUserParams(aggregate));
    return { stored, duplicates, users };
  }

  /** The user's aggregate as stored, or a new user's row; the change starts from its current score. */
  #loadOrCreate(userId: string, at: number): UserChange {
    const row = this.#selectUser.get(userId);
    if (row !== undefined) {
      const aggregate = fromUserRow(row);
      return { aggregate, previousDriftScore: aggregate.driftScore };
    }
    const fresh = emptyAggregate(userId, at);
    this.#insertUser.run(userId, at, at, fresh.fingerprint);
    return { aggregate: fresh, previousDriftScore: null };
  }

  /** Whether the database answers a query at all (for /health). */
  ping(): boolean {
    return this.#db.prepare('SELECT 1 AS ok').get() !== undefined;
  }
}

/** Stands in for the id of the event being written until its insert returns the real one. */
const PENDING_ID = Number.MAX_SAFE_INTEGER;

function withRealId(aggregate: UserAggregate, id: number): UserAggregate {
  const fix = <T extends { id: number } | null>(pointer: T): T =>
    pointer !== null && pointer.id === PENDING_ID ? { ...pointer, id } : pointer;
  return { ...aggregate, latest: fix(aggregate.latest), previous: fix(aggregate.previous) };
}
