import { z } from 'zod';
import { parseIp } from './ip.ts';
import { nestsDeeperThan } from './json-depth.ts';
import { NETWORK_TYPES, type NetworkType } from './risk/network-type.ts';
import { parseTimestamp } from './timestamp.ts';
import type { TokenSet } from './tokens.ts';
import { withUserAgentTokens } from './user-agent-tokens.ts';
import { parseUserId } from './user-id.ts';

/** An event as the engine stores it, whatever interface it came through. */
export interface NormalizedEvent {
  userId: string;
  kind: string;
  /** Producer-supplied id for safe retries, if any. */
  eventId: string | null;
  /** Epoch ms; null means "use the server's receive time". */
  timestamp: number | null;
  ip: string | null;
  tokens: TokenSet;
  /** The producer's meta object, unknown keys included, stored as sent. */
  meta: Record<string, unknown>;
  /**
   * `meta` as JSON. Validation serialises it once to measure it, and storage
   * stores this string; an event built in code may leave it out.
   */
  metaJson?: string;
  /** What the producer says beyond the legacy tokens, for the v2 risk model. */
  context: EventContext;
}

/** Producer-supplied facts for the v2 risk model; each wins over what the server derives. */
export interface EventContext {
  userAgent: string | null;
  outcome: 'success' | 'failure' | null;
  country: string | null;
  city: string | null;
  asn: number | null;
  lat: number | null;
  lon: number | null;
  /** `meta.network_type`: the producer's own verdict on the client's network (wins over the lists). */
  networkType: NetworkType | null;
}

export const EMPTY_CONTEXT: EventContext = {
  userAgent: null,
  outcome: null,
  country: null,
  city: null,
  asn: null,
  lat: null,
  lon: null,
  networkType: null,
};

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `meta.ip` or `[3].user_id`. */
  field: string;
  message: string;
}

/** One line for an error message: the first bad field and what is wrong with it. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  const [first] = issues;
  return first === undefined ? 'invalid input' : `${first.field}: ${first.message}`;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Default bound on a meta's JSON, in UTF-8 bytes: every stored meta is read back whole (timelines, GraphQL `meta`). */
export const DEFAULT_MAX_META_BYTES = 16 * 1024;
/** Objects and arrays nested in each other in a meta, the meta object itself included. */
const MAX_META_DEPTH = 32;

/**
 * The meta as JSON, or why it breaks the limits. Depth is checked first,
 * without recursion, so a deep meta cannot overflow the stack.
 */
function metaJsonWithin(
  meta: Record<string, unknown>,
  maxBytes: number,
  maxDepth = MAX_META_DEPTH,
): { json: string } | { issue: string } {
  if (nestsDeeperThan(meta, maxDepth))
    return { issue: `must not nest objects and arrays more than ${maxDepth} levels deep` };
  const json = JSON.stringify(meta);
  const bytes = Buffer.byteLength(json);
  return bytes > maxBytes ? { issue: `must be at most ${maxBytes} bytes as JSON (UTF-8); got ${bytes}` } : { json };
}

export const INPUT_LIMITS = {
  kind: 64,
  eventId: 128,
  token: 256,
  ip: 64,
  userAgent: 1024,
  city: 128,
} as const;

const mustBeString = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'must be a string');

const requiredText = (max: number) =>
  z.string({ error: mustBeString }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const optionalText = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : null));

const userId = z.unknown().transform((value, ctx) => {
  const parsed = parseUserId(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.id;
});

/** Browser, OS and device values: compared case- and space-insensitively. */
const token = optionalText(INPUT_LIMITS.token).transform((value) => (value === null ? null : value.toLowerCase()));

const ipAddress = optionalText(INPUT_LIMITS.ip).transform((value, ctx) => {
  if (value === null) return null;
  const parsed = parseIp(value);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: 'is not a valid IPv4 or IPv6 address' });
    return z.NEVER;
  }
  return parsed;
});

const timestamp = z
  .unknown()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === null) return null;
    const parsed = parseTimestamp(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.ms;
  });

const OUTCOMES: Record<string, 'success' | 'failure'> = {
  success: 'success',
  succeeded: 'success',
  ok: 'success',
  failure: 'failure',
  failed: 'failure',
  fail: 'failure',
  denied: 'failure',
};

const outcome = optionalText(16).transform((value, ctx) => {
  if (value === null) return null;
  const known = OUTCOMES[value.toLowerCase()];
  if (known === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be success or failure' });
    return z.NEVER;
  }
  return known;
});

const success = z.boolean({ error: 'must be true or false' }).nullish();

const country = optionalText(2).transform((value, ctx) => {
  if (value === null) return null;
  if (!/^[a-z]{2}$/i.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be a two-letter ISO 3166-1 country code' });
    return z.NEVER;
  }
  return value.toUpperCase();
});

/** `64500`, `"64500"` or `"AS64500"`. */
const asn = z
  .union([z.number(), z.string()], { error: 'must be an AS number' })
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value === '') return null;
    const number = typeof value === 'number' ? value : Number(value.trim().replace(/^as/i, ''));
    if (!Number.isInteger(number) || number < 0 || number > 4_294_967_295) {
      ctx.addIssue({ code: 'custom', message: 'must be an AS number (0–4294967295, optionally written AS64500)' });
      return z.NEVER;
    }
    return number;
  });

