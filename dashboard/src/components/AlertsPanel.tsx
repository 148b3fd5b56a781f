'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import {
  useAlertsPanel_AlertChangedSubscription,
  useAlertsPanel_AlertsQuery,
  useAlertsPanel_IncidentsQuery,
} from '../generated/graphql';
import { plural } from '../lib/format';
import { PAGE_SIZES } from '../lib/page-sizes';
import { useThrottled } from '../lib/use-throttled';
import { AlertCard, useFalsePositiveMarks } from './AlertCard';
import { IncidentCard } from './IncidentCard';

/** Alerts shown; the alerts page has the rest. */
const SHOWN = 5;
/** Fetched, so that alerts folded into an incident still leave SHOWN to show. */
const FETCHED = PAGE_SIZES.AlertsPanel_Alerts;

/**
 * Open and acknowledged alerts, highest first, with triage buttons: all users'
 * on the overview (campaigns across accounts as one incident each), or one
 * user's. Live: an alert opened, extended or triaged anywhere refreshes it
 * and tells the page (`onAlertChanged`), whose severities it may change.
 */
export function AlertsPanel({ userId, onAlertChanged }: { userId?: string; onAlertChanged?: () => void }) {
  const overview = userId === undefined;
  const [{ data, error }, reexecute] = useAlertsPanel_AlertsQuery({
    variables: { userId: userId ?? null, first: overview ? FETCHED : SHOWN * 2 },
  });
  const [{ data: incidentData }, reexecuteIncidents] = useAlertsPanel_IncidentsQuery({ pause: !overview });
  const refresh = useThrottled(() => {
    reexecute({ requestPolicy: 'network-only' });
    if (overview) reexecuteIncidents({ requestPolicy: 'network-only' });
  }, 500);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  useAlertsPanel_AlertChangedSubscription({ variables: { userId: userId ?? null }, pause: !mounted }, (_, change) => {
    refresh();
    onAlertChanged?.();
    return change;
  });

  const { marks, onMarked } = useFalsePositiveMarks();
  const alerts = data?.alerts;
  // A campaign's alerts are shown once, as its incident.
  const incidents = (incidentData?.incidents ?? []).filter((incident) => incident.accounts > 1);
  const inIncident = new Set(incidents.flatMap((incident) => incident.alerts.map((alert) => alert.id)));
  const shown = (alerts?.nodes ?? []).filter((alert) => !inIncident.has(alert.id)).slice(0, SHOWN);
  // Marked here, so resolved and gone from the open list: kept, saying so, with undo.
  const listed = new Set(shown.map((alert) => alert.id));
  const marked = [...marks.values()].filter(({ alert }) => !listed.has(alert.id));
  const everyAlert = overview ? '/alerts' : `/alerts?user=${encodeURIComponent(userId)}`;
  return (
    <section className="card alerts" aria-labelledby="alerts-title">
      <div className="card-head">
        <h2 id="alerts-title">
          Open alerts{' '}
          {alerts ? (
            <span className="muted" data-testid="alert-count">
              {plural(alerts.totalCount, 'open alert')}
            </span>
          ) : null}
        </h2>
        <Link href={everyAlert}>{overview ? 'All alerts' : 'All alerts of this user'}</Link>
      </div>
      {error ? <p role="alert">{error.message}</p> : null}
      {alerts && alerts.nodes.length === 0 ? <p className="muted">No open alerts.</p> : null}
      {marked.length > 0 || (alerts?.nodes.length ?? 0) > 0 ? (
        <ol className="alert-list">
          {marked.map(({ alert, mark }) => (
            <li key={alert.id}>
              <AlertCard alert={alert} showUser={overview} mark={mark} onMarked={onMarked} onChanged={refresh} />
            </li>
          ))}
          {incidents.map((incident) => (
            <li key={incident.id}>
              <IncidentCard incident={incident} />
            </li>
          ))}
          {shown.map((alert) => (
            <li key={alert.id}>
              <AlertCard
                alert={alert}
                showUser={overview}
                onChanged={refresh}
                mark={marks.get(alert.id)?.mark}
                onMarked={onMarked}
              />
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
