import { emptyAggregate, type UserAggregate } from '../domain/aggregate.ts';
import {
  type ActiveAlert,
  type AlertFindings,
  DEFAULT_ALERT_THRESHOLD,
  extendAlert,
  openAlert,
} from '../domain/alert-policy.ts';
import type { NormalizedEvent } from '../domain/event-input.ts';
import type { Adjustments } from '../domain/risk/adjustments.ts';
import type { BaselineSettings } from '../domain/risk/baseline.ts';
import { type ActivityEvent, NetworkActivityWindow } from '../domain/risk/network-activity.ts';
import { type GeoLookup, NO_GEO } from '../domain/risk/observe.ts';
import { advanceProfile, emptyProfile, type RiskProfile } from '../domain/risk/profile.ts';
import { type RiskLevel, riskLevel, type Score, type UserRisk } from '../domain/risk/score.ts';
import { levelRank, NO_STANDING, type Standing } from '../domain/risk/standing.ts';
import { verdictOf } from '../domain/risk/verdict.ts';
import { observeStored } from '../storage/consistency.ts';
import type {
  AsyncIngestStore,
  IngestTransaction,
  RecentAddressEvent,
  StoredEvent,
  WriteStore,
} from '../storage/ports.ts';
import { assessEvent, observeEvent, recordActivity } from './assess.ts';

/** An alert the write opened or extended. */
export interface AlertChange {
  id: number;
  userId: string;
  opened: boolean;
  score: number;
  level: RiskLevel;
  /** The alert's level before this write; null when the write opened it. */
  previousLevel: RiskLevel | null;
}

export interface UserChange {
  aggregate: UserAggregate;
  /** The drift score before the write; null for a new user. */
  previousDriftScore: number | null;
  /** The user's v2 risk after the write (null until the first v2-scored event). */
  risk: UserRisk | null;
  /** The user's unresolved alert level and verdict after the write. */
  standing: Standing;
}

export interface WriteOutcome {
  /** Newly stored events, in request order. */
  stored: StoredEvent[];
  /** Events skipped because their event_id was already stored for that user. */
  duplicates: number;
  /** Every user the write changed: the aggregate after it and the drift score before. */
  users: UserChange[];
  alerts: AlertChange[];
  /** How the stored events were recorded in the attack-context window (those from public networks): other nodes record them too. */
  activity: ActivityEvent[];
}

/** One request in a group commit. */
export interface WriteRequest {
  events: readonly NormalizedEvent[];
  receivedAt: number;
}

/** The v2 risk model's settings on the write path. */
export interface RiskOptions {
  geo?: GeoLookup;
  /** An event at or above this v2 risk opens (or extends) an alert. */
  alertThreshold?: number;
  activity?: NetworkActivityWindow;
  /** How much history a user needs before novelty and time of day are judged. */
  baseline?: BaselineSettings;
  /** Trust, allow-list and false-positive entries that lower matching signals (kept current by their service). */
  adjustments?: Adjustments;
}

/** What one write keeps per user between its events. */
interface UserState {
  change: UserChange;
  profile: RiskProfile;
  /** The user's active alert: undefined until looked up, null if none. */
  alert: ActiveAlert | null | undefined;
}

/** The profiles a transaction moved, by user. */
type Profiles = Map<string, RiskProfile>;

/**
 * The write step: runs each event through assessment and stores it and what
 * it changed (token counts, the user's aggregate and risk, alerts), all of a
 * group's requests in one storage transaction, so an event and the
 * aggregates it changes commit together or not at all. On a synchronous store
 * (SQLite) through `writeGroup`; on an asynchronous one (PostgreSQL) through
 * `writeGroupAsync`, the same scoring between its reads and its writes.
 */
export class EventWriter<Store extends WriteStore | AsyncIngestStore = WriteStore> {
  readonly #store: Store;
  readonly #geo: GeoLookup;
  readonly #alertThreshold: number;
  /** Which accounts each IP touched recently: the one piece of v2 context that is not per user. */
  readonly #activity: NetworkActivityWindow;
  readonly #baseline: BaselineSettings | undefined;
  readonly #adjustments: Adjustments | undefined;

  constructor(store: Store, risk: RiskOptions = {}) {
    this.#store = store;
    this.#geo = risk.geo ?? NO_GEO;
    this.#alertThreshold = risk.alertThreshold ?? DEFAULT_ALERT_THRESHOLD;
    this.#activity = risk.activity ?? new NetworkActivityWindow();
    this.#baseline = risk.baseline;
    this.#adjustments = risk.adjustments;
  }

