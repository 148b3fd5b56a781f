'use client';

import { useEffect, useState } from 'react';
import { useTimeline_EventsQuery } from '../generated/graphql';
import { formatTime } from '../lib/format';
import { PAGE_SIZES } from '../lib/page-sizes';
import { useCursorPages } from '../lib/use-cursor-pages';
import { NetworkBadge, NetworkOperator, NetworkPlace } from './NetworkBadge';
import { Pager } from './Pager';
import { RiskBadge } from './RiskBadge';
import { Signals } from './Signals';

const PAGE_SIZE = PAGE_SIZES.Timeline_Events;
const KINDS = ['login', 'logout', 'action', 'purchase', 'password_change'];

/** The user's events, newest first, a page at a time, optionally of one kind. */
export function Timeline({ userId, refreshKey }: { userId: string; refreshKey: number }) {
  const [kind, setKind] = useState('');
  const pages = useCursorPages();
  const after = pages.after;
  const [{ data, error }, reexecute] = useTimeline_EventsQuery({
    variables: { id: userId, first: PAGE_SIZE, after, kind: kind || null },
  });
  useEffect(() => {
    if (refreshKey > 0) reexecute({ requestPolicy: 'network-only' });
  }, [refreshKey, reexecute]);
  const events = data?.user?.events;
  return (
    <section className="card" aria-labelledby="timeline-title">
      <div className="card-head">
        <h2 id="timeline-title">Timeline</h2>
        <label>
          Kind{' '}
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              pages.reset();
            }}
          >
            <option value="">all</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? <p role="alert">{error.message}</p> : null}
      {events && events.nodes.length === 0 ? (
        <p className="muted">No events{kind ? ` of kind ${kind}` : ''}.</p>
      ) : (
        <div className="table-wrap">
          <table className="timeline cards-on-phone" data-testid="timeline">
            <caption className="visually-hidden">Events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Kind</th>
                <th scope="col">Device</th>
                <th scope="col">Browser</th>
                <th scope="col">OS</th>
                <th scope="col">IP</th>
                <th scope="col">Place and network</th>
                <th scope="col" title="Legacy drift score after this event: variety of devices and networks">
                  Drift after
                </th>
                <th scope="col">Raised</th>
                <th scope="col" title="This event's risk score, its severity and why">
                  Risk
                </th>
              </tr>
            </thead>
            <tbody>
              {events?.nodes.map((event) => (
                <tr key={event.id} data-testid="timeline-row">
                  <td>
                    <time dateTime={event.timestamp}>{formatTime(event.timestamp)}</time>
                  </td>
                  <td data-label="Kind">{event.kind}</td>
                  <td data-label="Device">{event.device ?? '—'}</td>
                  <td data-label="Browser">{event.browser ?? '—'}</td>
                  <td data-label="OS">{event.os ?? '—'}</td>
                  <td data-label="IP">{event.ip ?? '—'}</td>
                  <td data-label="Place, network" data-testid="event-network">
                    <NetworkPlace network={event.network} /> <NetworkBadge network={event.network} />{' '}
                    <NetworkOperator network={event.network} />
                  </td>
                  <td data-label="Drift after" className="num">
                    {event.driftScore}
                  </td>
                  <td data-label="Raised">
                    {event.factors.length === 0
                      ? '—'
                      : event.factors.map((f) => f.toLowerCase().replaceAll('_', ' ')).join(', ')}
                  </td>
                  <td data-label="Risk" data-testid="event-risk">
                    {event.risk.scored ? (
                      <>
                        <RiskBadge score={event.risk.score} level={event.risk.level} />
                        <Signals signals={event.risk.signals} />
                      </>
                    ) : (
                      <span className="muted" title="Stored before risk model v2">
                        —
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        Places:{' '}
        <a href="https://db-ip.com" rel="noreferrer">
          IP Geolocation by DB-IP
        </a>
        .
      </p>
      {events ? (
        <Pager
          label="Timeline pages"
          previous={{ text: 'Newer', disabled: pages.page === 1, onClick: pages.previous }}
          next={{
            text: 'Older',
            disabled: !events.pageInfo.hasNextPage,
            onClick: () => pages.next(events.pageInfo.endCursor),
          }}
        >
          Page {pages.page}
        </Pager>
      ) : null}
    </section>
  );
}
