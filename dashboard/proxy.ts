import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy, newNonce, SECURITY_HEADERS } from './src/lib/security-headers';

/** Puts the security headers on every response, with a new script nonce for each. */
export function proxy(request: NextRequest): NextResponse {
  const policy = contentSecurityPolicy(newNonce(), process.env.NODE_ENV === 'development');
  // Next.js reads the nonce for the scripts it writes from the request's policy.
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

// Every path: pages, the /graphql and /session routes and static assets alike.
export const config = { matcher: '/:path*' };
