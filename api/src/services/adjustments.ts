import {
  Adjustments,
  type AdjustmentTarget,
  FEEDBACK_LIFETIME_MS,
  type Feedback,
  feedbackFactor,
  feedbackLabel,
  loweringsOf,
  ruleOf,
  signalsLoweredBy,
  targetText,
} from '../domain/risk/adjustments.ts';
import { round } from '../domain/risk/signals.ts';
import type {
  ActiveEntries,
  AdjustmentEntries,
  AllowKind,
  AllowRecord,
  FeedbackRecord,
  TrustKind,
  TrustRecord,
} from '../storage/adjustment-store.ts';
import type { Awaitable } from '../storage/ports.ts';
import { actorName, type Principal } from './access.ts';

/** One signal an adjustment lowers, on events that match `match`, multiplied by `factor` now. */
export interface LoweringView {
  signal: string;
  match: string;
  factor: number;
}

/** A user's trust entry or false positive in force, as the User's `adjustments` lists it. */
export interface AdjustmentView {
  source: 'trust' | 'false_positive';
  id: number;
  /** As a lowered signal's evidence names it (`loweredBy`). */
  label: string;
  reason: string;
  createdAt: number;
  createdBy: string;
  until: number;
  alertId: number | null;
  lowers: LoweringView[];
}

/** The outcome of marking an alert a false positive: null when there is no such alert. */
export interface MarkedFalsePositive {
  feedback: FeedbackRecord;
  /** The alert's status when it was marked. */
  alertStatus: string;
}

function feedbackOf(record: FeedbackRecord): Feedback {
  const { id, alertId, reason, lowers, createdAt, until } = record;
  return { id, alertId, label: feedbackLabel(id, alertId, reason), lowers, createdAt, until };
}

/**
 * Trust, the organisation's allow-list and false-positive feedback: each
 * change is stored with its audit entry, then applied to the in-memory
 * `Adjustments` the write path scores with, so the next event sees it and no
 * event waits on a query. Everything in force is loaded when it opens, and
 * again by `reload` (changes made through other nodes sharing the database).
 */
export class AdjustmentService {
  readonly #entries: AdjustmentEntries;
  readonly #now: () => number;
  /** What scoring applies; handed to the EventWriter. */
  readonly adjustments = new Adjustments();
  /** The ids applied to `adjustments`, in the order it holds them: what a reload compares with storage. */
  readonly #trustIds = new Map<string, number[]>();
  readonly #feedbackIds = new Map<string, number[]>();
  #allowIds: number[] = [];
  /** Counts changes applied here, so that a reload whose read raced one reads again. */
  #applied = 0;
  #reloading: Promise<void> | null = null;
  #reloadQueued: Promise<void> | null = null;

  private constructor(entries: AdjustmentEntries, now: () => number) {
    this.#entries = entries;
    this.#now = now;
  }

  /** Loads what is in force from storage. */
  static async open(entries: AdjustmentEntries, now: () => number = Date.now): Promise<AdjustmentService> {
    const service = new AdjustmentService(entries, now);
    await service.reload();
    return service;
  }

  /** As `open`, from a store that answers at once (SQLite): the server builds it synchronously. */
  static openSync(
    entries: Omit<AdjustmentEntries, 'active'> & { active(now: number): ActiveEntries },
    now: () => number = Date.now,
  ): AdjustmentService {
    const service = new AdjustmentService(entries, now);
    service.#replace(entries.active(now()));
    return service;
  }

  /**
   * Reads what is in force from storage again and makes the in-memory
   * adjustments exactly that (entries added, removed, expired or deleted
   * through another node); nothing changes when nothing did. Run it when
   * another node says something changed, and periodically. A call while one
   * runs is served by a read started after it.
   */
  reload(): Promise<void> {
    const running = this.#reloading;
    if (running === null) return this.#startReload();
    this.#reloadQueued ??= running
      .catch(() => {})
      .then(() => {
        this.#reloadQueued = null;
        return this.#startReload();
      });
    return this.#reloadQueued;
  }

