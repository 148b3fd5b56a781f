import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { can, roleKey } from '../domain/api-key.ts';
import { IngestOverloadedError } from '../ingest/admit.ts';
import type { Logger } from '../logger.ts';
import { type Principal, setPrincipal } from '../services/access.ts';
import type { Services } from '../services/index.ts';
import type { RequestGuard } from '../services/request-guard.ts';
import { isDatabaseBusy } from '../storage/sqlite.ts';
import type { BrowserGuard } from './browser-guard.ts';
import { applyCors } from './cors.ts';
import { HttpError } from './http-error.ts';
import type { MountContext, ServerLoad } from './load.ts';
import { sendJson, sendText } from './respond.ts';
import { type RestLimits, type RestRoute, restRoutes } from './rest-routes.ts';

export interface AppOptions extends RestLimits {
  corsOrigin: string;
  /** Client addresses, authentication and rate limits (shared with the WebSocket endpoint). */
  guard: RequestGuard;
  /** Requests in flight and open streams, with their limits (shared with the WebSocket endpoint). */
  load: ServerLoad;
  /** Host and Origin checks while the API runs open (shared with the WebSocket endpoint). */
  browsers: BrowserGuard;
}

/** Another handler mounted at an exact path (GraphQL at /graphql). */
export interface Mount {
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, context: MountContext): unknown;
}

/** Stands in for a principal on public routes (health), which never look at it. */
const PUBLIC: Principal = Object.freeze({ role: 'producer', keyId: null, prefix: null });

const PERMISSION_VERBS = {
  ingest: 'ingest events',
  read: 'read persona data',
  triage: 'triage alerts',
  admin: 'manage keys or delete data',
} as const;

/** Past this size a refused request's unread body is not drained: its connection is closed. */
const LARGE_BODY_BYTES = 64 * 1024;

interface CompiledRoute {
  route: RestRoute;
  /** The fixed part of the path, up to the parameter if there is one. */
  prefix: string;
  hasParam: boolean;
}

function compile(route: RestRoute): CompiledRoute {
  const at = route.path.indexOf(':');
  return at === -1
    ? { route, prefix: route.path, hasParam: false }
    : { route, prefix: route.path.slice(0, at), hasParam: true };
}

/** Matches a path against the table: the route, its decoded `user_id`, or why it does not match. */
function match(routes: CompiledRoute[], pathname: string): { routes: CompiledRoute[]; userId: string } {
  for (const candidate of routes) {
    if (!candidate.hasParam) {
      if (pathname === candidate.prefix)
        return { routes: routes.filter((r) => r.prefix === candidate.prefix), userId: '' };
      continue;
    }
    if (!pathname.startsWith(candidate.prefix)) continue;
    const raw = pathname.slice(candidate.prefix.length);
    if (raw === '' || raw.includes('/')) continue;
    let userId: string;
    try {
      userId = decodeURIComponent(raw);
    } catch {
      throw new HttpError(400, 'invalid_path', 'user_id in the path is not valid percent-encoding', {
        issues: [{ field: 'user_id', message: 'invalid percent-encoding' }],
      });
    }
    return { routes: routes.filter((r) => r.prefix === candidate.prefix), userId };
  }
  return { routes: [], userId: '' };
}

/** Errors with a known answer; null for a bug (answered 500 and logged). */
function asHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  // Both refused or rolled back before anything was stored: the producer retries.
  if (error instanceof IngestOverloadedError) {
    return HttpError.retryLater('overloaded', error.message, error.retryAfterSeconds);
  }
  if (isDatabaseBusy(error)) {
    return HttpError.retryLater('busy', 'database is busy; retry');
  }
  return null;
}

