import type { IncomingMessage } from 'node:http';
import { isAlertStatus } from '../domain/alert-policy.ts';
import type { Permission } from '../domain/api-key.ts';
import type { NormalizedEvent } from '../domain/event-input.ts';
import { type AlertStatus, toCef, toEcs, toOcsf } from '../domain/risk/alert-export.ts';
import { parseRowId } from '../domain/row-id.ts';
import { formatTimelineCursor, parseTimelineCursor, type TimelineCursor } from '../domain/timeline-cursor.ts';
import { formatTimestamp } from '../domain/timestamp.ts';
import { userIdForLookup } from '../domain/user-id.ts';
import { validateBatch, validateEvent } from '../ingest/validate.ts';
import type { Principal } from '../services/access.ts';
import { alertJson } from '../services/alert-json.ts';
import type { Services } from '../services/index.ts';
import { VERSION } from '../version.ts';
import { HttpError } from './http-error.ts';
import { readJsonBody } from './json-body.ts';

/**
 * The REST compatibility shim: the original engine's routes and JSON shapes,
 * as a thin adapter over the same services and reads GraphQL uses.
 */

export interface RestResult {
  status: number;
  body: unknown;
  /** Set for a non-JSON answer: `body` is then the text itself. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path with at most one parameter (`:user_id`, `:id`), handed to `handle` as `userId`. */
  path: string;
  /** What the caller's role must grant; `public` needs no key (health checks). */
  permission: Permission | 'public';
  handle(ctx: {
    req: IncomingMessage;
    userId: string;
    query: URLSearchParams;
    principal: Principal;
  }): Promise<RestResult>;
}

export interface RestLimits {
  maxBodyBytes: number;
  maxBatchEvents: number;
  maxMetaBytes: number;
}

const ok = (body: unknown): RestResult => ({ status: 200, body });
const text = (body: string, contentType: string): RestResult => ({ status: 200, body, contentType });

const ALERT_FORMATS = ['json', 'ecs', 'ocsf', 'cef'] as const;
type AlertFormat = (typeof ALERT_FORMATS)[number];
const CEF_TYPE = 'text/plain; charset=utf-8';
const NDJSON_TYPE = 'application/x-ndjson';

const MAX_ALERTS_PAGE = 500;
/** Events per timeline page, by default and at most: a page is held in memory whole to be answered. */
const MAX_TIMELINE_PAGE = 1000;

function invalidParam(field: string, message: string): HttpError {
  return new HttpError(400, 'invalid_query', `${field}: ${message}`, { issues: [{ field, message }] });
}

function positiveParam(params: URLSearchParams, field: string, fallback: number | undefined, max?: number) {
  const raw = params.get(field);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
    throw invalidParam(field, max === undefined ? 'must be a positive integer' : `must be an integer from 1 to ${max}`);
  }
  return value;
}

/** An optional row id (`before=`): anything but a stored row's id is refused, not passed to the database. */
function rowIdParam(params: URLSearchParams, field: string): number | undefined {
  const raw = params.get(field);
  if (raw === null || raw === '') return undefined;
  const id = parseRowId(raw);
  if (id === null) throw invalidParam(field, 'must be an id from an earlier page (a positive integer)');
  return id;
}

/** `format=`: json (the default), ecs, ocsf or cef. */
function formatParam(params: URLSearchParams): AlertFormat {
  const format = params.get('format') ?? 'json';
  if ((ALERT_FORMATS as readonly string[]).includes(format)) return format as AlertFormat;
  throw invalidParam('format', 'must be json, ecs, ocsf or cef');
}

function timelineCursorParam(params: URLSearchParams): TimelineCursor | null {
  const raw = params.get('after');
  if (raw === null || raw === '') return null;
  const cursor = parseTimelineCursor(raw);
  if (cursor === null) throw invalidParam('after', 'must be the X-Next-Cursor of an earlier page');
  return cursor;
}

