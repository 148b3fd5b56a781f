import type { VerdictBadge_VerdictFragment, VerdictKind } from '../generated/graphql';

/** What each verdict is called wherever it is shown. */
export const VERDICT_NAMES: Record<VerdictKind, string> = {
  TAKEOVER: 'takeover',
  SHARING: 'sharing',
  STUFFING: 'stuffing target',
};

/** The user-level verdict (takeover, sharing, stuffing target) and its confidence; nothing when there is none. */
export function VerdictBadge({ verdict }: { verdict: VerdictBadge_VerdictFragment | null | undefined }) {
  if (!verdict) return null;
  const name = VERDICT_NAMES[verdict.kind];
  const percent = Math.round(verdict.confidence * 100);
  return (
    <span
      className={`verdict-badge verdict-${verdict.kind.toLowerCase()}`}
      title={`Verdict: ${name}, ${percent}% confident`}
      data-testid="verdict-badge"
    >
      {name} <span className="verdict-confidence">{percent}%</span>
    </span>
  );
}
