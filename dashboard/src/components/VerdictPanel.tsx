import type { VerdictPanel_VerdictFragment } from '../generated/graphql';
import { formatTime } from '../lib/format';
import { VERDICT_NAMES } from './VerdictBadge';

const MEANING = {
  TAKEOVER: 'Someone new to this account is acting like an intruder.',
  SHARING: 'Two people appear to use this account, in different places, over days.',
  STUFFING: 'A credential-stuffing source got into this account.',
} as const;

/** The user's verdict with the evidence behind it, or a line saying there is none. */
export function VerdictPanel({ verdict }: { verdict: VerdictPanel_VerdictFragment | null | undefined }) {
  return (
    <section className="card" aria-labelledby="verdict-title" data-testid="verdict">
      <h2 id="verdict-title">Verdict</h2>
      {verdict ? (
        <>
          <p>
            <strong data-testid="verdict-kind">{VERDICT_NAMES[verdict.kind]}</strong>,{' '}
            {Math.round(verdict.confidence * 100)}% confident, since {formatTime(verdict.since)}.{' '}
            {MEANING[verdict.kind]}
          </p>
          <ul className="reason-list">
            {verdict.evidence.map((evidence) => (
              <li key={evidence.message}>
                {evidence.message}
                <div className="evidence">
                  {Object.entries(evidence.values)
                    .map(([name, value]) => `${name}: ${value === null ? '—' : String(value)}`)
                    .join(' · ')}
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">None: nothing says this account is taken over, shared or stuffed.</p>
      )}
    </section>
  );
}
