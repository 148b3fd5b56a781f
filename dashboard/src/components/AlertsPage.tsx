'use client';

import { type ReactNode, useEffect, useRef, useState } from 'react';
import {
  type AlertCard_AlertFragment,
  type AlertOrder,
  type AlertStatus,
  type IncidentCard_IncidentFragment,
  type RiskLevel,
  useAlertsPage_AlertChangedSubscription,
  useAlertsPage_AlertsQuery,
  useAlertsPage_IncidentsQuery,
  useAlertsPage_SetStatusesMutation,
  type VerdictKind,
} from '../generated/graphql';
import { STATUS_FILTERS, type StatusFilter } from '../lib/alert-filters';
import { plural } from '../lib/format';
import { PAGE_SIZES } from '../lib/page-sizes';
import { useCursorPages } from '../lib/use-cursor-pages';
import { useThrottled } from '../lib/use-throttled';
import { AlertCard, useFalsePositiveMarks } from './AlertCard';
import { IncidentCard } from './IncidentCard';
import { Pager } from './Pager';
import { LEVELS, SeverityLegend } from './SeverityLegend';
import { Failure, Loading } from './States';
import { VERDICT_NAMES } from './VerdictBadge';

const PAGE_SIZE = PAGE_SIZES.AlertsPage_Alerts;

type Item =
  | { kind: 'alert'; alert: AlertCard_AlertFragment }
  | { kind: 'incident'; incident: IncidentCard_IncidentFragment };

/**
 * A page of alerts with a campaign's alerts folded into its incident: the
 * incident takes the place of the first of them, the others are left out.
 */
function itemsOf(alerts: AlertCard_AlertFragment[], incidents: IncidentCard_IncidentFragment[]): Item[] {
  const incidentOf = new Map<string, IncidentCard_IncidentFragment>();
  for (const incident of incidents) {
    if (incident.accounts < 2) continue;
    for (const alert of incident.alerts) incidentOf.set(alert.id, incident);
  }
  const placed = new Set<string>();
  const items: Item[] = [];
  for (const alert of alerts) {
    const incident = incidentOf.get(alert.id);
    if (incident === undefined) items.push({ kind: 'alert', alert });
    else if (!placed.has(incident.id)) {
      placed.add(incident.id);
      items.push({ kind: 'incident', incident });
    }
  }
  return items;
}

