import type { FieldIssue } from '../domain/event-input.ts';

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
    networkType?: string | null;
    extra?: Record<string, unknown> | null;
  } | null;
}

// GraphQL spells fields in camelCase; the ingest pipeline's validate step
// speaks the REST body's snake_case. Issue paths are mapped back so clients
// see their own names.
const TO_GRAPHQL: Record<string, string> = {
  user_id: 'userId',
  event_id: 'eventId',
  'meta.dev_type': 'meta.devType',
  'meta.user_agent': 'meta.userAgent',
  'meta.network_type': 'meta.networkType',
};

/** The event input in the legacy body's shape, which the validate step (ingest/validate.ts) reads. */
export function toLegacyBody(input: EventInputShape): Record<string, unknown> {
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
    ['network_type', m?.networkType],
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

/**
 * The validate step's issues with the paths a GraphQL client sent: under the
 * mutation's `argument` (`input`, or `inputs` for a batch), in camelCase, so
 * `[2].user_id` becomes `inputs[2].userId` and the request as a whole (`body`)
 * the argument itself.
 */
export function toGraphQLIssues(issues: readonly FieldIssue[], argument: string): FieldIssue[] {
  return issues.map(({ field, message }) => {
    const [, index = '', rest = ''] = /^(\[\d+\])?\.?(.*)$/.exec(field) ?? [];
    const head = `${argument}${index}`;
    return { field: rest === '' || rest === 'body' ? head : `${head}.${TO_GRAPHQL[rest] ?? rest}`, message };
  });
}
