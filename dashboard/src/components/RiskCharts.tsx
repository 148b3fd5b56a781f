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
        <text x={pad.left} y={height - 6} className="tick">
          {days[0]?.day}
        </text>
        <text x={width - pad.right} y={height - 6} textAnchor="end" className="tick">
          {days.at(-1)?.day}
        </text>
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
