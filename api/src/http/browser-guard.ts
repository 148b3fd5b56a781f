import type { IncomingHttpHeaders } from 'node:http';
import ipaddr from 'ipaddr.js';
import { HttpError } from './http-error.ts';

/** Methods a browser may send across origins without changing anything here. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Keeps web pages from driving the API while it runs open (no keys, every
 * caller admin). Two browser attacks need no key then:
 * - DNS rebinding: a page's own host name is re-pointed at 127.0.0.1, so the
 *   browser treats the API as same-origin. The request still carries the
 *   page's host name, so only a Host that is an IP literal, `localhost` or a
 *   configured name is answered.
 * - Cross-site requests: any page can POST to 127.0.0.1 (a "simple" request
 *   needs no preflight). A request that can change state (any method but
 *   GET/HEAD/OPTIONS, and every WebSocket) from another origin is refused
 *   unless that origin is listed in CORS_ORIGIN.
 * Reads stay open to every origin under the default CORS policy.
 */
export class BrowserGuard {
  readonly #allowedHosts: ReadonlySet<string>;
  readonly #allowedOrigins: ReadonlySet<string>;

  constructor(options: { allowedHosts: readonly string[]; corsOrigin: string }) {
    this.#allowedHosts = new Set(options.allowedHosts.map(hostName));
    this.#allowedOrigins = new Set(
      options.corsOrigin === '*' ? [] : options.corsOrigin.split(',').map((origin) => origin.trim()),
    );
  }

  /**
   * Why a request must be refused while the API runs open (403), or null.
   * From a trusted proxy (the dashboard), the host name the browser used
   * arrives in X-Forwarded-Host and must pass too.
   */
  refusal(
    method: string,
    headers: IncomingHttpHeaders,
    options: { opensSocket?: boolean; fromProxy?: boolean } = {},
  ): HttpError | null {
    const host = headers.host;
    const given = options.fromProxy ? headers['x-forwarded-host'] : undefined;
    // Several values are not one host name: they fail the check.
    const forwarded = Array.isArray(given) ? given.join(',') : given;
    if (host === undefined || !this.#hostAllowed(host) || (forwarded !== undefined && !this.#hostAllowed(forwarded))) {
      return new HttpError(
        403,
        'host_not_allowed',
        `Host ${JSON.stringify(host ?? '')} is not answered while the API runs without keys: ` +
          'use a loopback address or localhost, or list the name in ALLOWED_HOSTS',
      );
    }
    if ((options.opensSocket || !SAFE_METHODS.has(method)) && this.#crossOrigin(headers, host)) {
      return new HttpError(
        403,
        'cross_origin',
        'a request from another origin may not change data while the API runs without keys; ' +
          'list the origin in CORS_ORIGIN or use an API key',
      );
    }
    return null;
  }

  #hostAllowed(host: string): boolean {
    const name = hostName(host);
    return name === 'localhost' || ipaddr.isValid(name) || this.#allowedHosts.has(name);
  }

  #crossOrigin(headers: IncomingHttpHeaders, host: string): boolean {
    const origin = headers.origin;
    if (origin === undefined) {
      // Browsers send Origin on such requests; Sec-Fetch-Site backs it up.
      const site = headers['sec-fetch-site'];
      return site === 'cross-site' || site === 'same-site';
    }
    if (this.#allowedOrigins.has(origin)) return false;
    try {
      return new URL(origin).host !== host.toLowerCase();
    } catch {
      // `null` (sandboxed frames, files) and anything unparsable.
      return true;
    }
  }
}

/** The name in a Host header or host list entry: no port, no IPv6 brackets, lower case, no trailing dot. */
function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  const name = lower.startsWith('[') ? lower.slice(1, lower.indexOf(']')) : lower.replace(/:\d*$/, '');
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