  #startReload(): Promise<void> {
    const run = this.#readAndReplace().finally(() => {
      if (this.#reloading === run) this.#reloading = null;
    });
    this.#reloading = run;
    return run;
  }

  async #readAndReplace(): Promise<void> {
    for (;;) {
      const applied = this.#applied;
      const active = await this.#entries.active(this.#now());
      // A change applied during the read may have committed after it: the read would undo it.
      if (this.#applied === applied) {
        this.#replace(active);
        return;
      }
    }
  }

  /** Makes the in-memory adjustments what a fresh load of `active` gives, touching only what differs. */
  #replace(active: ActiveEntries): void {
    const byId = <T extends { id: number }>(records: readonly T[]) => [...records].sort((a, b) => a.id - b.id);
    const trust = groupByUser(byId(active.trust).filter((record) => ruleOf('trust', record) !== null));
    for (const userId of new Set([...this.#trustIds.keys(), ...trust.keys()])) {
      const wanted = trust.get(userId) ?? [];
      if (sameIds(this.#trustIds.get(userId), wanted)) continue;
      for (const id of this.#trustIds.get(userId) ?? []) this.adjustments.removeTrust(userId, id);
      this.#trustIds.delete(userId);
      for (const record of wanted) this.#applyTrust(record);
    }
    const feedback = groupByUser(byId(active.feedback));
    for (const userId of new Set([...this.#feedbackIds.keys(), ...feedback.keys()])) {
      const wanted = feedback.get(userId) ?? [];
      if (sameIds(this.#feedbackIds.get(userId), wanted)) continue;
      for (const id of this.#feedbackIds.get(userId) ?? []) this.adjustments.removeFeedback(userId, id);
      this.#feedbackIds.delete(userId);
      for (const record of wanted) this.#applyFeedback(record);
    }
    const allow = byId(active.allow).filter((record) => ruleOf('allow', record) !== null);
    if (!sameIds(this.#allowIds, allow)) {
      for (const id of this.#allowIds) this.adjustments.removeAllow(id);
      this.#allowIds = [];
      for (const record of allow) this.#applyAllow(record);
    }
  }

  // Applying is idempotent: a reload may have applied a change before the call that made it does.

  #applyTrust(record: TrustRecord): void {
    const rule = ruleOf('trust', record);
    const ids = this.#trustIds.get(record.userId) ?? [];
    if (rule === null || ids.includes(record.id)) return;
    this.adjustments.addTrust(record.userId, rule);
    this.#trustIds.set(record.userId, [...ids, record.id]);
  }

  #applyAllow(record: AllowRecord): void {
    const rule = ruleOf('allow', record);
    if (rule === null || this.#allowIds.includes(record.id)) return;
    this.adjustments.addAllow(rule);
    this.#allowIds = [...this.#allowIds, record.id];
  }

  #applyFeedback(record: FeedbackRecord): void {
    const ids = this.#feedbackIds.get(record.userId) ?? [];
    if (ids.includes(record.id)) return;
    this.adjustments.addFeedback(record.userId, feedbackOf(record));
    this.#feedbackIds.set(record.userId, [...ids, record.id]);
  }

  userExists(userId: string): Awaitable<boolean> {
    return this.#entries.userExists(userId);
  }

  /** Trusts a device or network for one user until `expiresAt`. */
  async trust(
    by: Principal,
    userId: string,
    target: AdjustmentTarget,
    reason: string,
    expiresAt: number,
  ): Promise<TrustRecord> {
    const kind: TrustKind = target.kind === 'client' ? 'device' : 'network';
    const record = await this.#entries.createTrust(
      { userId, kind, value: targetText(target), reason, expiresAt },
      actorName(by),
      this.#now(),
    );
    this.#applied += 1;
    this.#applyTrust(record);
    return record;
  }

  /** Null when there is no such entry. */
  async removeTrust(by: Principal, id: number): Promise<TrustRecord | null> {
    const record = await this.#entries.removeTrust(id, actorName(by), this.#now());
    if (record !== null) {
      this.#applied += 1;
      this.adjustments.removeTrust(record.userId, id);
      withoutId(this.#trustIds, record.userId, id);
    }
    return record;
  }

  trustOf(userId: string, all: boolean): Awaitable<TrustRecord[]> {
    return this.#entries.trustOf(userId, all, this.#now());
  }

  async allow(
    by: Principal,
    kind: AllowKind,
    target: AdjustmentTarget,
    reason: string,
    expiresAt: number,
  ): Promise<AllowRecord> {
    const record = await this.#entries.createAllow(
      { kind, value: targetText(target), reason, expiresAt },
      actorName(by),
      this.#now(),
    );
    this.#applied += 1;
    this.#applyAllow(record);
    return record;
  }

  async removeAllow(by: Principal, id: number): Promise<AllowRecord | null> {
    const record = await this.#entries.removeAllow(id, actorName(by), this.#now());
    if (record !== null) {
      this.#applied += 1;
      this.adjustments.removeAllow(id);
      this.#allowIds = this.#allowIds.filter((applied) => applied !== id);
    }
    return record;
  }

  allowList(all: boolean): Awaitable<AllowRecord[]> {
    return this.#entries.allowList(all, this.#now());
  }

  /**
   * Records that an alert was a false positive: its signals that name a
   * network, device, place or hour weigh less on the user's similar events.
   * Null when there is no such alert. Resolving the alert is triage's.
   */
  async markFalsePositive(by: Principal, alertId: number, reason: string): Promise<MarkedFalsePositive | null> {
    const alert = await this.#entries.alert(alertId);
    if (alert === null) return null;
    const now = this.#now();
    const feedback = await this.#entries.createFeedback(
      { userId: alert.userId, alertId, reason, lowers: loweringsOf(alert.signals), until: now + FEEDBACK_LIFETIME_MS },
      actorName(by),
      now,
    );
    this.#applied += 1;
    this.#applyFeedback(feedback);
    return { feedback, alertStatus: alert.status };
  }

  /** Null when there is no such feedback. */
  async undoFalsePositive(by: Principal, id: number): Promise<FeedbackRecord | null> {
    const record = await this.#entries.undoFeedback(id, actorName(by), this.#now());
    if (record !== null) {
      this.#applied += 1;
      this.adjustments.removeFeedback(record.userId, id);
      withoutId(this.#feedbackIds, record.userId, id);
    }
    return record;
  }

  /** The false positive (not undone) marked on each of these alerts, if any. */
  falsePositivesOfAlerts(alertIds: readonly number[]): Awaitable<Map<number, FeedbackRecord>> {
    return this.#entries.feedbackOfAlerts(alertIds);
  }

  falsePositivesOf(userId: string, all: boolean): Awaitable<FeedbackRecord[]> {
    return this.#entries.feedbackOf(userId, all, this.#now());
  }

  /** The user's trust entries and false positives in force: what each lowers, by how much now, until when. */
  async adjustmentsOf(userId: string): Promise<AdjustmentView[]> {
    const now = this.#now();
    const [trustRecords, feedbackRecords] = await Promise.all([
      this.#entries.trustOf(userId, false, now),
      this.#entries.feedbackOf(userId, false, now),
    ]);
    const trust = trustRecords.flatMap((record): AdjustmentView[] => {
      const rule = ruleOf('trust', record);
      if (rule === null) return [];
      const match = targetText(rule.target);
      return [
        {
          source: 'trust',
          id: record.id,
          label: rule.label,
          reason: record.reason,
          createdAt: record.createdAt,
          createdBy: record.createdBy,
          until: record.expiresAt,
          alertId: null,
          lowers: signalsLoweredBy(rule.target).map((signal) => ({ signal, match, factor: 0 })),
        },
      ];
    });
    const feedback = feedbackRecords.map((record): AdjustmentView => {
      const factor = round(feedbackFactor(record, now), 3);
      return {
        source: 'false_positive',
        id: record.id,
        label: feedbackLabel(record.id, record.alertId, record.reason),
        reason: record.reason,
        createdAt: record.createdAt,
        createdBy: record.createdBy,
        until: record.until,
        alertId: record.alertId,
        lowers: record.lowers.map(({ signal, key }) => ({ signal, match: key, factor })),
      };
    });
    return [...trust, ...feedback];
  }

  /**
   * Forgets a user's entries with the rest of their data; at once when the
   * store answers at once (SQLite deletes them inside the deletion's transaction).
   */
  deleteUser(userId: string): Awaitable<void> {
    const deleted = this.#entries.deleteUser(userId);
    if (deleted instanceof Promise) return deleted.then(() => this.#forget(userId));
    this.#forget(userId);
  }

  /** A user deleted in storage with their entries (PostgreSQL deletes them in the deletion's transaction): forgotten here. */
  forgetUser(userId: string): void {
    this.#forget(userId);
  }

  #forget(userId: string): void {
    this.#applied += 1;
    this.adjustments.forgetUser(userId);
    this.#trustIds.delete(userId);
    this.#feedbackIds.delete(userId);
  }
}

function groupByUser<T extends { userId: string }>(records: readonly T[]): Map<string, T[]> {
  const byUser = new Map<string, T[]>();
  for (const record of records) {
    const list = byUser.get(record.userId);
    if (list === undefined) byUser.set(record.userId, [record]);
    else list.push(record);
  }
  return byUser;
}

function sameIds(ids: readonly number[] | undefined, records: readonly { id: number }[]): boolean {
  const held = ids ?? [];
  return held.length === records.length && held.every((id, index) => id === records[index]?.id);
}

function withoutId(byUser: Map<string, number[]>, userId: string, id: number): void {
  const left = (byUser.get(userId) ?? []).filter((applied) => applied !== id);
  if (left.length === 0) byUser.delete(userId);
  else byUser.set(userId, left);
}
