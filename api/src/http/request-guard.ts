import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import ipaddr from 'ipaddr.js';
import { RATE_SYNC_MS, SharedRateLimiter } from '../cluster/shared-rate-limiter.ts';
import { RateLimiter } from '../domain/rate-limit.ts';
import { rememberRecent } from '../domain/remember-recent.ts';
import type { AccessControl, Principal } from '../services/access.ts';
import { HttpError } from './http-error.ts';

export interface GuardOptions {
  /** Requests per second per API key (bursts up to twice that); 0: no limit. */
  rateLimitPerKey: number;
  /** Requests per second per client address (bursts up to twice that); 0: no limit. */
  rateLimitPerIp: number;
  /** Failed authentications per minute per client address before it gets 429. */
  authFailuresPerIp: number;
  /** Peers whose X-Forwarded-For names the client (the dashboard, a reverse proxy). */
  trustedProxies: readonly string[];
  /** Redis shared with the other API nodes: the limits then count across them. */
  redis?: Redis;
}

type Limiter = Pick<RateLimiter, 'take' | 'limited'>;

/**
 * Who may come in, and how often: the client's address, the per-address and
 * per-key rate limits, and authentication with its failure limit. One guard
 * serves every way in (HTTP, SSE, WebSocket), so none of them is a way around.
 */
export class RequestGuard {
  readonly #access: AccessControl;
  readonly #trusted: ReadonlySet<string>;
  readonly #perKey: Limiter | null;
  readonly #perAddress: Limiter | null;
  readonly #failures: Limiter;
  readonly #sync: NodeJS.Timeout | null = null;

  get access(): AccessControl {
    return this.#access;
  }

  constructor(access: AccessControl, options: GuardOptions) {
    this.#access = access;
    this.#trusted = new Set(options.trustedProxies.map((address) => normalizeAddress(address) ?? address));
    const shared: SharedRateLimiter[] = [];
    const limiter = (name: string, local: RateLimiter): Limiter => {
      if (options.redis === undefined) return local;
      const cluster = new SharedRateLimiter(local, options.redis, `persona-drift:rate:${name}:`);
      shared.push(cluster);
      return cluster;
    };
    this.#perKey =
      options.rateLimitPerKey > 0
        ? limiter(
            'key',
            new RateLimiter({
              perSecond: options.rateLimitPerKey,
              burst: 2 * options.rateLimitPerKey,
              maxKeys: 10_000,
            }),
          )
        : null;
    this.#perAddress =
      options.rateLimitPerIp > 0
        ? limiter('address', new RateLimiter({ perSecond: options.rateLimitPerIp, burst: 2 * options.rateLimitPerIp }))
        : null;
    this.#failures = limiter(
      'auth-failures',
      new RateLimiter({ perSecond: options.authFailuresPerIp / 60, burst: options.authFailuresPerIp }),
    );
    if (shared.length > 0) {
      this.#sync = setInterval(() => {
        for (const cluster of shared) void cluster.sync();
      }, RATE_SYNC_MS).unref();
    }
  }

  /** Stops reporting to the other nodes. */
  stop(): void {
    if (this.#sync !== null) clearInterval(this.#sync);
  }

  /**
   * The client's address: the TCP peer, or, when the peer is a trusted proxy,
   * the last address its X-Forwarded-For names (the one it added itself).
   */
  clientAddress(req: IncomingMessage): string {
    const remote = req.socket.remoteAddress ?? 'unknown';
    const peer = normalizeAddress(remote) ?? remote;
    const forwarded = req.headers['x-forwarded-for'];
    if (!this.#trusted.has(peer) || typeof forwarded !== 'string') return peer;
    return normalizeAddress(forwarded.split(',').at(-1)?.trim() ?? '') ?? peer;
  }

  /** The connection comes from a proxy whose X-Forwarded-* headers are believed. */
  isTrustedProxy(req: IncomingMessage): boolean {
    const remote = req.socket.remoteAddress ?? '';
    return this.#trusted.has(normalizeAddress(remote) ?? remote);
  }

  /** Throws 429 when the address is over its request rate. */
  admit(address: string, now: number = Date.now()): void {
    const taken = this.#perAddress?.take(address, now);
    if (taken !== undefined && !taken.ok) {
      throw HttpError.tooMany('too many requests from this address', taken.retryAfterSeconds);
    }
  }

  /**
   * The principal presenting these headers from this address. Throws 401
   * without a valid key and 429 when the address has failed too often
   * (checked first: a client guessing keys learns nothing once refused).
   * Only a key that is wrong counts as a failure, not a missing one: pages
   * opened before signing in are not guesses.
   */
  authenticate(headers: IncomingMessage['headers'], address: string, now: number = Date.now()): Principal {
    const blocked = this.#failures.limited(address, now);
    if (blocked.limited) {
      throw HttpError.tooMany('too many failed authentications from this address', blocked.retryAfterSeconds);
    }
    const result = this.#access.authenticate(headers);
    if (!result.ok) {
      if (result.reason !== 'missing') this.#failures.take(address, now);
      throw new HttpError(401, 'unauthorized', result.message, { headers: { 'www-authenticate': 'Bearer' } });
    }
    return result.principal;
  }

  /** Throws 429 when the principal's key is over its request rate (open access has no key to limit). */
  charge(principal: Principal, now: number = Date.now()): void {
    if (this.#perKey === null || principal.keyId === null) return;
    const taken = this.#perKey.take(`key:${principal.keyId}`, now);
    if (!taken.ok) throw HttpError.tooMany('this API key is over its request rate', taken.retryAfterSeconds);
  }
}

/**
 * IPv4-mapped IPv6 (`::ffff:127.0.0.1`) as plain IPv4, so one client has one
 * address; null for what is not an address. Remembered: every request asks,
 * and clients come back.
 */
const normalizeAddress = rememberRecent(
  (address: string): string | null => (ipaddr.isValid(address) ? ipaddr.process(address).toString() : null),
  4_096,
);