function Choice<T extends string>(props: {
  label: string;
  value: T;
  options: ReadonlyArray<readonly [T, string]>;
  onChange: (value: T) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Every alert, a page at a time: filtered by status (resolved history
 * included), level, verdict and user; newest or highest first; triage one at a
 * time or in bulk; a note and an assignee per alert. Live: alerts opened,
 * escalated or changed anywhere appear without a reload.
 */
export function AlertsPage({
  initialUser = '',
  initialStatus = 'active',
}: {
  initialUser?: string;
  initialStatus?: StatusFilter;
}) {
  const [status, setStatusFilter] = useState<StatusFilter>(initialStatus);
  const [level, setLevel] = useState<RiskLevel | ''>('');
  const [verdict, setVerdict] = useState<VerdictKind | ''>('');
  const [user, setUser] = useState(initialUser);
  const [orderBy, setOrderBy] = useState<AlertOrder>('NEWEST');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const pages = useCursorPages();
  const statuses = [...STATUS_FILTERS[status].statuses];
  const [result, reexecute] = useAlertsPage_AlertsQuery({
    variables: {
      status: statuses,
      level: level ? [level] : null,
      verdict: verdict ? [verdict] : null,
      userId: user.trim() || null,
      orderBy,
      first: PAGE_SIZE,
      after: pages.after,
    },
  });
  const [incidentResult, reexecuteIncidents] = useAlertsPage_IncidentsQuery({ variables: { status: statuses } });
  const [bulk, setStatuses] = useAlertsPage_SetStatusesMutation();
  const { marks, onMarked } = useFalsePositiveMarks();
  // Keep the last answer on screen while a new filter or page loads.
  const last = useRef(result.data);
  if (result.data) last.current = result.data;
  const data = result.data ?? last.current;

  const refresh = useThrottled(() => {
    reexecute({ requestPolicy: 'network-only' });
    reexecuteIncidents({ requestPolicy: 'network-only' });
  }, 500);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  useAlertsPage_AlertChangedSubscription({ pause: !mounted }, (_, change) => {
    setChanged((ids) => new Set(ids).add(change.alertChanged.id));
    refresh();
    return change;
  });

  const expired = result.error?.graphQLErrors.some((e) => e.extensions?.code === 'CURSOR_EXPIRED') ?? false;
  const restart = pages.reset;
  useEffect(() => {
    if (expired) restart();
  }, [expired, restart]);

  const filtered =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setSelected(new Set());
      pages.reset();
    };

  if (result.error && !data) return <Failure error={result.error} />;
  const alerts = data?.alerts;
  const items = alerts ? itemsOf(alerts.nodes, incidentResult.data?.incidents ?? []) : [];
  const idsOf = (item: Item): string[] =>
    item.kind === 'alert' ? [item.alert.id] : item.incident.alerts.map((alert) => alert.id);
  const pageIds = items.flatMap(idsOf);
  // Marked here, so resolved and perhaps gone from the filter: kept, saying so, with undo.
  const marked = [...marks.values()].filter(({ alert }) => !pageIds.includes(alert.id));
  const selectionOf = (item: Item) => {
    const ids = idsOf(item);
    return {
      checked: ids.every((id) => selected.has(id)),
      onChange: (checked: boolean) =>
        setSelected((current) => {
          const next = new Set(current);
          for (const id of ids) {
            if (checked) next.add(id);
            else next.delete(id);
          }
          return next;
        }),
    };
  };
  const applyBulk = async (to: AlertStatus) => {
    await setStatuses({ ids: [...selected], status: to });
    setSelected(new Set());
    refresh();
  };
  const bulkButton = (to: AlertStatus, text: ReactNode) => (
    <button type="button" disabled={selected.size === 0 || bulk.fetching} onClick={() => applyBulk(to)}>
      {text}
    </button>
  );

  return (
    <div className="alerts-page">
      <div className="page-head">
        <h1>Alerts</h1>
        <SeverityLegend />
      </div>
      <form className="card filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <Choice
          label="Status"
          value={status}
          options={Object.entries(STATUS_FILTERS).map(([key, { label }]) => [key as StatusFilter, label] as const)}
          onChange={filtered(setStatusFilter)}
        />
        <Choice
          label="Level"
          value={level}
          options={[['', 'any'] as const, ...[...LEVELS].reverse().map((l) => [l, l.toLowerCase()] as const)]}
          onChange={filtered(setLevel)}
        />
        <Choice
          label="Verdict"
          value={verdict}
          options={[
            ['', 'any'] as const,
            ...Object.entries(VERDICT_NAMES).map(([kind, name]) => [kind as VerdictKind, name] as const),
          ]}
          onChange={filtered(setVerdict)}
        />
        <label>
          User{' '}
          <input type="search" value={user} placeholder="user id" onChange={(e) => filtered(setUser)(e.target.value)} />
        </label>
        <Choice
          label="Order"
          value={orderBy}
          options={[
            ['NEWEST', 'newest first'],
            ['HIGHEST', 'highest first'],
          ]}
          onChange={filtered(setOrderBy)}
        />
      </form>

      <section className="card" aria-labelledby="alert-list-title">
        <div className="card-head">
          <h2 id="alert-list-title">
            {STATUS_FILTERS[status].label === 'all' ? 'All alerts' : `Alerts: ${STATUS_FILTERS[status].label}`}{' '}
            {alerts ? (
              <span className="muted" data-testid="alerts-total">
                {plural(alerts.totalCount, 'alert')}
              </span>
            ) : null}
          </h2>
        </div>
        <fieldset className="bulk-bar">
          <legend className="visually-hidden">Bulk actions</legend>
          <label>
            <input
              type="checkbox"
              checked={pageIds.length > 0 && pageIds.every((id) => selected.has(id))}
              disabled={pageIds.length === 0}
              onChange={(e) => setSelected(e.target.checked ? new Set([...selected, ...pageIds]) : new Set())}
            />{' '}
            Select all on this page
          </label>
          <span data-testid="selected-count">{plural(selected.size, 'selected alert')}</span>
          {bulkButton('ACKNOWLEDGED', 'Acknowledge selected')}
          {bulkButton('RESOLVED', 'Resolve selected')}
          {bulkButton('OPEN', 'Reopen selected')}
        </fieldset>
        {bulk.error ? <p role="alert">Could not update the alerts: {bulk.error.message}</p> : null}
        {result.error ? <p role="alert">{result.error.message}</p> : null}
        {!alerts ? (
          <Loading what="alerts" />
        ) : items.length === 0 && marked.length === 0 ? (
          <p className="muted">No alerts match.</p>
        ) : (
          <ol className="alert-list alerts-page-list">
            {marked.map(({ alert, mark }) => (
              <li key={alert.id}>
                <AlertCard alert={alert} mark={mark} onMarked={onMarked} onChanged={refresh} />
              </li>
            ))}
            {items.map((item) =>
              item.kind === 'alert' ? (
                <li key={item.alert.id} data-changed={changed.has(item.alert.id) ? 'live' : undefined}>
                  <AlertCard
                    alert={item.alert}
                    editable
                    selection={selectionOf(item)}
                    onChanged={refresh}
                    mark={marks.get(item.alert.id)?.mark}
                    onMarked={onMarked}
                  />
                </li>
              ) : (
                <li key={item.incident.id}>
                  <IncidentCard incident={item.incident} listAll selection={selectionOf(item)} />
                </li>
              ),
            )}
          </ol>
        )}
        {alerts ? (
          <Pager
            label="Alert pages"
            previous={{ text: 'Previous', disabled: pages.page === 1, onClick: pages.previous }}
            next={{
              text: 'Next',
              disabled: !alerts.pageInfo.hasNextPage,
              onClick: () => pages.next(alerts.pageInfo.endCursor),
            }}
          >
            Page {pages.page}
          </Pager>
        ) : null}
      </section>
    </div>
  );
}
