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
  AdjustmentEntries,
  AllowKind,
  AllowRecord,
  FeedbackRecord,
  TrustKind,
  TrustRecord,
} from '../storage/adjustment-store.ts';
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
 * event waits on a query. Everything in force is loaded when it starts.
 */
export class AdjustmentService {
  readonly #entries: AdjustmentEntries;
  readonly #now: () => number;
  /** What scoring applies; handed to the EventWriter. */
  readonly adjustments = new Adjustments();

  constructor(entries: AdjustmentEntries, now: () => number = Date.now) {
    this.#entries = entries;
    this.#now = now;
    const active = entries.active(now());
    for (const record of active.trust) this.#applyTrust(record);
    for (const record of active.allow) this.#applyAllow(record);
    for (const record of active.feedback) this.adjustments.addFeedback(record.userId, feedbackOf(record));
  }

  #applyTrust(record: TrustRecord): void {
    const rule = ruleOf('trust', record);
    if (rule !== null) this.adjustments.addTrust(record.userId, rule);
  }

  #applyAllow(record: AllowRecord): void {
    const rule = ruleOf('allow', record);
    if (rule !== null) this.adjustments.addAllow(rule);
  }

  userExists(userId: string): boolean {
    return this.#entries.userExists(userId);
  }

  /** Trusts a device or network for one user until `expiresAt`. */
  trust(by: Principal, userId: string, target: AdjustmentTarget, reason: string, expiresAt: number): TrustRecord {
    const kind: TrustKind = target.kind === 'client' ? 'device' : 'network';
    const record = this.#entries.createTrust(
      { userId, kind, value: targetText(target), reason, expiresAt },
      actorName(by),
      this.#now(),
    );
    this.#applyTrust(record);
    return record;
  }

  /** Null when there is no such entry. */
  removeTrust(by: Principal, id: number): TrustRecord | null {
    const record = this.#entries.removeTrust(id, actorName(by), this.#now());
    if (record !== null) this.adjustments.removeTrust(record.userId, id);
    return record;
  }

  trustOf(userId: string, all: boolean): TrustRecord[] {
    return this.#entries.trustOf(userId, all, this.#now());
  }

  allow(by: Principal, kind: AllowKind, target: AdjustmentTarget, reason: string, expiresAt: number): AllowRecord {
    const record = this.#entries.createAllow(
      { kind, value: targetText(target), reason, expiresAt },
      actorName(by),
      this.#now(),
    );
    this.#applyAllow(record);
    return record;
  }

  removeAllow(by: Principal, id: number): AllowRecord | null {
    const record = this.#entries.removeAllow(id, actorName(by), this.#now());
    if (record !== null) this.adjustments.removeAllow(id);
    return record;
  }

  allowList(all: boolean): AllowRecord[] {
    return this.#entries.allowList(all, this.#now());
  }

  /**
   * Records that an alert was a false positive: its signals that name a
   * network, device, place or hour weigh less on the user's similar events.
   * Null when there is no such alert. Resolving the alert is triage's.
   */
  markFalsePositive(by: Principal, alertId: number, reason: string): MarkedFalsePositive | null {
    const alert = this.#entries.alert(alertId);
    if (alert === null) return null;
    const now = this.#now();
    const feedback = this.#entries.createFeedback(
      { userId: alert.userId, alertId, reason, lowers: loweringsOf(alert.signals), until: now + FEEDBACK_LIFETIME_MS },
      actorName(by),
      now,
    );
    this.adjustments.addFeedback(alert.userId, feedbackOf(feedback));
    return { feedback, alertStatus: alert.status };
  }

  /** Null when there is no such feedback. */
  undoFalsePositive(by: Principal, id: number): FeedbackRecord | null {
    const record = this.#entries.undoFeedback(id, actorName(by), this.#now());
    if (record !== null) this.adjustments.removeFeedback(record.userId, id);
    return record;
  }

  /** The false positive (not undone) marked on each of these alerts, if any. */
  falsePositivesOfAlerts(alertIds: readonly number[]): Map<number, FeedbackRecord> {
    return this.#entries.feedbackOfAlerts(alertIds);
  }

  falsePositivesOf(userId: string, all: boolean): FeedbackRecord[] {
    return this.#entries.feedbackOf(userId, all, this.#now());
  }

  /** The user's trust entries and false positives in force: what each lowers, by how much now, until when. */
  adjustmentsOf(userId: string): AdjustmentView[] {
    const now = this.#now();
    const trust = this.#entries.trustOf(userId, false, now).flatMap((record): AdjustmentView[] => {
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
    const feedback = this.#entries.feedbackOf(userId, false, now).map((record): AdjustmentView => {
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

  /** Forgets a user's entries with the rest of their data. */
  deleteUser(userId: string): void {
    this.#entries.deleteUser(userId);
    this.adjustments.forgetUser(userId);
  }
}
