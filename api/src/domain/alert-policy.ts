import type { AlertStatus } from './risk/alert-export.ts';
import { type RiskLevel, riskLevel, type Score } from './risk/score.ts';
import type { Signal } from './risk/signals.ts';

/**
 * An event at or above this v2 risk opens an alert, or extends the user's
 * active one. It is the high level's floor, so every alert is high or
 * critical, and it was chosen from `npm run eval`: the first level floor at or
 * above the report's calibrated threshold, the lowest score at which at most
 * 1% of benign users get an alert in 30 days on every generated population
 * (docs/risk-model.md, Alerts).
 */
export const DEFAULT_ALERT_THRESHOLD = 60;

/**
 * Triage moves an alert to any of these, in any order: an analyst may reopen
 * a resolved alert. An open or acknowledged alert is the user's active one,
 * which later risky events extend; once resolved, the next one opens a new alert.
 */
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const satisfies readonly AlertStatus[];

export function isAlertStatus(value: string): value is AlertStatus {
  return (ALERT_STATUSES as readonly string[]).includes(value);
}

export function raisesAlert(eventRisk: number, threshold: number): boolean {
  return eventRisk >= threshold;
}

/** An alert's score, level and signals: what opening or extending it decides. */
export interface AlertFindings {
  score: number;
  level: RiskLevel;
  /** The strongest signal of each name. */
  signals: ReadonlyMap<string, Signal>;
}

/** The user's active alert, with what it holds so far (its level follows from the score). */
export interface ActiveAlert {
  id: number;
  score: number;
  signals: ReadonlyMap<string, Signal>;
}

/** A new alert for a risky event: its score, level and signals are the event's. */
export function openAlert(event: Score): AlertFindings {
  return {
    score: event.risk,
    level: event.level,
    signals: new Map(event.signals.map((signal) => [signal.name, signal])),
  };
}

/**
 * The active alert extended by another risky event: it escalates to the
 * highest score it has seen (never down), and keeps the strongest signal of
 * each name across its events.
 */
export function extendAlert(alert: Pick<AlertFindings, 'score' | 'signals'>, event: Score): AlertFindings {
  const signals = new Map(alert.signals);
  for (const signal of event.signals) {
    const known = signals.get(signal.name);
    if (known === undefined || signal.score > known.score) signals.set(signal.name, signal);
  }
  const score = Math.max(alert.score, event.risk);
  return { score, level: riskLevel(score), signals };
}

/** An alert's signals as stored and shown: strongest first. */
export function alertSignals(alert: Pick<AlertFindings, 'signals'>): Signal[] {
  return [...alert.signals.values()].sort((a, b) => b.score - a.score);
}
