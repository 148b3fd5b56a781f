import type { DeviceMix_TokenCountFragment } from '../generated/graphql';

const DIMENSIONS: Array<{ key: string; title: string }> = [
  { key: 'device', title: 'Devices' },
  { key: 'browser', title: 'Browsers' },
  { key: 'os', title: 'Operating systems' },
  { key: 'ipClass', title: 'Networks' },
];

/** Share of the user's events per value, per dimension. */
export function DeviceMix({ tokens }: { tokens: DeviceMix_TokenCountFragment[] }) {
  return (
    <div className="mix">
      {DIMENSIONS.map(({ key, title }) => {
        const values = tokens.filter((t) => t.dimension === key);
        const total = values.reduce((sum, t) => sum + t.count, 0);
        return (
          <figure key={key} className="chart">
            <figcaption>{title}</figcaption>
            {values.length === 0 ? (
              <p className="muted">none reported</p>
            ) : (
              <ul className="bars">
                {values.slice(0, 8).map((t) => {
                  const share = Math.round((t.count / total) * 100);
                  return (
                    <li key={t.value}>
                      <span className="bar-label">{t.value}</span>
                      <span className="bar" style={{ width: `${Math.max(share, 2)}%` }} aria-hidden="true" />
                      <span className="bar-value">
                        {share}% <span className="visually-hidden">of events ({t.count})</span>
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </figure>
        );
      })}
    </div>
  );
}
