import type { DriftReasonCode, RiskCharts_RiskDayFragment } from '../generated/graphql';

const FACTOR_LABELS: Record<DriftReasonCode, string> = {
  MULTIPLE_IPS: 'New network',
  MULTIPLE_OS: 'New OS',
  MULTIPLE_BROWSERS: 'New browser',
  MULTIPLE_DEVICE_TYPES: 'New device type',
  ABRUPT_DEVICE_SWITCH: 'Device switch',
};

/** The drift score at the end of each day, carried over days without events. */
export function DriftChart({ days }: { days: RiskCharts_RiskDayFragment[] }) {
  const width = 600;
  const height = 160;
  const pad = { left: 32, right: 8, top: 8, bottom: 24 };
  let carried: number | null = null;
  const points = days.map((day, index) => {
    if (day.maxDriftScore !== null) carried = day.maxDriftScore;
    const x = pad.left + (index / Math.max(1, days.length - 1)) * (width - pad.left - pad.right);
    const y = carried === null ? null : pad.top + (1 - carried / 100) * (height - pad.top - pad.bottom);
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
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
        {[0, 25, 50, 75, 100].map((tick) => {
          const y = pad.top + (1 - tick / 100) * (height - pad.top - pad.bottom);
          return (
            <g key={tick}>
              <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} className="grid" />
              <text x={pad.left - 6} y={y + 4} textAnchor="end" className="tick">
                {tick}
              </text>
            </g>
          );
        })}
        <polyline className="line" points={drawn.map((p) => `${p.x},${p.y}`).join(' ')} />
        {drawn.map((p) => (
          <circle key={p.day} cx={p.x} cy={p.y} r={2.5} className="dot">
            <title>{`${p.day}: ${p.score}`}</title>
          </circle>
        ))}
        <DayAxis days={days} left={pad.left} right={width - pad.right} y={height - 6} />
      </svg>
    </figure>
  );
}

/** The first and last day under a chart. */
function DayAxis({
  days,
  left,
  right,
  y,
}: {
  days: RiskCharts_RiskDayFragment[];
  left: number;
  right: number;
  y: number;
}) {
  return (
    <>
      <text x={left} y={y} className="tick">
        {days[0]?.day}
      </text>
      <text x={right} y={y} textAnchor="end" className="tick">
        {days.at(-1)?.day}
      </text>
    </>
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
  const width = 600;
  const height = 160;
  const pad = { left: 32, right: 8, top: 8, bottom: 24 };
  const slot = (width - pad.left - pad.right) / Math.max(1, days.length);
  const scored = days.filter((day) => day.maxRisk !== null && day.maxRisk !== undefined);
  const peak = scored.reduce<(typeof scored)[number] | undefined>(
    (best, day) => (best === undefined || (day.maxRisk ?? 0) > (best.maxRisk ?? 0) ? day : best),
    undefined,
  );
  const summary =
    peak === undefined
      ? 'No event in this period was scored by risk model v2.'
      : `Highest event risk ${peak.maxRisk} (${riskLevelOf(peak.maxRisk ?? 0)}) on ${peak.day}; ${scored.length} days with scored events.`;
  const y = (score: number) => pad.top + (1 - score / 100) * (height - pad.top - pad.bottom);
  return (
    <figure className="chart" data-testid="event-risk-chart">
      <figcaption>Highest event risk per day (model v2)</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
        {[0, 30, 60, 80, 100].map((tick) => (
          <g key={tick}>
            <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} className="grid" />
            <text x={pad.left - 6} y={y(tick) + 4} textAnchor="end" className="tick">
              {tick}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          if (day.maxRisk === null || day.maxRisk === undefined) return null;
          const top = y(Math.max(day.maxRisk, 1));
          return (
            <rect
              key={day.day}
              x={pad.left + index * slot + slot * 0.15}
              width={slot * 0.7}
              y={top}
              height={y(0) - top}
              className={`risk-bar risk-bar-${riskLevelOf(day.maxRisk)}`}
            >
              <title>{`${day.day}: ${day.maxRisk} (${riskLevelOf(day.maxRisk)})`}</title>
            </rect>
          );
        })}
        <DayAxis days={days} left={pad.left} right={width - pad.right} y={height - 6} />
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
