import type { RiskLevel } from '../generated/graphql';

/** The v2 risk (0–100) and its level, beside the legacy drift badge and clearly apart from it. */
export function RiskBadge({ score, level }: { score: number; level: RiskLevel }) {
  const name = level.toLowerCase();
  const shown = Math.round(score);
  return (
    <span className={`risk-badge risk-${name}`} title={`Risk ${shown} of 100 (${name})`} data-testid="risk-badge">
      <span className="risk-score">{shown}</span>
      <span className="risk-level">{name}</span>
    </span>
  );
}