  /** Stores the events atomically: all of them (less duplicates) or, on any error, none. */
  write(this: EventWriter<WriteStore>, events: readonly NormalizedEvent[], receivedAt: number): WriteOutcome {
    return this.writeGroup([{ events, receivedAt }])[0] as WriteOutcome;
  }

  /**
   * Group commit: stores several requests in one transaction, sharing one
   * commit (one WAL append), which is where single-event ingest spends most of
   * its time. All or nothing: on any error none of them is stored.
   */
  writeGroup(this: EventWriter<WriteStore>, requests: readonly WriteRequest[]): WriteOutcome[] {
    const profiles: Profiles = new Map();
    // No savepoint per request: they cost more than the writes themselves.
    // A failing member fails the group; GroupCommit then retries each request
    // on its own, so one bad request still cannot take the others down.
    const outcomes = this.#store.transaction((tx) =>
      requests.map(({ events, receivedAt }) => this.#writeAll(tx, events, receivedAt, profiles)),
    );
    this.#store.profiles.committed(profiles);
    return outcomes;
  }

  /**
   * Group commit on an asynchronous store: the requests in one transaction,
   * all or nothing, scored as `writeGroup` scores them. The store stores the
   * moved profiles within the transaction, so another node reads them as soon
   * as it commits.
   */
  writeGroupAsync(this: EventWriter<AsyncIngestStore>, requests: readonly WriteRequest[]): Promise<WriteOutcome[]> {
    return this.#store.transactionAsync(
      requests.flatMap((request) => request.events),
      (tx, profiles) => requests.map(({ events, receivedAt }) => this.#writeAll(tx, events, receivedAt, profiles)),
    );
  }

  /** Whether an error fails every write alike, so retrying requests one by one is pointless. */
  failsEveryWrite(error: unknown): boolean {
    return this.#store.failsEveryWrite(error);
  }

