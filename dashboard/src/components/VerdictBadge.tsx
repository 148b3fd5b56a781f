import type { VerdictBadge_VerdictFragment } from '../generated/graphql';

/** The user-level verdict (takeover, sharing, stuffing) and its confidence; nothing when there is none. */
export function VerdictBadge({ verdict }: { verdict: VerdictBadge_VerdictFragment | null | undefined }) {
  if (!verdict) return null;
  const kind = verdict.kind.toLowerCase();
  const percent = Math.round(verdict.confidence * 100);
  return (
    <span
      className={`verdict-badge verdict-${kind}`}
      title={`Verdict: ${kind}, ${percent}% confident`}
      data-testid="verdict-badge"
    >
      {kind} <span className="verdict-confidence">{percent}%</span>
    </span>
  );
}
