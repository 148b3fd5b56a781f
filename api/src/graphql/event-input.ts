import type { FieldIssue, NormalizedEvent, Validated } from '../domain/event-input.ts';
import { parseLegacyEvent } from '../domain/event-input.ts';

/** The GraphQL `EventInput`, as the schema delivers it. */
export interface EventInputShape {
  userId: string | number;
  kind: string;
  timestamp?: string | number | null;
  eventId?: string | null;
  meta?: {
    browser?: string | null;
    os?: string | null;
    ip?: string | null;
    device?: string | null;
    devType?: string | null;
    userAgent?: string | null;
    success?: boolean | null;
    outcome?: string | null;
    country?: string | null;
    city?: string | null;
    asn?: number | null;
    lat?: number | null;
    lon?: number | null;
    extra?: Record<string, unknown> | null;
  } | null;
}

// GraphQL spells fields in camelCase; the shared validator speaks the REST
// body's snake_case. Issue paths are mapped back so clients see their own names.
const TO_GRAPHQL: Record<string, string> = {
  user_id: 'userId',
  event_id: 'eventId',
  'meta.dev_type': 'meta.devType',
  'meta.user_agent': 'meta.userAgent',
};

function toLegacyBody(input: EventInputShape): Record<string, unknown> {
  const m = input.meta;
  const meta: Record<string, unknown> = { ...(m?.extra ?? {}) };
  const known: Array<[string, unknown]> = [
    ['browser', m?.browser],
    ['os', m?.os],
    ['ip', m?.ip],
    ['device', m?.device],
    ['dev_type', m?.devType],
    ['user_agent', m?.userAgent],
    ['success', m?.success],
    ['outcome', m?.outcome],
    ['country', m?.country],
    ['city', m?.city],
    ['asn', m?.asn],
    ['lat', m?.lat],
    ['lon', m?.lon],
  ];
  for (const [key, value] of known) if (value != null) meta[key] = value;
  return {
    user_id: typeof input.userId === 'number' ? String(input.userId) : input.userId,
    kind: input.kind,
    timestamp: input.timestamp ?? undefined,
    event_id: input.eventId ?? undefined,
    meta,
  };
}

function renamed(issue: FieldIssue, prefix: string): FieldIssue {
  const match = /^(\[\d+\]\.?)?(.*)$/.exec(issue.field);
  const rest = match?.[2] ?? issue.field;
  const field = rest === 'body' ? prefix : `${prefix}.${TO_GRAPHQL[rest] ?? rest}`;
  return { field, message: issue.message };
}

/** Validates one GraphQL event input with the same rules as `POST /ingest`; `prefix` names it (`input`, `inputs[2]`). */
export function parseEventInput(
  input: EventInputShape,
  prefix: string,
  maxMetaBytes: number,
): Validated<NormalizedEvent> {
  const parsed = parseLegacyEvent(toLegacyBody(input), { maxMetaBytes });
  if (parsed.ok) return parsed;
  return { ok: false, issues: parsed.issues.map((issue) => renamed(issue, prefix)) };
}
