/** A risk signal as events and alerts carry it. */
export interface SignalView {
  name: string;
  message: string;
  /** 0–1, after any lowering. */
  score: number;
  evidence: Record<string, unknown>;
}

const SOURCES: Record<string, string> = { trust: 'trust', allow: 'allow-list', feedback: 'false positive' };

/**
 * The entry a lowered signal's evidence names, as analysts read it:
 * `trust:3 home office 81.2.69.0/24` → `trust #3: home office 81.2.69.0/24`,
 * `feedback:7 false positive on alert 41: travelling` → `false positive #7 on alert 41: travelling`.
 */
export function entryName(label: string): string {
  const parsed = /^(trust|allow|feedback):(\d+) ([\s\S]*)$/.exec(label);
  if (!parsed) return label;
  const [, source = '', id, rest = ''] = parsed;
  const name = `${SOURCES[source] ?? source} #${id}`;
  return source === 'feedback' ? `${name} ${rest.replace(/^false positive /, '')}` : `${name}: ${rest}`;
}

/** What lowered a signal and what it scored before; null when nothing did. */
export function loweringOf(signal: SignalView): { by: string; before: number } | null {
  const by = signal.evidence.loweredBy;
  if (typeof by !== 'string') return null;
  const before = signal.evidence.scoreBefore;
  return { by, before: typeof before === 'number' ? before : signal.score };
}

const points = (score: number) => Math.round(score * 100);

/**
 * An event's or alert's signals, strongest first. A lowered signal reads as
 * lowered: its score struck from what it was to what it is, muted, and the
 * trust, allow-list or false-positive entry that lowered it named.
 */
export function Signals({ signals, className = 'signals' }: { signals: readonly SignalView[]; className?: string }) {
  if (signals.length === 0) return null;
  return (
    <ul className={className}>
      {signals.map((signal) => {
        const lowering = loweringOf(signal);
        if (lowering === null) return <li key={signal.name}>{signal.message}</li>;
        const message = signal.message.replace(/; lowered by [\s\S]*$/, '');
        return (
          <li key={signal.name} className="signal-lowered" data-testid="signal-lowered" data-signal={signal.name}>
            <span className="signal-message">{message}</span>{' '}
            <span className="signal-scores">
              <span className="visually-hidden">scored </span>
              <s>{points(lowering.before)}</s>
              <span aria-hidden="true"> → </span>
              <span className="visually-hidden"> now </span>
              {points(signal.score)}
            </span>{' '}
            <span className="lowered-by">lowered by {entryName(lowering.by)}</span>
          </li>
        );
      })}
    </ul>
  );
}
