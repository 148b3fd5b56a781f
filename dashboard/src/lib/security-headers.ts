/**
 * What the browser is told on every dashboard response. Scripts run only
 * from this origin and with the page's nonce (Next.js puts it on its own
 * inline bootstrap scripts), nothing is fetched from or framed by another
 * origin, and no dashboard address (a user id in it) leaks to another site in
 * a Referer.
 */
export function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code to rebuild stacks; production never does.
    `script-src 'self' 'nonce-${nonce}'${development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self'${development ? " 'unsafe-inline'" : ''}`,
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  // Not no-referrer: under it a browser sends `Origin: null` with a form post
  // to this very origin, which the sign-in form's cross-site check refuses.
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/** A fresh nonce per response: 128 random bits, base64. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
