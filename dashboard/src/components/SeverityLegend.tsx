'use client';

import { type RiskLevel, useSeverityLegend_LevelsQuery } from '../generated/graphql';

/** Lowest first, as the legend lists them. */
export const LEVELS: readonly RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/**
 * What each severity level means, as the API defines it. Asked once per page
 * load and then read from urql's cache by every badge.
 */
export function useLevelMeanings(): Partial<Record<RiskLevel, { floor: number; meaning: string }>> {
  const [{ data }] = useSeverityLegend_LevelsQuery({ requestPolicy: 'cache-first' });
  return Object.fromEntries((data?.riskLevels ?? []).map((info) => [info.level, info]));
}

/**
 * The one severity vocabulary, explained one tap away: a disclosure, which
 * works with a mouse, a keyboard, a finger and a screen reader alike (a
 * `title` is hover-only).
 */
export function SeverityLegend() {
  const meanings = useLevelMeanings();
  return (
    <details className="severity-legend" data-testid="severity-legend">
      <summary>What low, medium, high and critical mean</summary>
      <dl>
        {LEVELS.map((level) => {
          const info = meanings[level];
          return (
            <div key={level}>
              <dt>
                <span className={`level-word risk-${level.toLowerCase()}`}>{level.toLowerCase()}</span>
                {info ? <span className="muted"> from {info.floor}</span> : null}
              </dt>
              <dd>{info?.meaning ?? '…'}</dd>
            </div>
          );
        })}
      </dl>
      <p className="muted">
        These four words name severity only: an event’s, an alert’s and a user’s. A user’s level is the highest of their
        risk score’s band, their open alerts and their verdict, so it is never below an alert they still have. Drift,
        the legacy score, is a plain number: how many kinds of devices and networks a user has shown.
      </p>
    </details>
  );
}
