import type { UserAggregate } from '../../domain/aggregate.ts';
import { type ActiveAlert, type AlertFindings, alertSignals } from '../../domain/alert-policy.ts';
import type { AlertRecord } from '../../domain/risk/alert-export.ts';
import { emptyProfile, type RiskProfile } from '../../domain/risk/profile.ts';
import type { RiskLevel, UserRisk } from '../../domain/risk/score.ts';
import type { Signal } from '../../domain/risk/signals.ts';
import { NO_RISK_KEY, type Standing } from '../../domain/risk/standing.ts';
import { decodeProfile } from '../../domain/risk/stored-profile.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from '../../domain/tokens.ts';
import type { AlertEvent, EventWrite, IngestTransaction, WriterUser } from '../ports.ts';
import { WRITER_USER_COLUMNS, writerUserOf, writerUserValues } from '../user-row.ts';

/** A User row's values in WRITER_USER_COLUMNS order (DateTime columns as epoch ms). */
export type UserValues = readonly unknown[];

export interface TokenCount {
  userId: string;
  dimension: Dimension;
  value: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

/** A user's active alert as stored: its signals as their JSON. */
export interface StoredAlert {
  id: number;
  userId: string;
  score: number;
  signals: string;
}

/** A new Alert row (status open). */
export type AlertRow = Omit<AlertRecord, 'status' | 'signals' | 'source'> & {
  /** As stored: JSON. */
  signals: string;
};

/** What the transaction's events did to an alert stored before it. */
export interface AlertUpdate {
  id: number;
  score: number;
  level: RiskLevel;
  signals: string;
  lastEventId: number;
  /** The latest event time among the updates; the stored lastAt wins when later. */
  lastAt: number;
  /** Events added to the alert's count. */
  added: number;
  updatedAt: number;
}

/**
 * What a transaction read under its users' locks before its work ran. Every
 * map holds each of the batch's keys, so a question about anything else is
 * refused instead of answered from nothing.
 */
export interface Prefetched {
  /** The batch's users: each one's stored row, or null when not stored. */
  users: ReadonlyMap<string, UserValues | null>;
  /** The batch's event keys (`eventKey`): whether each is stored already. */
  events: ReadonlyMap<string, boolean>;
  /** The batch's tokens (`tokenKey`): each one's stored count, or null when the user never had it. */
  tokens: ReadonlyMap<string, TokenCount | null>;
  /** The active alert of each batch user that has one. */
  alerts: ReadonlyMap<string, StoredAlert>;
  /** The stored profile JSON of each batch user that has one. */
  profiles: ReadonlyMap<string, string>;
  /** Ids drawn from the sequences for the events and alerts the transaction may insert, ascending. */
  eventIds: readonly number[];
  alertIds: readonly number[];
}

// NUL separates the parts: PostgreSQL's text cannot hold one, so no stored id or value contains it.
export function eventKey(userId: string, eventId: string): string {
  return `${userId}\u0000${eventId}`;
}

export function tokenKey(userId: string, dimension: Dimension, value: string): string {
  return `${userId}\u0000${dimension}\u0000${value}`;
}

/**
 * An ingest transaction answered from what was read before it began, and
 * recording what it writes for one flush: the write path's scoring runs on
 * it synchronously, as on SQLite, and the store writes the records after.
 * Each answer is what SqliteWriteStore's statements would give at that
 * point of the same transaction.
 */
export class PrefetchedTransaction implements IngestTransaction {
  readonly #read: Prefetched;
  /** Each batch user's row as it stands in this transaction. */
  readonly #rows: Map<string, UserValues | null>;
  readonly #active: Map<string, StoredAlert>;
  /** The active alerts as read, by id. */
  readonly #storedAlerts: ReadonlyMap<number, StoredAlert>;
  /** Users this transaction inserted, and those it saved: whose rows the flush inserts or updates. */
  readonly inserted = new Set<string>();
  readonly saved = new Set<string>();
  /** Every token this transaction counted, as it leaves them. */
  readonly tokens = new Map<string, TokenCount>();
  readonly events: Array<{ id: number; write: EventWrite }> = [];
  /** Keys of the events this transaction inserted. */
  readonly #added = new Set<string>();
  readonly newAlerts = new Map<number, AlertRow>();
  readonly alertUpdates = new Map<number, AlertUpdate>();
  #eventIds = 0;
  #alertIds = 0;

  constructor(read: Prefetched) {
    this.#read = read;
    this.#rows = new Map(read.users);
    this.#active = new Map(read.alerts);
    this.#storedAlerts = new Map([...read.alerts.values()].map((alert) => [alert.id, alert]));
  }

  inBatch(userId: string): boolean {
    return this.#rows.has(userId);
  }

  /** The user's row as this transaction leaves it. */
  row(userId: string): UserValues | null {
    return this.#rows.get(userId) ?? null;
  }

  /** The user's profile as stored before the transaction, a copy the caller may advance. */
  profile(userId: string): RiskProfile {
    this.#batchUser(userId);
    const json = this.#read.profiles.get(userId);
    return json === undefined ? emptyProfile() : decodeProfile(JSON.parse(json));
  }

  hasEvent(userId: string, eventId: string): boolean {
    const key = eventKey(userId, eventId);
    const stored = this.#read.events.get(key);
    if (stored === undefined) throw new Error(`event ${eventId} of user ${userId} is not in the transaction's batch`);
    return stored || this.#added.has(key);
  }

  loadUser(userId: string): WriterUser | null {
    const values = this.#batchUser(userId);
    return values === null ? null : writerUserOf(values);
  }

