import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { requestAddress } from '../../src/lib/client-address';
import {
  apiGraphqlUrl,
  crossSite,
  endSession,
  newSession,
  SESSION_COOKIE,
  SESSION_SECONDS,
  sealSession,
  unsealSession,
} from '../../src/lib/session';

export const dynamic = 'force-dynamic';

/** Why a sign-in failed, as a code for the sign-in page (never the key). */
type Refusal = 'missing' | 'invalid' | 'producer' | 'throttled' | 'unreachable';

function back(path: string): NextResponse {
  // 303: the browser follows with a GET, so a reload does not post the key
  // again. A relative Location keeps the host the browser used (the server
  // may know itself by another name), and with it the cookie.
  return new NextResponse(null, { status: 303, headers: { location: path } });
}

/** Sign-in (form POST with `key`) and sign-out (`action=signout`). */
export async function POST(request: Request): Promise<NextResponse> {
  if (crossSite(request)) return new NextResponse('cross-site form refused', { status: 403 });
  const form = await request.formData();
  if (form.get('action') === 'signout') {
    const session = unsealSession((await cookies()).get(SESSION_COOKIE)?.value);
    if (session !== null) endSession(session);
    const out = back('/signin?signedout=1');
    out.cookies.delete(SESSION_COOKIE);
    return out;
  }
  const key = String(form.get('key') ?? '').trim();
  const refuse = (reason: Refusal) => back(`/signin?error=${reason}`);
  if (key === '') return refuse('missing');
  let viewer: { role: string; keyPrefix: string | null } | undefined;
  const headers = new Headers({ 'content-type': 'application/json', authorization: `Bearer ${key}` });
  // The API counts failed keys per browser, not against the dashboard.
  const address = requestAddress(request);
  if (address !== null) headers.set('x-forwarded-for', address);
  try {
    const res = await fetch(apiGraphqlUrl(), {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: '{ viewer { role keyPrefix } }' }),
      cache: 'no-store',
    });
    if (res.status === 401) return refuse('invalid');
    if (res.status === 429) return refuse('throttled');
    viewer = ((await res.json()) as { data?: { viewer?: { role: string; keyPrefix: string | null } } }).data?.viewer;
  } catch {
    return refuse('unreachable');
  }
  if (viewer === undefined) return refuse('invalid');
  if (viewer.role === 'PRODUCER') return refuse('producer');
  const role = viewer.role === 'ADMIN' ? 'admin' : 'analyst';
  const secure = new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  const signedIn = back('/');
  signedIn.cookies.set(SESSION_COOKIE, sealSession(newSession({ key, role, prefix: viewer.keyPrefix ?? 'open' })), {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: SESSION_SECONDS,
  });
  return signedIn;
}
