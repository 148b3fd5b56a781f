import type { AlertRecord, AlertSource } from '../domain/risk/alert-export.ts';
import { formatTimestamp } from '../domain/timestamp.ts';

/** The REST shape of an alert: snake_case like the rest of the shim. */
export function alertJson(alert: AlertRecord) {
  return {
    id: alert.id,
    user_id: alert.userId,
    status: alert.status,
    score: alert.score,
    level: alert.level,
    signals: alert.signals,
    events: alert.events,
    first_event_id: alert.firstEventId,
    last_event_id: alert.lastEventId,
    first_at: formatTimestamp(alert.firstAt),
    last_at: formatTimestamp(alert.lastAt),
    created_at: formatTimestamp(alert.createdAt),
    updated_at: formatTimestamp(alert.updatedAt),
    ...(alert.source === undefined ? {} : { source: sourceJson(alert.source) }),
  };
}

/** Where the last event came from; null when that event is gone. */
function sourceJson(source: AlertSource | null) {
  if (source === null) return null;
  return {
    ip: source.ip,
    user_agent: source.userAgent,
    outcome: source.outcome,
    country: source.country,
    city: source.city,
    location: source.location,
    asn: source.asn,
    as_organization: source.asnOrganization,
  };
}
