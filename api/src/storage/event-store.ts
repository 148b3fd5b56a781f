import { applyEvent, emptyAggregate, type UserAggregate } from '../domain/aggregate.ts';
import type { NormalizedEvent } from '../domain/event-input.ts';
import { eventFactors } from '../domain/factors.ts';
import { ipScope } from '../domain/risk/network.ts';
import { NetworkActivityWindow } from '../domain/risk/network-activity.ts';
import { type GeoLookup, NO_GEO, observe } from '../domain/risk/observe.ts';
import { advanceProfile, emptyProfile, type RiskProfile } from '../domain/risk/profile.ts';
import {
  nextUserRisk,
  type RiskLevel,
  riskLevel,
  type Score,
  scoreEvent,
  type UserRisk,
} from '../domain/risk/score.ts';
import type { Signal } from '../domain/risk/signals.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from '../domain/tokens.ts';
import { RiskProfileStore } from './risk-profile-store.ts';
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
  /** v2 risk of this event, 0–100, and the signals behind it (strongest first). */
  risk: number;
  signals: Signal[];
}

/** An alert the write opened or extended. */
export interface AlertChange {
  id: number;
  userId: string;
  opened: boolean;
  score: number;
  level: RiskLevel;
}

export interface WriteOutcome {
  /** Newly stored events, in request order. */
  stored: StoredEvent[];
  /** Events skipped because their event_id was already stored for that user. */
  duplicates: number;
  /** Every user the write changed: the aggregate after it and the drift score before (null for a new user). */
  users: UserChange[];
  alerts: AlertChange[];
}

/** One request in a group commit. */
export interface WriteRequest {
  events: readonly NormalizedEvent[];
  receivedAt: number;
}

export interface UserChange {
  aggregate: UserAggregate;
  previousDriftScore: number | null;
  /** The user's v2 risk after the write (null until the first v2-scored event). */
  risk: UserRisk | null;
}

/** Options of the v2 risk model on the write path. */
export interface RiskOptions {
  geo?: GeoLookup;
  /** An event at or above this v2 risk opens (or extends) an alert. */
  alertThreshold?: number;
  activity?: NetworkActivityWindow;
  /** Risk profiles held in the writer's memory between write-backs (RiskProfileStore). */
  profileCapacity?: number;
  onProfileWriteBackError?: (error: unknown) => void;
}

export const DEFAULT_ALERT_THRESHOLD = 70;

/** What one write keeps per user between its events. */
interface UserState {
  change: UserChange;
  profile: RiskProfile;
  /** The user's open or acknowledged alert: undefined until looked up, null if none. */
  alert: OpenAlert | null | undefined;
}

interface OpenAlert {
  id: number;
  score: number;
  /** The strongest signal of each name so far. */
  signals: Map<string, Signal>;
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
  readonly #writeGroup;
  readonly #selectOpenAlert;
  readonly #insertAlert;
  readonly #updateAlert;
  readonly #setAlertStatus;
  readonly #countUserEvents;
  readonly #deleteUser;
  readonly #geo: GeoLookup;
  readonly #alertThreshold: number;
  readonly #activity: NetworkActivityWindow;
  /** The v2 profiles: held in memory, written back in batches, replayed after a crash. */
  readonly profiles: RiskProfileStore;