  /** `profiles`: the transaction's profiles so far, handed to the profile store once it commits. */
  #writeAll(
    tx: IngestTransaction,
    events: readonly NormalizedEvent[],
    receivedAt: number,
    profiles: Profiles,
  ): WriteOutcome {
    const touched = new Map<string, UserState>();
    const stored: StoredEvent[] = [];
    const alerts = new Map<number, AlertChange>();
    const activity: ActivityEvent[] = [];
    let duplicates = 0;
    for (const event of events) {
      const at = event.timestamp ?? receivedAt;
      if (event.eventId !== null && tx.hasEvent(event.userId, event.eventId)) {
        duplicates += 1;
        continue;
      }
      const state = touched.get(event.userId) ?? this.#loadOrCreate(tx, event.userId, at, profiles);
      touched.set(event.userId, state);
      const { tokens } = event;
      const valueCounts = tx.countTokens(event.userId, tokens, at);
      const {
        observation,
        activity: networkActivity,
        recorded,
      } = observeEvent(event, at, receivedAt, this.#geo, this.#activity, state.profile);
      if (recorded !== null) activity.push(recorded);
      // The event's id is only known after its insert, and the insert wants the
      // score after the event. A new row's id is larger than every stored one,
      // so a placeholder above them all orders it exactly as the real id will.
      const applied = { id: PENDING_ID, at, tokens, valueCounts };
      const user = { aggregate: state.change.aggregate, profile: state.profile, risk: state.change.risk };
      const seen = { applied, observation, activity: networkActivity, receivedAt };
      const assessment = assessEvent(user, seen, this.#alertThreshold, this.#baseline, this.#adjustments);
      // The profile was read for this write alone: it is ours to advance.
      advanceProfile(
        state.profile,
        observation,
        assessment.score.signals.map((signal) => signal.name),
      );
      const { aggregate, factors, score } = assessment;
      const id = tx.insertEvent({
        event,
        at,
        receivedAt,
        driftScore: aggregate.driftScore,
        factors,
        risk: score.risk,
        signals: score.signals,
      });
      state.change = { ...state.change, aggregate: withRealId(aggregate, id), risk: assessment.risk };
      if (assessment.alerts) {
        const alert = this.#raiseAlert(tx, state, event.userId, { id, at }, score, receivedAt);
        const earlier = alerts.get(alert.id);
        alerts.set(
          alert.id,
          earlier === undefined
            ? alert
            : { ...alert, opened: earlier.opened || alert.opened, previousLevel: earlier.previousLevel },
        );
      }
      stored.push({
        ...event,
        id,
        timestamp: at,
        receivedAt,
        driftScore: aggregate.driftScore,
        factors,
        risk: score.risk,
        signals: score.signals,
      });
    }
    const users: UserChange[] = [];
    for (const [userId, state] of touched) {
      const { profile } = state;
      // The verdict is decided here, once per user and write, so the ranking can order by it.
      const change = {
        ...state.change,
        standing: { ...state.change.standing, verdict: verdictOf(profile)?.kind ?? null },
      };
      tx.saveUser(change.aggregate, change.risk, change.standing);
      profiles.set(userId, profile);
      users.push(change);
    }
    return { stored, duplicates, users, alerts: [...alerts.values()], activity };
  }

  /** Opens an alert for the user, or extends their active one, as the alert policy decides. */
  #raiseAlert(
    tx: IngestTransaction,
    state: UserState,
    userId: string,
    event: { id: number; at: number },
    score: Score,
    now: number,
  ): AlertChange {
    if (state.alert === undefined) state.alert = tx.activeAlert(userId);
    const active = state.alert;
    let alert: AlertFindings;
    let id: number;
    if (active === null) {
      alert = openAlert(score);
      id = tx.insertAlert(userId, alert, event, now);
    } else {
      alert = extendAlert(active, score);
      id = active.id;
      tx.updateAlert(id, alert, event, now);
    }
    state.alert = { id, score: alert.score, signals: alert.signals };
    const { standing } = state.change;
    const alertLevel = Math.max(standing.alertLevel, levelRank(alert.level)) as Standing['alertLevel'];
    state.change = { ...state.change, standing: { ...standing, alertLevel } };
    return {
      id,
      userId,
      opened: active === null,
      score: alert.score,
      level: alert.level,
      previousLevel: active === null ? null : riskLevel(active.score),
    };
  }

  /** The user's aggregate and v2 profile as stored, or a new user's; the change starts from the current scores. */
  #loadOrCreate(tx: IngestTransaction, userId: string, at: number, profiles: Profiles): UserState {
    const user = tx.loadUser(userId);
    if (user !== null) {
      return {
        change: {
          aggregate: user.aggregate,
          previousDriftScore: user.aggregate.driftScore,
          risk: user.risk,
          standing: user.standing,
        },
        // An earlier request of the same group may have moved it already.
        profile: profiles.get(userId) ?? this.#store.profiles.read(userId),
        alert: undefined,
      };
    }
    const fresh = emptyAggregate(userId, at);
    tx.insertUser(fresh);
    return {
      change: { aggregate: fresh, previousDriftScore: null, risk: null, standing: NO_STANDING },
      profile: emptyProfile(),
      alert: null,
    };
  }

  /**
   * Rebuilds the attack-context window from the stored events whose times
   * fall within the window before the newest event time, so a restart does
   * not forget a network that was just failing across many accounts, however
   * long ago the events were received. Whether a network is an account's own
   * is judged on its profile as stored, which already holds the event.
   */
  primeNetworkActivity(this: EventWriter<WriteStore>, now: number): void {
    const window = this.#activity;
    const rows = this.#store.recentAddressEvents(window.windowMs, now + window.windowMs);
    this.primeNetworkActivityFrom(rows, (userId) => this.#store.profiles.read(userId), now);
  }

  /**
   * The attack-context window from stored events read elsewhere (PostgreSQL
   * reads them asynchronously before): those within `activityWindowMs` of the
   * newest, with each user's stored profile.
   */
  primeNetworkActivityFrom(
    rows: readonly RecentAddressEvent[],
    profileOf: (userId: string) => RiskProfile,
    now: number,
  ): void {
    const profiles = new Map<string, RiskProfile>();
    for (const row of rows) {
      const observation = observeStored(row, this.#geo);
      if (observation === null) continue;
      let profile = profiles.get(observation.userId);
      if (profile === undefined) {
        profile = profileOf(observation.userId);
        profiles.set(observation.userId, profile);
      }
      recordActivity(observation, profile, now, this.#activity);
    }
  }

  /** Records events another node stored in the attack-context window, as if this node had. */
  recordActivityElsewhere(events: readonly ActivityEvent[]): void {
    for (const event of events) this.#activity.observe(event);
  }

  /** How far back the attack-context window looks. */
  get activityWindowMs(): number {
    return this.#activity.windowMs;
  }

  /** A user deleted from storage: forgotten in the attack-context window too. */
  forgetUser(userId: string): void {
    this.#activity.forget(userId);
  }
}

/** Stands in for the id of the event being written until its insert returns the real one. */
const PENDING_ID = Number.MAX_SAFE_INTEGER;

function withRealId(aggregate: UserAggregate, id: number): UserAggregate {
  const fix = <T extends { id: number } | null>(pointer: T): T =>
    pointer !== null && pointer.id === PENDING_ID ? { ...pointer, id } : pointer;
  return { ...aggregate, latest: fix(aggregate.latest), previous: fix(aggregate.previous) };
}
