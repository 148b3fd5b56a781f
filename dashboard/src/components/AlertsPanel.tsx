'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import {
  type AlertStatus,
  useAlertsPanel_AlertChangedSubscription,
  useAlertsPanel_AlertsQuery,
  useAlertsPanel_SetStatusMutation,
} from '../generated/graphql';
import { formatTime, plural, userHref, visibleId } from '../lib/format';
import { useThrottled } from '../lib/use-throttled';
import { RiskBadge } from './RiskBadge';

const SHOWN = 10;
/** Signal messages shown per alert; the rest are on the user's page. */
const REASONS = 3;

/**
 * Open and acknowledged alerts, newest first, with triage buttons. Live: an
 * alert opened, extended or triaged anywhere refreshes the list.
 */
export function AlertsPanel({ userId }: { userId?: string }) {
  const [{ data, error }, reexecute] = useAlertsPanel_AlertsQuery({
    variables: { userId: userId ?? null, first: SHOWN },
  });
  const [triage, setStatus] = useAlertsPanel_SetStatusMutation();
  const refresh = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), 500);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  useAlertsPanel_AlertChangedSubscription({ variables: { userId: userId ?? null }, pause: !mounted }, (_, change) => {
    refresh();
    return change;
  });

  const alerts = data?.alerts;
  const act = async (id: string, status: AlertStatus) => {
    await setStatus({ id, status });
    refresh();
  };
  return (
    <section className="card alerts" aria-labelledby="alerts-title">
      <h2 id="alerts-title">
        Alerts{' '}
        {alerts ? (
          <span className="muted" data-testid="alert-count">
            {plural(alerts.totalCount, 'open alert')}
          </span>
        ) : null}
      </h2>
      {error ? <p role="alert">{error.message}</p> : null}
      {triage.error ? <p role="alert">Could not update the alert: {triage.error.message}</p> : null}
      {alerts && alerts.nodes.length === 0 ? (
        <p className="muted">No open alerts.</p>
      ) : (
        <ol className="alert-list">
          {alerts?.nodes.map((alert) => (
            <li key={alert.id} data-testid="alert" data-status={alert.status.toLowerCase()}>
              <div className="alert-head">
                <RiskBadge score={alert.score} level={alert.level} />
                {userId === undefined ? <Link href={userHref(alert.user.id)}>{visibleId(alert.user.id)}</Link> : null}
                <span className="alert-status">{alert.status.toLowerCase()}</span>
              </div>
              <ul className="alert-reasons">
                {alert.signals.slice(0, REASONS).map((signal) => (
                  <li key={signal.name}>{signal.message}</li>
                ))}
              </ul>
              <p className="muted alert-when">
                {plural(alert.events, 'risky event')}, {formatTime(alert.firstAt)}
                {alert.lastAt === alert.firstAt ? '' : ` to ${formatTime(alert.lastAt)}`}
              </p>
              <div className="alert-actions">
                {alert.status === 'OPEN' ? (
                  <button type="button" disabled={triage.fetching} onClick={() => act(alert.id, 'ACKNOWLEDGED')}>
                    Acknowledge
                  </button>
                ) : null}
                <button
                  type="button"
                  className="secondary"
                  disabled={triage.fetching}
                  onClick={() => act(alert.id, 'RESOLVED')}
                >
                  Resolve
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
