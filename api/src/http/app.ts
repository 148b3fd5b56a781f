import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { can, roleKey } from '../domain/api-key.ts';
import { IngestOverloadedError } from '../ingest/admit.ts';
import type { Logger } from '../logger.ts';
import type { Principal } from '../services/access.ts';
import type { Services } from '../services/index.ts';
import { isStoreUnavailable, StoreBusyError } from '../storage/errors.ts';
import { accessLog } from './access-log.ts';
import type { BrowserGuard } from './browser-guard.ts';
import { applyCors } from './cors.ts';
import { HttpError } from './http-error.ts';
import { admitRequest, type ServerLoad } from './load.ts';
import type { RequestGuard } from './request-guard.ts';
import { newRequestInfo, type RequestInfo } from './request-info.ts';
import { sendJson, sendText } from './respond.ts';
import { type RestLimits, restRoutes } from './rest-routes.ts';
import { Router } from './router.ts';

export interface AppOptions extends RestLimits {
  corsOrigin: string;
  /** Client addresses, authentication and rate limits (shared with the WebSocket endpoint). */
  guard: RequestGuard;
  /** Requests in flight and open streams, with their limits (shared with the WebSocket endpoint). */
  load: ServerLoad;
  /** Host and Origin checks while the API runs open (shared with the WebSocket endpoint). */
  browsers: BrowserGuard;
}

/** What the front door hands a mounted handler with each request, as its server context. */
export interface MountContext {
  /** Who the request authenticated as. */
  principal: Principal;
  /**
   * Called by the handler when its answer is a stream (SSE, incremental
   * delivery). False: no stream slot is free, and the handler answers 503.
   */
  becomeStream(): boolean;
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

/** Errors with a known answer; null for a bug (answered 500 and logged). */
function asHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  // Both refused or rolled back before anything was stored: the producer retries.
  if (error instanceof IngestOverloadedError) {
    return HttpError.retryLater('overloaded', error.message, error.retryAfterSeconds);
  }
  if (error instanceof StoreBusyError) {
    return HttpError.retryLater('busy', 'database is busy; retry');
  }
  if (isStoreUnavailable(error)) return HttpError.retryLater('unavailable', 'database unavailable; retry');
  return null;
}

/** Health checks must answer under load: no limit applies to them. */
function isHealthCheck(req: IncomingMessage, pathname: string): boolean {
  return req.method === 'OPTIONS' || pathname === '/health' || pathname === '/health/live';
}

/**
 * The HTTP front door. Each request goes through these steps, each of which
 * may answer it: identify (request id, client address, access log) → parse
 * the path → gate (the address's rate, web pages while open, load) → CORS →
 * dispatch to a mounted handler (GraphQL) or a REST route (authenticate,
 * authorize, handle) → JSON errors for whatever was thrown.
 */
