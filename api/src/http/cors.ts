import type { IncomingMessage, ServerResponse } from 'node:http';

// PUT and the stream token: graphql-sse's single-connection mode reserves and names its stream with them.
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Content-Type, Authorization, X-API-Key, Accept, X-GraphQL-Event-Stream-Token';
/** Answer headers a browser page may read: paging, retries and the request id for support. */
const EXPOSED_HEADERS = 'Link, X-Next-Cursor, Retry-After, X-Request-Id';

/**
 * Applies the CORS policy: `*` answers every origin; a comma-separated list
 * echoes only a listed origin (and says the answer varies by Origin).
 */
export function applyCors(policy: string, req: IncomingMessage, res: ServerResponse): void {
  if (policy === '*') {
    res.setHeader('access-control-allow-origin', '*');
  } else {
    res.setHeader('vary', 'Origin');
    const origin = req.headers.origin;
    const allowed = policy.split(',').map((entry) => entry.trim());
    if (origin === undefined || !allowed.includes(origin)) return;
    res.setHeader('access-control-allow-origin', origin);
  }
  res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
  res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  res.setHeader('access-control-max-age', '600');
}
