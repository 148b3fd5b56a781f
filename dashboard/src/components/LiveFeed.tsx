'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { type LiveFeed_EventFragment, useLiveFeed_EventIngestedSubscription } from '../generated/graphql';
import { formatTime, userHref, visibleId } from '../lib/format';
import { useLiveState } from '../lib/providers';
import { clientOf } from './EventFacts';
import { NetworkLine } from './NetworkBadge';

const KEEP = 12;

/**
 * Events as they are stored, newest on top. `onEvent` lets the page refresh
 * whatever the new event changes.
 */
export function LiveFeed({ userId, onEvent }: { userId?: string; onEvent?: (event: LiveFeed_EventFragment) => void }) {
  // Subscriptions start in the browser only, after hydration.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const [{ data: feed }] = useLiveFeed_EventIngestedSubscription(
    { variables: { userId: userId ?? null }, pause: !mounted },
    (previous: LiveFeed_EventFragment[] = [], response) => {
      const event = response.eventIngested;
      onEvent?.(event);
      return [event, ...previous.filter((e) => e.id !== event.id)].slice(0, KEEP);
    },
  );
  const events = feed ?? [];
  const live = useLiveState();
  return (
    <section className="card live-feed" aria-labelledby="live-feed-title">
      <h2 id="live-feed-title">
        Live events <span className={`live-dot ${live === 'open' ? 'on' : ''}`} aria-hidden="true" />
      </h2>
      {live === 'signed-out' ? (
        <p className="muted" role="status">
          Live updates stopped: the session no longer signs in. <Link href="/signin">Sign in again</Link>
        </p>
      ) : null}
      {events.length === 0 ? (
        <p className="muted">Waiting for new events…</p>
      ) : (
        <ol className="feed" aria-live="polite" aria-relevant="additions">
          {events.map((event) => (
            <li key={event.id} data-testid="live-event">
              <time dateTime={event.timestamp}>{formatTime(event.timestamp)}</time>{' '}
              {userId === undefined ? <Link href={userHref(event.user.id)}>{visibleId(event.user.id)}</Link> : null}{' '}
              {event.kind}
              <div className="feed-facts">
                <NetworkLine network={event.network} />{' '}
                <span className="muted">
                  {clientOf(event)}
                  {event.ip ? ` · ${event.ip}` : ''}
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