export function createRequestListener(
  services: Services,
  options: AppOptions,
  logger: Logger,
  mounts: Mount[] = [],
): RequestListener {
  const router = new Router(restRoutes(services, options));
  const { guard, load } = options;
  const log = accessLog(services.metrics, logger);

  /** The handler mounted at a path (GraphQL), if any: its requests and refusals are its own. */
  const mountAt = (path: string): Mount | undefined => mounts.find((mount) => mount.path === path);

  /** The first reason to turn the request away before its body is read, or null (it is then counted in flight). */
  function gate(req: IncomingMessage, res: ServerResponse, info: RequestInfo): HttpError | null {
    try {
      // Before anything else is read: a flooding address costs a map lookup per request.
      guard.admit(info.address);
    } catch (error) {
      return error as HttpError;
    }
    // With no keys every caller is admin: web pages must not be callers.
    if (guard.access.mode() === 'open') {
      const refusal = options.browsers.refusal(req.method ?? '', req.headers, { fromProxy: guard.isTrustedProxy(req) });
      if (refusal !== null) return refusal;
    }
    return admitRequest(load, req, res, info, options.maxBodyBytes);
  }

  /** The request's principal, or an HttpError: 401 without a valid key, 429 past a limit. */
  function authenticate(req: IncomingMessage, info: RequestInfo): Principal {
    const principal = guard.authenticate(req.headers, info.address);
    guard.charge(principal);
    info.keyId = principal.keyId;
    return principal;
  }

  /** Hands the request to a mounted handler, which checks the principal's role per field itself. */
  async function toMount(mount: Mount, req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<void> {
    info.route = mount.path;
    const principal = authenticate(req, info);
    await mount.handle(req, res, {
      principal,
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
  }

  async function toRestRoute(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo): Promise<void> {
    const { route, userId } = router.resolve(req.method ?? '', url.pathname);
    info.route = route.path;
    const { permission } = route;
    const principal = permission === 'public' ? PUBLIC : authenticate(req, info);
    if (permission !== 'public' && !can(principal.role, permission)) {
      throw new HttpError(403, 'forbidden', `${roleKey(principal.role)} may not ${PERMISSION_VERBS[permission]}`);
    }
    const result = await route.handle({ req, userId, query: url.searchParams, principal });
    if (result.contentType === undefined) sendJson(res, result.status, result.body, result.headers);
    else sendText(res, result.status, String(result.body), result.contentType, result.headers);
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo): Promise<void> {
    applyCors(options.corsOrigin, req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const mount = mountAt(url.pathname);
    if (mount !== undefined) await toMount(mount, req, res, info);
    else await toRestRoute(req, res, url, info);
  }

  /**
   * Answers a request with a known error (CORS included, so a browser can read
   * it), counted by its code. On a mounted path (GraphQL) it comes in GraphQL's
   * shape, `errors[]` with `extensions.code` (UNAUTHENTICATED, RATE_LIMITED,
   * OVERLOADED, …), as `application/graphql-response+json` to a client that
   * accepts it: clients such as Apollo's read a non-2xx answer only in that type.
   */
  function refuse(req: IncomingMessage, res: ServerResponse, info: RequestInfo, error: HttpError, path: string): void {
    info.rejected = error.code;
    // `dispatch` applies CORS first; a refusal before it (or from it) needs it once.
    if (!res.hasHeader('vary') && !res.hasHeader('access-control-allow-origin'))
      applyCors(options.corsOrigin, req, res);
    if (mountAt(path) === undefined) {
      sendJson(res, error.status, error.toBody(), error.headers);
      return;
    }
    const accepts = req.headers.accept?.includes('application/graphql-response+json') ?? false;
    const mediaType = accepts ? 'application/graphql-response+json' : 'application/json';
    sendJson(res, error.status, error.toGraphQLBody(), error.headers, mediaType);
  }

  /** A thrown error's answer: its own if known, else 500 naming the request id (the stack goes to the log only). */
  function answerError(
    req: IncomingMessage,
    res: ServerResponse,
    info: RequestInfo,
    path: string,
    error: unknown,
  ): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const known = asHttpError(error);
    if (known !== null) {
      refuse(req, res, info, known, path);
      return;
    }
    info.rejected = 'internal';
    logger.error('request failed', {
      requestId: info.requestId,
      method: req.method,
      route: info.route,
      error: (error as Error).stack,
    });
    sendJson(res, 500, { ok: false, error: 'internal', message: 'internal error', request_id: info.requestId });
  }

  return (req, res) => {
    const info = newRequestInfo(req, guard.clientAddress(req));
    res.setHeader('x-request-id', info.requestId);
    res.once('close', () => log(req, res, info));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      refuse(req, res, info, new HttpError(400, 'invalid_path', 'the request path is not a valid URL path'), '');
      return;
    }
    const refusal = isHealthCheck(req, url.pathname) ? null : gate(req, res, info);
    if (refusal !== null) {
      refuse(req, res, info, refusal, url.pathname);
      return;
    }
    dispatch(req, res, url, info).catch((error: unknown) => answerError(req, res, info, url.pathname, error));
  };
}
