/** What a producer sends: one login, logout or other account event. */
export interface ProducerEvent {
  userId: string;
  /** login, logout, password_change, … */
  kind: string;
  /** When it happened; the server's receive time when absent. */
  timestamp?: Date | number | string;
  /** Makes re-sending safe: the server stores an id once per user. Generated when absent. */
  eventId?: string;
  /** browser, os, device, ip, user_agent, success, country, asn, … and any other keys (see docs/rest-api.md). */
  meta?: Record<string, unknown>;
}

/** The event as `POST /ingest` takes it (the original engine's shape). */
export interface WireEvent {
  user_id: string;
  kind: string;
  event_id: string;
  timestamp?: number | string;
  meta?: Record<string, unknown>;
}

export function toWire(event: ProducerEvent, newId: () => string): WireEvent {
  const { timestamp } = event;
  return {
    user_id: event.userId,
    kind: event.kind,
    event_id: event.eventId ?? newId(),
    ...(timestamp === undefined ? {} : { timestamp: timestamp instanceof Date ? timestamp.getTime() : timestamp }),
    ...(event.meta === undefined ? {} : { meta: event.meta }),
  };
}
