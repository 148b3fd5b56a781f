import type { NetworkBadge_EventNetworkFragment } from '../generated/graphql';
import { formatTime } from '../lib/format';
import { NetworkLine } from './NetworkBadge';

/** The fields of an event every list of events shows (the queries write them out; fragments cost a level). */
export interface EventFactsEvent {
  timestamp: string;
  kind: string;
  browser?: string | null;
  os?: string | null;
  device?: string | null;
  ip?: string | null;
  network: NetworkBadge_EventNetworkFragment;
}

/** The parsed device, browser and OS, as one phrase ("laptop · chrome · windows"). */
export function clientOf(event: Pick<EventFactsEvent, 'device' | 'browser' | 'os'>): string {
  return [event.device, event.browser, event.os].filter(Boolean).join(' · ') || 'unknown client';
}

/** One event in two short lines: when and what, then where from (place, network, operator) and on what. */
export function EventFacts({ event, label }: { event: EventFactsEvent; label?: string }) {
  return (
    <div className="event-facts" data-testid="event-facts">
      <div>
        {label ? <span className="muted">{label} </span> : null}
        <time dateTime={event.timestamp}>{formatTime(event.timestamp)}</time> {event.kind}
        {event.ip ? <span className="muted"> from {event.ip}</span> : null}
      </div>
      <div>
        <NetworkLine network={event.network} /> <span className="event-client">{clientOf(event)}</span>
      </div>
    </div>
  );
}