const networkType = optionalText(16).transform((value, ctx) => {
  if (value === null) return null;
  const type = value.toLowerCase();
  if (!(NETWORK_TYPES as readonly string[]).includes(type)) {
    ctx.addIssue({ code: 'custom', message: `must be one of ${NETWORK_TYPES.join(', ')}` });
    return z.NEVER;
  }
  return type as NetworkType;
});

const coordinate = (limit: number) =>
  z
    .number({ error: 'must be a number' })
    .min(-limit, `must be between -${limit} and ${limit}`)
    .max(limit, `must be between -${limit} and ${limit}`)
    .nullish()
    .transform((value) => value ?? null);

/** The known meta keys; everything else passes through untouched. */
const metaFields = z
  .looseObject({
    browser: token,
    os: token,
    device: token,
    dev_type: token,
    ip: ipAddress,
    user_agent: optionalText(INPUT_LIMITS.userAgent),
    userAgent: optionalText(INPUT_LIMITS.userAgent),
    success,
    outcome,
    country,
    city: optionalText(INPUT_LIMITS.city),
    asn,
    lat: coordinate(90),
    lon: coordinate(180),
    network_type: networkType,
  })
  .superRefine((m, ctx) => {
    // A latitude without a longitude is not a place.
    if ((m.lat === null) !== (m.lon === null)) {
      ctx.addIssue({ code: 'custom', path: [m.lat === null ? 'lat' : 'lon'], message: 'is required with lat and lon' });
    }
  });

const meta = z
  .unknown()
  .optional()
  .transform((value) => (value === undefined || value === null ? {} : value))
  .pipe(z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }).pipe(metaFields));

/** The legacy REST body: `{user_id, kind, meta?, timestamp?, event_id?}`. */
export const legacyEventSchema = z.object(
  {
    user_id: userId,
    kind: requiredText(INPUT_LIMITS.kind),
    event_id: optionalText(INPUT_LIMITS.eventId),
    timestamp,
    meta,
  },
  { error: 'must be a JSON object' },
);

type MetaFields = z.output<typeof metaFields>;

/** Builds the stored event from validated fields; `rawMeta` is kept as the producer sent it, `metaJson` is its JSON. */
export function toNormalizedEvent(
  fields: { userId: string; kind: string; eventId: string | null; timestamp: number | null; meta: MetaFields },
  rawMeta: unknown,
  metaJson: string,
): NormalizedEvent {
  const { meta: m } = fields;
  return {
    userId: fields.userId,
    kind: fields.kind,
    eventId: fields.eventId,
    timestamp: fields.timestamp,
    ip: m.ip?.address ?? null,
    tokens: withUserAgentTokens(
      {
        browser: m.browser,
        os: m.os,
        // Producers spell the device both ways; `device` wins when both are sent.
        device: m.device ?? m.dev_type,
        ipClass: m.ip?.ipClass ?? null,
      },
      m.user_agent ?? m.userAgent,
    ),
    meta: isPlainObject(rawMeta) ? rawMeta : {},
    metaJson,
    context: {
      userAgent: m.user_agent ?? m.userAgent,
      outcome: m.outcome ?? (m.success === true ? 'success' : m.success === false ? 'failure' : null),
      country: m.country,
      city: m.city,
      asn: m.asn,
      lat: m.lat,
      lon: m.lon,
      networkType: m.network_type,
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Formats a zod issue path the way error bodies name fields. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? 'body' : out;
}

export function toFieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({ field: fieldPath(issue.path, prefix), message: issue.message }));
}

export interface ParseOptions {
  /** Names the event in issue paths (`[3]` in a batch). */
  prefix?: string;
  maxMetaBytes?: number;
  maxMetaDepth?: number;
}

/** Validates one legacy REST event. */
export function parseLegacyEvent(body: unknown, options: ParseOptions = {}): Validated<NormalizedEvent> {
  const { prefix = '', maxMetaBytes = DEFAULT_MAX_META_BYTES, maxMetaDepth = MAX_META_DEPTH } = options;
  const rawMeta = isPlainObject(body) ? body.meta : undefined;
  // Anything but an object is refused by the schema without being walked.
  const checked = isPlainObject(rawMeta) ? metaJsonWithin(rawMeta, maxMetaBytes, maxMetaDepth) : { json: '{}' };
  const result = legacyEventSchema.safeParse(body);
  if (!result.success || 'issue' in checked) {
    const issues = result.success ? [] : toFieldIssues(result.error, prefix);
    if ('issue' in checked) issues.push({ field: fieldPath(['meta'], prefix), message: checked.issue });
    return { ok: false, issues };
  }
  const { user_id, kind, event_id, timestamp: ts, meta: m } = result.data;
  return {
    ok: true,
    value: toNormalizedEvent(
      { userId: user_id, kind, eventId: event_id, timestamp: ts, meta: m },
      rawMeta,
      checked.json,
    ),
  };
}

/** Validates a legacy batch, reporting every bad field of every event. */
export function parseLegacyBatch(body: unknown[], maxMetaBytes = DEFAULT_MAX_META_BYTES): Validated<NormalizedEvent[]> {
  const events: NormalizedEvent[] = [];
  const issues: FieldIssue[] = [];
  body.forEach((item, index) => {
    const parsed = parseLegacyEvent(item, { prefix: `[${index}]`, maxMetaBytes });
    if (parsed.ok) events.push(parsed.value);
    else issues.push(...parsed.issues);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: events };
}
