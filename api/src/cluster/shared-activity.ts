import type { ActivityEvent } from '../domain/risk/network-activity.ts';
import type { ClusterBus } from './bus.ts';

/** Where a node records the networks of events stored elsewhere, and reads the recent ones back from storage. */
export interface ActivityRecorder {
  recordActivityElsewhere(events: readonly ActivityEvent[]): void;
  /**
   * Records the stored events of the window's span again. Events it had
   * already recorded change nothing: the window counts each account once per
   * network.
   */
  refresh(): Promise<void>;
  /** How far back the window looks, in ms. */
  readonly windowMs: number;
}

/** Where committed writes are announced (the ingest pipeline), as far as this needs to know. */
export interface CommittedWrites {
  onIngested(listener: (outcome: { activity: readonly ActivityEvent[] }) => void): () => void;
}

/** One event on the wire: [user, at, ip, subnet, asn, flags (1 failed, 2 own network)]. */
type Wire = [string, number, string, string | null, number | null, number];

const FAILED = 1;
const OWN_NETWORK = 2;
/** Longer than any user id, IP or subnet the API stores: a message with a longer one is not ours. */
const MAX_TEXT = 1024;

/**
 * Credential stuffing and crowded networks are judged on what every account
 * did from a network in the last minutes, whichever node stored it. Each node
 * tells the others how its committed events were recorded in its window, and
 * records theirs in its own: a run spread over nodes is seen whole, once the
 * message has arrived (about a millisecond after the commit). When messages
 * may have been missed (Redis lost and back) and once subscribed at start,
 * the node reads the window's span from the database again.
 *
 * Registered before the live relay, so a node has recorded another's events
 * before its subscribers hear of them (one Redis connection sends both, in
 * order).
 */
export function shareNetworkActivity(
  ingest: CommittedWrites,
  recorder: ActivityRecorder,
  bus: ClusterBus,
  onRefreshFailed: (error: Error) => void,
): () => void {
  // An outage is announced several times (each connection, each other node): one reading runs at a time,
  // and announcements during it ask for one more after it.
  let reading: Promise<void> | null = null;
  let again = false;
  const refresh = (): void => {
    if (reading !== null) {
      again = true;
      return;
    }
    reading = recorder
      .refresh()
      .catch(onRefreshFailed)
      .finally(() => {
        reading = null;
        if (again) {
          again = false;
          refresh();
        }
      });
  };
  const stopSending = ingest.onIngested((outcome) => {
    if (outcome.activity.length > 0) bus.publish('activity', outcome.activity.map(toWire));
  });
  const stopHearing = bus.on('activity', (message) => {
    if (!Array.isArray(message)) return;
    // Another node's clock ahead of ours must not push a network's window past our own events.
    const latest = Date.now() + recorder.windowMs;
    recorder.recordActivityElsewhere(message.filter(isWire).map((wire) => fromWire(wire, latest)));
  });
  const stopMissed = bus.onMissed(refresh);
  // The engine read the window before this node could hear the others: what they stored meanwhile.
  bus.ready().then(refresh, () => {});
  return () => {
    stopSending();
    stopHearing();
    stopMissed();
  };
}

function toWire(event: ActivityEvent): Wire {
  const flags = (event.failed ? FAILED : 0) | (event.ownNetwork ? OWN_NETWORK : 0);
  return [event.userId, event.at, event.ip as string, event.subnet, event.asn, flags];
}

function fromWire([userId, at, ip, subnet, asn, flags]: Wire, latest: number): ActivityEvent {
  return {
    userId,
    at: Math.min(at, latest),
    ip,
    subnet,
    asn,
    failed: (flags & FAILED) !== 0,
    ownNetwork: (flags & OWN_NETWORK) !== 0,
  };
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_TEXT;

/** What another node sent is checked like any input: a wrong shape is dropped, never recorded. */
function isWire(value: unknown): value is Wire {
  if (!Array.isArray(value) || value.length !== 6) return false;
  const [userId, at, ip, subnet, asn, flags] = value as unknown[];
  return (
    isText(userId) &&
    Number.isFinite(at) &&
    isText(ip) &&
    (subnet === null || isText(subnet)) &&
    (asn === null || Number.isInteger(asn)) &&
    Number.isInteger(flags)
  );
}
