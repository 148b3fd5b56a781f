import type { DriftReasonCode, RiskCharts_RiskDayFragment } from '../generated/graphql';

const FACTOR_LABELS: Record<DriftReasonCode, string> = {
  MULTIPLE_IPS: 'New network',
  MULTIPLE_OS: 'New OS',
  MULTIPLE_BROWSERS: 'New browser',
  MULTIPLE_DEVICE_TYPES: 'New device type',
  ABRUPT_DEVICE_SWITCH: 'Device switch',
};

/** Both charts: one frame, a 0–100 score scale upwards, days left to right. */
const WIDTH = 600;
const HEIGHT = 160;
const PAD = { left: 32, right: 8, top: 8, bottom: 24 };
const scoreY = (score: number) => PAD.top + (1 - score / 100) * (HEIGHT - PAD.top - PAD.bottom);

/** Labelled horizontal lines at the given scores. */
function ScoreGrid({ ticks }: { ticks: readonly number[] }) {
  return (
    <>
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={scoreY(tick)} y2={scoreY(tick)} className="grid" />
          <text x={PAD.left - 6} y={scoreY(tick) + 4} textAnchor="end" className="tick">
            {tick}
          </text>
        </g>
      ))}
    </>
  );
}

/** The first and last day under a chart. */
function DayAxis({ days }: { days: RiskCharts_RiskDayFragment[] }) {
  return (
    <>
      <text x={PAD.left} y={HEIGHT - 6} className="tick">
        {days[0]?.day}
      </text>
      <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="tick">
        {days.at(-1)?.day}
      </text>
    </>
  );
}

/** The drift score at the end of each day, carried over days without events. */
export function DriftChart({ days }: { days: RiskCharts_RiskDayFragment[] }) {
  let carried: number | null = null;
  const points = days.map((day, index) => {
    if (day.maxDriftScore !== null) carried = day.maxDriftScore;
    const x = PAD.left + (index / Math.max(1, days.length - 1)) * (WIDTH - PAD.left - PAD.right);
    const y = carried === null ? null : scoreY(carried);
    return { x, y, day: day.day, score: carried };
  });
  const drawn = points.filter((p): p is { x: number; y: number; day: string; score: number } => p.y !== null);
  const last = drawn.at(-1);
  const summary =
    last === undefined
      ? 'No events in this period.'
      : `Drift score from ${drawn[0]?.score} on ${drawn[0]?.day} to ${last.score} on ${last.day}.`;
  return (
    <figure className="chart">
      <figcaption>Drift score over time</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <ScoreGrid ticks={[0, 25, 50, 75, 100]} />
        <polyline className="line" points={drawn.map((p) => `${p.x},${p.y}`).join(' ')} />
        {drawn.map((p) => (
          <circle key={p.day} cx={p.x} cy={p.y} r={2.5} className="dot">
            <title>{`${p.day}: ${p.score}`}</title>
          </circle>
        ))}
        <DayAxis days={days} />
      </svg>
    </figure>
  );
}

/** Level bands of the v2 scale, as the API maps them (low < 30 ≤ medium < 60 ≤ high < 80 ≤ critical). */
function riskLevelOf(score: number): 'low' | 'medium' | 'high' | 'critical' {
  if (score >= 80) return 'critical';
  if (score >= 60) return 'high';
  if (score >= 30) return 'medium';
  return 'low';
}

/** Each day's highest v2 event risk as a bar, coloured by level; days without scored events stay empty. */
export function EventRiskChart({ days }: { days: RiskCharts_RiskDayFragment[] }) {
  const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, days.length);
  const scored = days.filter((day) => day.maxRisk !== null && day.maxRisk !== undefined);
  const peak = scored.reduce<(typeof scored)[number] | undefined>(
    (best, day) => (best === undefined || (day.maxRisk ?? 0) > (best.maxRisk ?? 0) ? day : best),
    undefined,
  );
  const summary =
    peak === undefined
      ? 'No event in this period was scored by risk model v2.'
      : `Highest event risk ${peak.maxRisk} (${riskLevelOf(peak.maxRisk ?? 0)}) on ${peak.day}; ${scored.length} days with scored events.`;
  return (
    <figure className="chart" data-testid="event-risk-chart">
      <figcaption>Highest event risk per day (model v2)</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <ScoreGrid ticks={[0, 30, 60, 80, 100]} />
        {days.map((day, index) => {
          if (day.maxRisk === null || day.maxRisk === undefined) return null;
          const top = scoreY(Math.max(day.maxRisk, 1));
          return (
            <rect
              key={day.day}
              x={PAD.left + index * slot + slot * 0.15}
              width={slot * 0.7}
              y={top}
              height={scoreY(0) - top}
              className={`risk-bar risk-bar-${riskLevelOf(day.maxRisk)}`}
            >
              <title>{`${day.day}: ${day.maxRisk} (${riskLevelOf(day.maxRisk)})`}</title>
            </rect>
          );
        })}
        <DayAxis days={days} />
      </svg>
    </figure>
  );
}

/** Risk factors raised per day: one row per factor, one column per day. */
export function FactorHeatmap({ days }: { days: RiskCharts_RiskDayFragment[] }) {
  const codes = Object.keys(FACTOR_LABELS) as DriftReasonCode[];
  const max = Math.max(1, ...days.flatMap((d) => d.factors.map((f) => f.count)));
  return (
    <figure className="chart heatmap">
      <figcaption>Risk factors by day</figcaption>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Factor</th>
              {days.map((d) => (
                <th key={d.day} scope="col" className="day">
                  <abbr title={d.day}>{d.day.slice(8)}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {codes.map((code) => (
              <tr key={code}>
                <th scope="row">{FACTOR_LABELS[code]}</th>
                {days.map((d) => {
                  const count = d.factors.find((f) => f.code === code)?.count ?? 0;
                  return (
                    <td
                      key={d.day}
                      className="cell"
                      style={{ '--heat': count === 0 ? 0 : 0.25 + 0.75 * (count / max) } as React.CSSProperties}
                      title={`${FACTOR_LABELS[code]} on ${d.day}: ${count}`}
                    >
                      <span className="visually-hidden">{count}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