  constructor(db: SqliteDatabase, risk: RiskOptions = {}) {
    this.#db = db;
    this.#geo = risk.geo ?? NO_GEO;
    this.#alertThreshold = risk.alertThreshold ?? DEFAULT_ALERT_THRESHOLD;
    this.#activity = risk.activity ?? new NetworkActivityWindow();
    this.profiles = new RiskProfileStore(db, {
      capacity: risk.profileCapacity,
      onWriteBackError: risk.onProfileWriteBackError,
    });
    const columns = USER_COLUMNS.map((column) => `"${column}"`);
    // risk and riskAt ride along at the end of the user row, read and written positionally.
    this.#selectUser = db
      .prepare<[string], unknown[]>(`SELECT ${columns.join(', ')}, risk, riskAt FROM "User" WHERE id = ?`)
      .raw();
    this.#selectOpenAlert = db
      .prepare<[string], [number, number, string]>(
        `SELECT id, score, signals FROM "Alert" WHERE userId = ? AND status != 'resolved' ORDER BY id DESC LIMIT 1`,
      )
      .raw();
    this.#insertAlert = db.prepare<unknown[]>(
      `INSERT INTO "Alert" (userId, status, score, level, signals, firstEventId, lastEventId, firstAt, lastAt, events, createdAt, updatedAt)
       VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    this.#updateAlert = db.prepare<unknown[]>(
      `UPDATE "Alert" SET score = ?, level = ?, signals = ?, lastEventId = ?, lastAt = max(lastAt, ?), events = events + 1, updatedAt = ?
       WHERE id = ?`,
    );
    this.#setAlertStatus = db
      .prepare<[string, number, number], string>(
        'UPDATE "Alert" SET status = ?, updatedAt = ? WHERE id = ? RETURNING userId',
      )
      .pluck();
    this.#countUserEvents = db.prepare<[string], number>('SELECT eventCount FROM "User" WHERE id = ?').pluck();
    this.#deleteUser = db.prepare<[string]>('DELETE FROM "User" WHERE id = ?');
    this.#insertUser = db.prepare<[string, number, number, string]>(
      'INSERT INTO "User" (id, firstSeen, lastSeen, fingerprint) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
    );
    this.#findDuplicate = db
      .prepare<[string, string], number>('SELECT id FROM "Event" WHERE userId = ? AND eventId = ?')
      .pluck();
    this.#insertEvent = db.prepare<unknown[]>(
      `INSERT INTO "Event" (userId, eventId, kind, timestamp, receivedAt, browser, os, ip, ipClass, device, meta, driftScore, factors, risk, signals)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      `UPDATE "User" SET (${updated.join(', ')}, risk, riskAt) = (${updated.map(() => '?').join(', ')}, ?, ?) WHERE id = ?`,
    );
    // No savepoint per request: they cost more than the writes themselves.
    // A failing member fails the group; GroupCommit then retries each request
    // on its own, so one bad request still cannot take the others down.
    this.#writeGroup = db.transaction((requests: readonly WriteRequest[], profiles: Profiles) =>
      requests.map(({ events, receivedAt }) => this.#writeAll(events, receivedAt, profiles)),
    );
  }

  /** Stores the events atomically: all of them (less duplicates) or, on any error, none. */
  write(events: readonly NormalizedEvent[], receivedAt: number): WriteOutcome {
    return this.writeGroup([{ events, receivedAt }])[0] as WriteOutcome;
  }

  /**
   * Group commit: stores several requests in one transaction, sharing one
   * commit (one WAL append), which is where single-event ingest spends most of
   * its time. All or nothing: on any error none of them is stored.
   */
  writeGroup(requests: readonly WriteRequest[]): WriteOutcome[] {
    const profiles: Profiles = new Map();
    const outcomes = this.#writeGroup.immediate(requests, profiles);
    this.profiles.committed(profiles);
    return outcomes;
  }

  /** `profiles`: the transaction's profiles so far, handed to the profile store once it commits. */
  #writeAll(events: readonly NormalizedEvent[], receivedAt: number, profiles: Profiles): WriteOutcome {
    const touched = new Map<string, UserState>();
    const stored: StoredEvent[] = [];
    const alerts = new Map<number, AlertChange>();
    let duplicates = 0;
    for (const event of events) {
      const at = event.timestamp ?? receivedAt;
      if (event.eventId !== null && this.#findDuplicate.get(event.userId, event.eventId) !== undefined) {
        duplicates += 1;
        continue;
      }
      const state = touched.get(event.userId) ?? this.#loadOrCreate(event.userId, at, profiles);
      touched.set(event.userId, state);
      const before = state.change.aggregate;
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
      const assessment = this.#assess(state, event, at, receivedAt);
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
        assessment.risk,
        JSON.stringify(assessment.signals),
      );
      const id = Number(lastInsertRowid);
      state.change = { ...state.change, aggregate: withRealId(after, id) };
      if (assessment.risk >= this.#alertThreshold) {
        const alert = this.#raiseAlert(state, event.userId, id, at, assessment, receivedAt);
        const earlier = alerts.get(alert.id);
        alerts.set(alert.id, earlier === undefined ? alert : { ...alert, opened: earlier.opened || alert.opened });
      }
      stored.push({
        ...event,
        id,
        timestamp: at,
        receivedAt,
        driftScore: after.driftScore,
        factors,
        risk: assessment.risk,
        signals: assessment.signals,
      });
    }
    const users: UserChange[] = [];
    for (const [userId, { change, profile }] of touched) {
      const [id, ...rest] = toUserValues(change.aggregate);
      this.#updateUser.run(...rest, change.risk?.score ?? 0, change.risk?.at ?? null, id);
      profiles.set(userId, profile);
      users.push(change);
    }
    return { stored, duplicates, users, alerts: [...alerts.values()] };
  }

  /** Scores the event with the v2 model and moves the user's profile and risk past it. */
  #assess(state: UserState, event: NormalizedEvent, at: number, receivedAt: number): Score {
    const observation = observe(event, at, this.#geo);
    const { network } = observation;
    const isPublic = network.scope === 'public';
    // Private subnets are shared by unrelated homes: only public addresses count as attack context.
    const activity = this.#activity.observe({
      userId: event.userId,
      // A producer's clock years ahead must not make its IP's window expire every real event after it.
      at: Math.min(at, receivedAt + this.#activity.windowMs),
      ip: isPublic ? network.ip : null,
      subnet: isPublic ? network.subnet : null,
      failed: observation.outcome === 'failure',
    });
    const assessment = scoreEvent(state.profile, observation, activity);
    // The profile was read for this write alone: it is ours to advance.
    advanceProfile(state.profile, observation);
    state.change = { ...state.change, risk: nextUserRisk(state.change.risk, assessment.risk, at) };
    return assessment;
  }

  /** Opens an alert for the user, or extends the open one with this event. */
  #raiseAlert(
    state: UserState,
    userId: string,
    eventId: number,
    at: number,
    assessment: Score,
    now: number,
  ): AlertChange {
    if (state.alert === undefined) {
      const row = this.#selectOpenAlert.get(userId);
      state.alert =
        row === undefined ? null : { id: row[0], score: row[1], signals: signalMap(JSON.parse(row[2]) as Signal[]) };
    }
    const open = state.alert;
    if (open === null) {
      const signals = signalMap(assessment.signals);
      const { lastInsertRowid } = this.#insertAlert.run(
        userId,
        assessment.risk,
        assessment.level,
        alertSignalsJson(signals),
        eventId,
        eventId,
        at,
        at,
        now,
        now,
      );
      state.alert = { id: Number(lastInsertRowid), score: assessment.risk, signals };
      return { id: state.alert.id, userId, opened: true, score: assessment.risk, level: assessment.level };
    }
    for (const signal of assessment.signals) {
      const known = open.signals.get(signal.name);
      if (known === undefined || signal.score > known.score) open.signals.set(signal.name, signal);
    }
    open.score = Math.max(open.score, assessment.risk);
    const level = riskLevel(open.score);
    this.#updateAlert.run(open.score, level, alertSignalsJson(open.signals), eventId, at, now, open.id);
    return { id: open.id, userId, opened: false, score: open.score, level };
  }

  /** The user's aggregate and v2 profile as stored, or a new user's; the change starts from the current scores. */
  #loadOrCreate(userId: string, at: number, profiles: Profiles): UserState {
    const values = this.#selectUser.get(userId);
    if (values !== undefined) {
      const aggregate = fromUserRow(fromUserValues(values.slice(0, USER_COLUMNS.length)));
      const [risk, riskAt] = values.slice(USER_COLUMNS.length) as [number, number | null];
      return {
        change: {
          aggregate,
          previousDriftScore: aggregate.driftScore,
          risk: riskAt === null ? null : { score: risk, at: riskAt },
        },
        // An earlier request of the same group may have moved it already.
        profile: profiles.get(userId) ?? this.profiles.read(userId),
        alert: undefined,
      };
    }
    const fresh = emptyAggregate(userId, at);
    this.#insertUser.run(userId, at, at, fresh.fingerprint);
    return {
      change: { aggregate: fresh, previousDriftScore: null, risk: null },
      profile: emptyProfile(),
      alert: null,
    };
  }

  /**
   * Refills the attack-context window from the newest stored events, so a
   * restart does not forget an IP that was just touching many accounts.
   */
  primeNetworkActivity(now: number): void {
    const since = now - this.#activity.windowMs;
    const recent = this.#db
      .prepare<[number], [string, string | null, string | null, number]>(
        `SELECT userId, ip, ipClass, timestamp FROM "Event"
         WHERE id > (SELECT coalesce(max(id), 0) - ${PRIME_EVENTS} FROM "Event") AND receivedAt >= ? AND ip IS NOT NULL
         ORDER BY id`,
      )
      .raw()
      .all(since);
    for (const [userId, ip, subnet, at] of recent) {
      if (ip === null || ipScope(ip) !== 'public') continue;
      this.#activity.observe({ userId, at: Math.min(at, now + this.#activity.windowMs), ip, subnet, failed: false });
    }
  }

  /**
   * Deletes everything stored about one user (events, token counts, risk
   * profile, alerts: the foreign keys cascade) and runs `alsoInTransaction`
   * (the audit entry) in the same transaction. Null when there is no such user.
   */
  deleteUser(userId: string, alsoInTransaction: (events: number) => void): { events: number } | null {
    const deleted = this.#db
      .transaction(() => {
        const events = this.#countUserEvents.get(userId);
        if (events === undefined) return null;
        this.#deleteUser.run(userId);
        alsoInTransaction(events);
        return { events };
      })
      .immediate();
    if (deleted !== null) {
      this.#activity.forget(userId);
      this.profiles.forget([userId]);
    }
    return deleted;
  }

  /** Triage: sets an alert's status; null when there is no such alert. */
  setAlertStatus(id: number, status: string, now: number): { userId: string } | null {
    const userId = this.#setAlertStatus.get(status, now, id);
    return userId === undefined ? null : { userId };
  }

  /** Whether the database answers a query at all (for /health). */
  ping(): boolean {
    return this.#db.prepare('SELECT 1 AS ok').get() !== undefined;
  }
}

function signalMap(signals: readonly Signal[]): Map<string, Signal> {
  return new Map(signals.map((signal) => [signal.name, signal]));
}

/** Alert.signals as stored: strongest first, so readers take it as it is. */
function alertSignalsJson(signals: Map<string, Signal>): string {
  return JSON.stringify([...signals.values()].sort((a, b) => b.score - a.score));
}

/** The profiles a transaction moved, by user. */
type Profiles = Map<string, RiskProfile>;

/** Newest events read back into the attack-context window at start. */
const PRIME_EVENTS = 50_000;

/** Stands in for the id of the event being written until its insert returns the real one. */
const PENDING_ID = Number.MAX_SAFE_INTEGER;

function withRealId(aggregate: UserAggregate, id: number): UserAggregate {
  const fix = <T extends { id: number } | null>(pointer: T): T =>
    pointer !== null && pointer.id === PENDING_ID ? { ...pointer, id } : pointer;
  return { ...aggregate, latest: fix(aggregate.latest), previous: fix(aggregate.previous) };
}