/** The HTTP front door: CORS, mounted handlers (GraphQL), the REST shim, JSON errors for everything else. */
export function createRequestListener(
  services: Services,
  options: AppOptions,
  logger: Logger,
  mounts: Mount[] = [],
): RequestListener {
  const routes = restRoutes(services, options).map(compile);
  const { guard } = options;

  /** The request's principal, or an HttpError: 401 without a valid key, 429 past a limit. */
  function authenticate(req: IncomingMessage, info: RequestInfo): Principal {
    const principal = guard.authenticate(req.headers, info.address);
    guard.charge(principal);
    info.keyId = principal.keyId;
    return principal;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo): Promise<void> {
    const { pathname } = url;
    applyCors(options.corsOrigin, req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const mount = mounts.find((m) => m.path === pathname);
    if (mount !== undefined) {
      info.route = mount.path;
      // GraphQL checks each field against the principal's role itself.
      const principal = authenticate(req, info);
      setPrincipal(req, principal);
      await mount.handle(req, res, {
        becomeStream() {
          const release = load.openStream();
          if (release === null) return false;
          info.stream = true;
          res.once('close', release);
          res.once(
            'close',
            services.access.track(principal, () => res.destroy()),
          );
          // Answered: a stream is no longer load in progress.
          info.leaveInFlight();
          return true;
        },
      });
      return;
    }
    const found = match(routes, pathname);
    if (found.routes.length === 0) throw new HttpError(404, 'not_found', `no route for ${req.method} ${pathname}`);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const hit = found.routes.find((r) => r.route.method === method);
    if (hit === undefined) {
      const allow = [...new Set(found.routes.map((r) => r.route.method)), 'OPTIONS'].join(', ');
      throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${pathname}`, {
        headers: { allow },
      });
    }
    info.route = hit.route.path;
    const { permission } = hit.route;
    const principal = permission === 'public' ? PUBLIC : authenticate(req, info);
    if (permission !== 'public' && !can(principal.role, permission)) {
      throw new HttpError(403, 'forbidden', `${roleKey(principal.role)} may not ${PERMISSION_VERBS[permission]}`);
    }
    const result = await hit.route.handle({ req, userId: found.userId, query: url.searchParams, principal });
    if (result.contentType === undefined) sendJson(res, result.status, result.body, result.headers);
    else sendText(res, result.status, String(result.body), result.contentType);
  }

  const { load } = options;
  // Health checks must answer under load: no limit applies to them.
  const isHealth = (req: IncomingMessage, pathname: string): boolean =>
    req.method === 'OPTIONS' || pathname === '/health' || pathname === '/health/live';
  const bodyBytes = (req: IncomingMessage): number => {
    if (req.headers['transfer-encoding'] !== undefined) return options.maxBodyBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    return Number.isFinite(declared) && declared > 0 ? Math.min(declared, options.maxBodyBytes) : 0;
  };
  // A large unread body is not worth draining to keep the connection.
  const tooBusy = (bytes: number): HttpError =>
    HttpError.retryLater(
      'overloaded',
      'too many requests in progress; retry shortly',
      1,
      bytes > LARGE_BODY_BYTES ? { connection: 'close' } : {},
    );

  const { metrics } = services;

  /** Counts, times and (at debug level, or info for refusals) logs each answered request. */
  function finished(req: IncomingMessage, res: ServerResponse, info: RequestInfo): void {
    const seconds = Number(process.hrtime.bigint() - info.started) / 1e9;
    const status = res.statusCode;
    metrics.requests.inc({ route: info.route, method: req.method ?? '', status: String(status) });
    metrics.durations.observe({ route: info.route }, seconds);
    if (info.rejected !== null) metrics.rejected.inc({ reason: info.rejected });
    const level = status >= 500 ? 'error' : info.rejected !== null && status !== 404 ? 'info' : 'debug';
    // Most requests log nothing at the default level: their fields are not built.
    if (!logger.enabled(level)) return;
    logger[level]('request', {
      requestId: info.requestId,
      method: req.method,
      route: info.route,
      status,
      ms: Math.round(seconds * 10_000) / 10,
      ...(info.keyId === null ? {} : { keyId: info.keyId }),
      ...(info.rejected === null ? {} : { reason: info.rejected }),
      ...(res.writableFinished ? {} : { aborted: true }),
    });
  }

  /** Answers a request with a known error (CORS included, so a browser can read it), counted by its code. */
  function refuse(req: IncomingMessage, res: ServerResponse, info: RequestInfo, error: HttpError): void {
    info.rejected = error.code;
    // `handle` applies CORS first; a refusal before it (or from it) needs it once.
    if (!res.hasHeader('vary') && !res.hasHeader('access-control-allow-origin'))
      applyCors(options.corsOrigin, req, res);
    sendJson(res, error.status, error.toBody(), error.headers);
  }

  return (req, res) => {
    const info: RequestInfo = {
      requestId: requestIdOf(req),
      address: guard.clientAddress(req),
      started: process.hrtime.bigint(),
      route: 'unmatched',
      keyId: null,
      rejected: null,
      stream: false,
      leaveInFlight: () => {},
    };
    res.setHeader('x-request-id', info.requestId);
    res.once('close', () => finished(req, res, info));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      info.rejected = 'invalid_path';
      sendJson(res, 400, { ok: false, error: 'invalid_path', message: 'the request path is not a valid URL path' });
      return;
    }
    const health = isHealth(req, url.pathname);
    if (!health) {
      // Before anything else is read: a flooding address costs a map lookup per request.
      try {
        guard.admit(info.address);
      } catch (error) {
        refuse(req, res, info, error as HttpError);
        return;
      }
      // With no keys every caller is admin: web pages must not be callers.
      const refusal =
        guard.access.mode() === 'open'
          ? options.browsers.refusal(req.method ?? '', req.headers, { fromProxy: guard.isTrustedProxy(req) })
          : null;
      if (refusal !== null) {
        refuse(req, res, info, refusal);
        return;
      }
    }
    if (!health) {
      const bytes = bodyBytes(req);
      // Past a limit the request is refused before its body is read: cheap
      // enough to keep answering, and memory stays bounded. Every request
      // counts until it is answered; one whose answer is a stream leaves the
      // count then (becomeStream), as its body has been read.
      const bodiesFull = bytes > 0 && load.inFlight > 0 && load.inFlightBytes + bytes > load.limits.maxInFlightBytes;
      if (load.inFlight >= load.limits.maxInFlight || bodiesFull) {
        refuse(req, res, info, tooBusy(bytes));
        return;
      }
      load.inFlight += 1;
      load.inFlightBytes += bytes;
      let counted = true;
      info.leaveInFlight = () => {
        if (!counted) return;
        counted = false;
        load.inFlight -= 1;
        load.inFlightBytes -= bytes;
      };
      res.once('close', info.leaveInFlight);
    }
    handle(req, res, url, info).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const known = asHttpError(error);
      if (known !== null) {
        refuse(req, res, info, known);
        return;
      }
      info.rejected = 'internal';
      // The stack goes to the log, under the request id the client was given; never to the client.
      logger.error('request failed', {
        requestId: info.requestId,
        method: req.method,
        route: info.route,
        error: (error as Error).stack,
      });
      sendJson(res, 500, { ok: false, error: 'internal', message: 'internal error', request_id: info.requestId });
    });
  };
}

/** What the front door learns about a request while serving it, for its log line and metrics. */
interface RequestInfo {
  requestId: string;
  /** The client's address (behind a trusted proxy, the one it forwarded for). */
  address: string;
  started: bigint;
  /** The route pattern (`/drift/:user_id`), never the path: user ids stay out of metrics. */
  route: string;
  keyId: number | null;
  /** The error code the request was refused with, if it was. */
  rejected: string | null;
  /** A streamed answer from a mounted handler (a GraphQL subscription): counted apart and tracked while open. */
  stream: boolean;
  /** Stops counting the request as in flight (once answered, or once its answer is a stream). */
  leaveInFlight: () => void;
}

/** The client's X-Request-Id when it is a sane token (so logs can be joined across systems), else a new one. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}
