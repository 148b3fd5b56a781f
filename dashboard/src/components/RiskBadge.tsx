'use client';

import type { RiskBasis, RiskLevel } from '../generated/graphql';
import { useLevelMeanings } from './SeverityLegend';

const BASIS: Record<RiskBasis, string> = {
  SCORE: '',
  OPEN_ALERT: 'open alert',
  VERDICT: 'verdict',
};

/**
 * A severity (low, medium, high, critical) with the score behind it: the only
 * place those words appear. `basis` says what set a user's level when it is not
 * the score itself (an open alert, a verdict). The level's meaning is in the
 * title and in the page's severity legend.
 */
export function RiskBadge({ score, level, basis }: { score?: number; level: RiskLevel; basis?: RiskBasis }) {
  const meanings = useLevelMeanings();
  const name = level.toLowerCase();
  const shown = score === undefined ? undefined : Math.round(score);
  const by = basis ? BASIS[basis] : '';
  const meaning = meanings[level]?.meaning;
  const title = [
    `Severity ${name}${by ? `, set by ${by === 'verdict' ? 'the verdict' : 'an open alert'}` : ''}`,
    shown === undefined ? '' : `risk score ${shown} of 100`,
    meaning ?? '',
  ]
    .filter(Boolean)
    .join('. ');
  return (
    <span
      className={`risk-badge risk-${name}`}
      title={title}
      data-testid="risk-badge"
      data-level={name}
      data-basis={basis?.toLowerCase()}
    >
      <span className="risk-level">{name}</span>
      {shown === undefined ? null : <span className="risk-score">{shown}</span>}
      {by ? <span className="risk-basis">{by}</span> : null}
    </span>
  );
}
