import { applyEvent, emptyAggregate, type UserAggregate } from '../domain/aggregate.ts';
import type { NormalizedEvent } from '../domain/event-input.ts';
import { eventFactors } from '../domain/factors.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from '../domain/tokens.ts';
import type { SqliteDatabase } from './sqlite.ts';
import { fromUserRow, fromUserValues, toUserValues, USER_COLUMNS } from './user-row.ts';

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

/** One request in a group commit. */
export interface WriteRequest {
  events: readonly NormalizedEvent[];
  receivedAt: number;
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
  readonly #writeGroup;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    const columns = USER_COLUMNS.map((column) => `"${column}"`);
    this.#selectUser = db.prepare<[string], unknown[]>(`SELECT ${columns.join(', ')} FROM "User" WHERE id = ?`).raw();
    this.#insertUser = db.prepare<[string, number, number, string]>(
      'INSERT INTO "User" (id, firstSeen, lastSeen, fingerprint) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
    );
    this.#findDuplicate = db
      .prepare<[string, string], number>('SELECT id FROM "Event" WHERE userId = ? AND eventId = ?')
      .pluck();
    this.#insertEvent = db.prepare<unknown[]>(
      `INSERT INTO "Event" (userId, eventId, kind, timestamp, receivedAt, browser, os, ip, ipClass, device, meta, driftScore, factors)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#upsertToken = db
      .prepare<[string, Dimension, string, number, number], number>(
        `INSERT INTO "UserToken" (userId, dimension, value, count, firstSeen, lastSeen) VALUES (?, ?, ?, 1, ?, ?)
         ON CONFLICT(userId, dimension, value) DO UPDATE
           SET count = count + 1, firstSeen = min(firstSeen, excluded.firstSeen), lastSeen = max(lastSeen, excluded.lastSeen)
         RETURNING count`,
      )
      .pluck();
    const [, ...updated] = columns;
    this.#updateUser = db.prepare<unknown[]>(
      `UPDATE "User" SET (${updated.join(', ')}) = (${updated.map(() => '?').join(', ')}) WHERE id = ?`,
    );
    this.#write = db.transaction((events: readonly NormalizedEvent[], receivedAt: number) =>
      this.#writeAll(events, receivedAt),
    );
    // No savepoint per request: they cost more than the writes themselves.
    // A failing member fails the group; GroupCommit then retries each request
    // on its own, so one bad request still cannot take the others down.
    this.#writeGroup = db.transaction((requests: readonly WriteRequest[]) =>
      requests.map(({ events, receivedAt }) => this.#writeAll(events, receivedAt)),
    );
  }

  /** Stores the events atomically: all of them (less duplicates) or, on any error, none. */
  write(events: readonly NormalizedEvent[], receivedAt: number): WriteOutcome {
    return this.#write.immediate(events, receivedAt);
  }

  /**
   * Group commit: stores several requests in one transaction, sharing one
   * commit (one WAL append), which is where single-event ingest spends most of
   * its time. All or nothing: on any error none of them is stored.
   */
  writeGroup(requests: readonly WriteRequest[]): WriteOutcome[] {
    return this.#writeGroup.immediate(requests);
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
        valueCounts[dimension] = this.#upsertToken.get(event.userId, dimension, value, at, at) as number;
      }
      // The event's id is only known after its insert, and the insert wants the
      // score after the event. A new row's id is larger than every stored one,
      // so a placeholder above them all orders it exactly as the real id will.
      const applied = { id: PENDING_ID, at, tokens, valueCounts };
      const factors = eventFactors(before, applied);
      const after = applyEvent(before, applied);
      const { lastInsertRowid } = this.#insertEvent.run(
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
      );
      const id = Number(lastInsertRowid);
      touched.set(event.userId, { ...change, aggregate: withRealId(after, id) });
      stored.push({ ...event, id, timestamp: at, receivedAt, driftScore: after.driftScore, factors });
    }
    const users = [...touched.values()];
    for (const { aggregate } of users) {
      const [id, ...rest] = toUserValues(aggregate);
      this.#updateUser.run(...rest, id);
    }
    return { stored, duplicates, users };
  }

  /** The user's aggregate as stored, or a new user's row; the change starts from its current score. */
  #loadOrCreate(userId: string, at: number): UserChange {
    const values = this.#selectUser.get(userId);
    if (values !== undefined) {
      const aggregate = fromUserRow(fromUserValues(values));
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