  insertUser(aggregate: UserAggregate): void {
    const { userId } = aggregate;
    // As SQLite's INSERT … ON CONFLICT DO NOTHING, with the schema's defaults in the other columns.
    if (this.#batchUser(userId) !== null) return;
    this.#rows.set(userId, insertedValues(aggregate));
    this.inserted.add(userId);
  }

  countTokens(userId: string, tokens: TokenSet, at: number): Partial<Record<Dimension, number>> {
    const counts: Partial<Record<Dimension, number>> = {};
    for (const dimension of DIMENSIONS) {
      const value = tokens[dimension];
      if (value === null) continue;
      const key = tokenKey(userId, dimension, value);
      let token = this.tokens.get(key);
      if (token === undefined) {
        const stored = this.#read.tokens.get(key);
        if (stored === undefined)
          throw new Error(`token ${dimension} of user ${userId} is not in the transaction's batch`);
        token = stored === null ? { userId, dimension, value, count: 0, firstSeen: at, lastSeen: at } : { ...stored };
        this.tokens.set(key, token);
      }
      token.count += 1;
      token.firstSeen = Math.min(token.firstSeen, at);
      token.lastSeen = Math.max(token.lastSeen, at);
      counts[dimension] = token.count;
    }
    return counts;
  }

  insertEvent(write: EventWrite): number {
    const { userId, eventId } = write.event;
    this.#batchUser(userId);
    const id = this.#read.eventIds[this.#eventIds];
    if (id === undefined) throw new Error('more events inserted than the batch announced');
    this.#eventIds += 1;
    if (eventId !== null) this.#added.add(eventKey(userId, eventId));
    this.events.push({ id, write });
    return id;
  }

  saveUser(aggregate: UserAggregate, risk: UserRisk | null, standing: Standing): void {
    const { userId } = aggregate;
    // As SQLite's UPDATE: a user not stored is left alone.
    if (this.#batchUser(userId) === null) return;
    this.#rows.set(userId, writerUserValues(aggregate, risk, standing) as UserValues);
    this.saved.add(userId);
  }

  activeAlert(userId: string): ActiveAlert | null {
    this.#batchUser(userId);
    const alert = this.#active.get(userId);
    if (alert === undefined) return null;
    const parsed = JSON.parse(alert.signals) as Signal[];
    return { id: alert.id, score: alert.score, signals: new Map(parsed.map((signal) => [signal.name, signal])) };
  }

  insertAlert(userId: string, alert: AlertFindings, event: AlertEvent, now: number): number {
    this.#batchUser(userId);
    const id = this.#read.alertIds[this.#alertIds];
    if (id === undefined) throw new Error('more alerts opened than the batch has users without one');
    this.#alertIds += 1;
    const signals = JSON.stringify(alertSignals(alert));
    this.newAlerts.set(id, {
      id,
      userId,
      score: alert.score,
      level: alert.level,
      signals,
      firstEventId: event.id,
      lastEventId: event.id,
      firstAt: event.at,
      lastAt: event.at,
      events: 1,
      createdAt: now,
      updatedAt: now,
    });
    this.#active.set(userId, { id, userId, score: alert.score, signals });
    return id;
  }

  updateAlert(id: number, alert: AlertFindings, event: AlertEvent, now: number): void {
    const signals = JSON.stringify(alertSignals(alert));
    const { score, level } = alert;
    const opened = this.newAlerts.get(id);
    let userId: string;
    if (opened !== undefined) {
      Object.assign(opened, { score, level, signals, lastEventId: event.id, updatedAt: now });
      opened.lastAt = Math.max(opened.lastAt, event.at);
      opened.events += 1;
      userId = opened.userId;
    } else {
      const stored = this.#storedAlerts.get(id);
      if (stored === undefined) throw new Error(`alert ${id} is no active alert of the transaction's users`);
      const earlier = this.alertUpdates.get(id);
      this.alertUpdates.set(id, {
        id,
        score,
        level,
        signals,
        lastEventId: event.id,
        lastAt: earlier === undefined ? event.at : Math.max(earlier.lastAt, event.at),
        added: (earlier?.added ?? 0) + 1,
        updatedAt: now,
      });
      userId = stored.userId;
    }
    this.#active.set(userId, { id, userId, score, signals });
  }

  /** The user's row in this transaction; throws for a user outside the batch (nothing was read or locked for them). */
  #batchUser(userId: string): UserValues | null {
    const values = this.#rows.get(userId);
    if (values === undefined) throw new Error(`user ${userId} is not in the transaction's batch`);
    return values;
  }
}

/** A new user's row: its id, times and fingerprint, and the schema's defaults everywhere else. */
function insertedValues({ userId, firstSeen, lastSeen, fingerprint }: UserAggregate): UserValues {
  const row: Record<(typeof WRITER_USER_COLUMNS)[number], unknown> = {
    id: userId,
    eventCount: 0,
    firstSeen,
    lastSeen,
    ipClassCount: 0,
    osCount: 0,
    browserCount: 0,
    deviceCount: 0,
    habitualBrowser: null,
    habitualBrowserCount: 0,
    habitualOs: null,
    habitualOsCount: 0,
    habitualDevice: null,
    habitualDeviceCount: 0,
    habitualIpClass: null,
    habitualIpClassCount: 0,
    fingerprint,
    stability: 100,
    latestEventId: null,
    latestAt: null,
    latestBrowser: null,
    latestOs: null,
    latestDevice: null,
    latestIpClass: null,
    previousEventId: null,
    previousAt: null,
    previousDevice: null,
    driftScore: 0,
    risk: 0,
    riskAt: null,
    alertLevel: 0,
    verdict: null,
    attention: 0,
    riskKey: NO_RISK_KEY,
  };
  return WRITER_USER_COLUMNS.map((column) => row[column]);
}
