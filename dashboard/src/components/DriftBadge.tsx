import { driftLevel } from '../lib/format';

export function DriftBadge({ score }: { score: number }) {
  const level = driftLevel(score);
  return (
    <span className={`badge badge-${level}`} title={`Drift score ${score} of 100 (${level})`}>
      <span className="badge-score">{score}</span>
      <span className="badge-level">{level}</span>
    </span>
  );
}
