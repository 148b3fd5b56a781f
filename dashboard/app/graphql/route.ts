import { TOKEN_HEADER_KEY } from 'graphql-sse';
import { cookies } from 'next/headers';
import { requestAddress } from '../../src/lib/client-address';
import { apiGraphqlUrl, crossSite, SESSION_COOKIE, unsealSession } from '../../src/lib/session';

// Every request is forwarded as it comes: nothing here may be cached or prerendered.
export const dynamic = 'force-dynamic';

/** Request headers worth passing on: never cookies, never a client-chosen Authorization. */
const FORWARDED = ['content-type', 'accept', 'cache-control', TOKEN_HEADER_KEY];

/**
 * The browser's only way to the API: the dashboard signs each request with
 * the session's key (none while the API runs open) and streams the answer
 * back, live subscriptions (server-sent events) included: PUT reserves a
 * tab's one stream, GET opens it, POST runs each operation on it and DELETE
 * stops one (graphql-sse's single connection mode).
 */
async function forward(request: Request): Promise<Response> {
  if (crossSite(request))
    return Response.json({ errors: [{ message: 'cross-site request refused' }] }, { status: 403 });
  // Only JSON bodies: a plain HTML form (which any site can submit) cannot make one.
  if (request.method === 'POST' && !request.headers.get('content-type')?.startsWith('application/json')) {
    return Response.json({ errors: [{ message: 'POST bodies must be application/json' }] }, { status: 415 });
  }
  const session = unsealSession((await cookies()).get(SESSION_COOKIE)?.value);
  const headers = new Headers();
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (session !== null) headers.set('authorization', `Bearer ${session.key}`);
  // The API limits each browser by its own address, not the dashboard's.
  const address = requestAddress(request);
  if (address !== null) headers.set('x-forwarded-for', address);
  // The name the browser used: an API running without keys answers only names no web page can rebind to it.
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (host !== null) headers.set('x-forwarded-host', host);
  const target = new URL(apiGraphqlUrl());
  target.search = new URL(request.url).search;
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'DELETE' ? undefined : await request.arrayBuffer(),
      signal: request.signal,
      cache: 'no-store',
    });
  } catch {
    return Response.json({ errors: [{ message: 'the API cannot be reached' }] }, { status: 502 });
  }
  const answer = new Headers();
  for (const name of ['content-type', 'cache-control', 'retry-after', 'www-authenticate']) {
    const value = upstream.headers.get(name);
    if (value !== null) answer.set(name, value);
  }
  // A session whose key the API no longer takes (revoked, or the API's keys
  // changed) is ended: polling on with it would count as failed
  // authentications against the browser's address.
  if (upstream.status === 401 && session !== null) {
    answer.append('set-cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`);
  }
  return new Response(upstream.body, { status: upstream.status, headers: answer });
}

export const GET = forward;
export const POST = forward;
export const PUT = forward;
export const DELETE = forward;