/** An optional `user_id=` filter, read the way a path's user id is. */
function userIdParam(params: URLSearchParams): string | undefined {
  const raw = params.get('user_id');
  return raw === null ? undefined : userIdForLookup(raw);
}

function unknownUser(userId: string): HttpError {
  return new HttpError(404, 'not_found', `no events for user '${userId}'`, {
    issues: [{ field: 'user_id', message: 'no such user' }],
  });
}

/** The body is one event or an array of them; invalid input is 422, a batch over the limit 413. */
function parseIngestBody(body: unknown, limits: RestLimits): { events: NormalizedEvent[]; batch: boolean } {
  const batch = Array.isArray(body);
  const validated = batch ? validateBatch(body, limits) : validateEvent(body, limits);
  if (validated.ok) return { events: validated.events, batch };
  if (validated.tooLarge) {
    const got = (body as unknown[]).length;
    throw new HttpError(413, 'batch_too_large', `a batch holds at most ${limits.maxBatchEvents} events; got ${got}`, {
      issues: validated.issues,
    });
  }
  throw HttpError.invalid(validated.issues);
}

export function restRoutes(services: Services, limits: RestLimits): RestRoute[] {
  const { ingest, reads, health, admin, metrics } = services;
  return [
    {
      method: 'GET',
      path: '/metrics',
      permission: 'read',
      async handle() {
        return { status: 200, body: metrics.render(), contentType: 'text/plain; version=0.0.4; charset=utf-8' };
      },
    },
    {
      method: 'GET',
      path: '/alerts',
      permission: 'read',
      async handle({ query: params }) {
        const statuses = params.get('status')?.split(',').filter(Boolean);
        const bad = statuses?.find((status) => !isAlertStatus(status));
        if (bad !== undefined) throw invalidParam('status', `unknown status '${bad}' (open, acknowledged, resolved)`);
        const format = formatParam(params);
        const limit = positiveParam(params, 'limit', 100, MAX_ALERTS_PAGE) as number;
        const filter = {
          statuses: statuses as AlertStatus[] | undefined,
          userId: userIdParam(params),
          beforeId: rowIdParam(params, 'before'),
        };
        const page = await reads.alertRecords.records(await reads.alerts.page(filter, { take: limit }));
        const last = page.at(-1);
        const nextBefore = page.length === limit && last !== undefined ? last.id : null;
        const result =
          format === 'json'
            ? ok({ alerts: page.map(alertJson), next_before: nextBefore })
            : // One record per line, nothing else: the way on is in the headers, as for the JSON list.
              format === 'cef'
              ? text(page.map((alert) => `${toCef(alert, VERSION)}\n`).join(''), CEF_TYPE)
              : text(
                  page
                    .map((alert) => `${JSON.stringify((format === 'ecs' ? toEcs : toOcsf)(alert, VERSION))}\n`)
                    .join(''),
                  NDJSON_TYPE,
                );
        if (nextBefore === null) return result;
        // The same list from the last record on (RFC 8288 Link), and that id alone; a short page has neither.
        const next = new URLSearchParams(params);
        next.set('before', String(nextBefore));
        return { ...result, headers: { link: `</alerts?${next}>; rel="next"`, 'x-next-cursor': String(nextBefore) } };
      },
    },
    {
      method: 'GET',
      path: '/alerts/:id',
      permission: 'read',
      async handle({ query, userId: rawId }) {
        const format = formatParam(query);
        const id = parseRowId(rawId);
        const alert = id === null ? null : await reads.alertRecords.record(id);
        if (alert === null) {
          throw new HttpError(404, 'not_found', `no alert '${rawId}'`, {
            issues: [{ field: 'id', message: 'no such alert' }],
          });
        }
        if (format === 'json') return ok(alertJson(alert));
        if (format === 'ecs') return ok(toEcs(alert, VERSION));
        if (format === 'ocsf') return ok(toOcsf(alert, VERSION));
        return text(`${toCef(alert, VERSION)}\n`, CEF_TYPE);
      },
    },
    {
      method: 'POST',
      path: '/ingest',
      permission: 'ingest',
      async handle({ req }) {
        const { events, batch } = parseIngestBody(await readJsonBody(req, limits.maxBodyBytes), limits);
        const outcome = await ingest.ingest(events);
        if (!batch)
          return ok(outcome.duplicates > 0 ? { ok: true, stored: true, duplicate: true } : { ok: true, stored: true });
        const body: Record<string, unknown> = { ok: true, stored: true, count: events.length };
        if (outcome.duplicates > 0) body.duplicates = outcome.duplicates;
        return ok(body);
      },
    },
    {
      method: 'GET',
      path: '/drift/:user_id',
      permission: 'read',
      async handle({ userId: rawId }) {
        const userId = userIdForLookup(rawId);
        const result = await reads.persona.drift(userId);
        if (result === null) throw unknownUser(userId);
        return ok({
          events: result.events,
          drift_score: result.drift.score,
          reasons: result.drift.reasons.map((reason) => reason.label),
        });
      },
    },
    {
      method: 'GET',
      path: '/verdict/:user_id',
      permission: 'read',
      async handle({ userId: rawId }) {
        const userId = userIdForLookup(rawId);
        const result = await reads.verdicts.forUser(userId);
        if (result === null) throw unknownUser(userId);
        return ok(result);
      },
    },
    {
      method: 'GET',
      path: '/fingerprint/:user_id',
      permission: 'read',
      async handle({ userId: rawId }) {
        const userId = userIdForLookup(rawId);
        const result = await reads.persona.fingerprint(userId);
        if (result === null) throw unknownUser(userId);
        return ok({
          fingerprint: result.hash,
          stability: result.stability,
          tokens: result.latestTokens,
          habitual_tokens: result.habitualTokens,
          events: result.events,
        });
      },
    },
    {
      method: 'GET',
      path: '/timeline/:user_id',
      permission: 'read',
      async handle({ userId: rawId, query: params }) {
        const userId = userIdForLookup(rawId);
        const limit = positiveParam(params, 'limit', MAX_TIMELINE_PAGE, MAX_TIMELINE_PAGE) as number;
        const page = await reads.events.timeline(userId, { limit, after: timelineCursorParam(params) });
        if (page === null) throw unknownUser(userId);
        const body = page.events.map((event) => ({
          user_id: event.userId,
          kind: event.kind,
          meta: event.meta,
          timestamp: formatTimestamp(event.timestamp.getTime()),
          ...(event.eventId === null ? {} : { event_id: event.eventId }),
        }));
        if (page.next === null) return ok(body);
        // The legacy answer is a bare array: the way on is in the headers (RFC 8288 Link, and the cursor alone).
        const cursor = formatTimelineCursor(page.next);
        const next = `/timeline/${encodeURIComponent(userId)}?limit=${limit}&after=${cursor}`;
        return { status: 200, body, headers: { link: `<${next}>; rel="next"`, 'x-next-cursor': cursor } };
      },
    },
    {
      method: 'GET',
      path: '/profiles',
      permission: 'read',
      async handle() {
        const profiles = await reads.users.profiles();
        // Built key by key on a null-prototype object: a user may be called "__proto__".
        const body: Record<string, number> = Object.create(null) as Record<string, number>;
        for (const { id, eventCount } of profiles) body[id] = eventCount;
        return ok(body);
      },
    },
    {
      method: 'DELETE',
      path: '/users/:user_id',
      permission: 'admin',
      async handle({ userId: rawId, principal }) {
        const userId = userIdForLookup(rawId);
        const deleted = await admin.deleteUser(principal, userId);
        if (deleted === null) throw unknownUser(userId);
        return ok({ ok: true, deleted: { user_id: userId, events: deleted.events } });
      },
    },
    {
      method: 'GET',
      path: '/health/live',
      permission: 'public',
      async handle() {
        return ok(health.live());
      },
    },
    {
      method: 'GET',
      path: '/health',
      permission: 'public',
      async handle() {
        const report = await health.check();
        return { status: report.ok ? 200 : 503, body: report };
      },
    },
  ];
}
