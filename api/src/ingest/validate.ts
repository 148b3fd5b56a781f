import { type FieldIssue, type NormalizedEvent, parseLegacyBatch, parseLegacyEvent } from '../domain/event-input.ts';

/** What one ingest request may carry. */
export interface IngestInputLimits {
  /** Events in one batch. */
  maxBatchEvents: number;
  /** One event's meta as JSON, in UTF-8 bytes. */
  maxMetaBytes: number;
}

/**
 * The events, normalised, or every issue with its field's path in the legacy
 * body's names: `meta.ip` for one event, `[3].user_id` in a batch, `body` for
 * the request as a whole. `tooLarge`: the batch holds more events than
 * allowed, which an interface may answer apart (REST says 413).
 */
export type ValidatedIngest =
  | { ok: true; events: NormalizedEvent[] }
  | { ok: false; issues: FieldIssue[]; tooLarge: boolean };

/**
 * The ingest pipeline's validate step for one event, in the legacy body's
 * shape (`{user_id, kind, meta?, timestamp?, event_id?}`), for REST and
 * GraphQL alike: the domain's rules (domain/event-input.ts) decide.
 */
export function validateEvent(body: unknown, limits: Pick<IngestInputLimits, 'maxMetaBytes'>): ValidatedIngest {
  const parsed = parseLegacyEvent(body, { maxMetaBytes: limits.maxMetaBytes });
  return parsed.ok ? { ok: true, events: [parsed.value] } : { ok: false, issues: parsed.issues, tooLarge: false };
}

/** The validate step for a batch: one to `maxBatchEvents` events, each validated, every bad field of every event reported. */
export function validateBatch(bodies: unknown[], limits: IngestInputLimits): ValidatedIngest {
  if (bodies.length === 0) return refused('a batch must contain at least one event', false);
  if (bodies.length > limits.maxBatchEvents) {
    return refused(`at most ${limits.maxBatchEvents} events per request`, true);
  }
  const parsed = parseLegacyBatch(bodies, limits.maxMetaBytes);
  return parsed.ok ? { ok: true, events: parsed.value } : { ok: false, issues: parsed.issues, tooLarge: false };
}

function refused(message: string, tooLarge: boolean): ValidatedIngest {
  return { ok: false, issues: [{ field: 'body', message }], tooLarge };
}
