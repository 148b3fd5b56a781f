import type { Redis } from 'ioredis';
import type { RateLimiter } from '../domain/rate-limit.ts';

/** How often a node reports what it took and learns what the cluster has left. */
export const RATE_SYNC_MS = 100;

/**
 * One token bucket per key in Redis for the whole cluster. Takes what the
 * node reports (it may overdraw: the debt is kept), refills by Redis's own
 * clock (the nodes' clocks may differ), and answers what is left.
 */
const SETTLE = `
local rate = tonumber(ARGV[2]) / 1000
local burst = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(held[1]) or burst
local at = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate) - tonumber(ARGV[1])
tokens = math.max(-burst, tokens)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return tostring(tokens)
`;

/**
 * A rate limit that counts across API nodes. Each request is decided at once
 * by the node's own bucket, with no round trip; every RATE_SYNC_MS the node
 * reports what it took to Redis and sets its buckets to what the cluster has
 * left. So N nodes together admit the limit, plus at most what each could
 * take in one interval. While Redis is unreachable each node limits alone
 * (what it took meanwhile is not reported: the cluster forgives it).
 */
export class SharedRateLimiter {
  readonly #local: RateLimiter;
  readonly #redis: Redis;
  readonly #prefix: string;
  /** Tokens taken per key since the last report. */
  #taken = new Map<string, number>();
  #syncing = false;

  constructor(local: RateLimiter, redis: Redis, prefix: string) {
    this.#local = local;
    this.#redis = redis;
    this.#prefix = prefix;
    redis.defineCommand('personaDriftSettle', { numberOfKeys: 1, lua: SETTLE });
  }

  take(key: string, now: number, cost = 1): ReturnType<RateLimiter['take']> {
    const taken = this.#local.take(key, now, cost);
    if (taken.ok) this.#taken.set(key, (this.#taken.get(key) ?? 0) + cost);
    return taken;
  }

  limited(key: string, now: number): ReturnType<RateLimiter['limited']> {
    return this.#local.limited(key, now);
  }

  /** Reports and settles once; a report still running makes this a no-op. */
  async sync(): Promise<void> {
    if (this.#syncing || this.#taken.size === 0) return;
    this.#syncing = true;
    const taken = this.#taken;
    this.#taken = new Map();
    try {
      const pipeline = this.#redis.pipeline();
      for (const [key, cost] of taken) {
        (pipeline as unknown as Settling).personaDriftSettle(
          this.#prefix + key,
          cost,
          this.#local.perSecond,
          this.#local.burst,
        );
      }
      const answers = (await pipeline.exec()) ?? [];
      const now = Date.now();
      let index = 0;
      for (const key of taken.keys()) {
        const [error, left] = answers[index++] ?? [new Error('no answer'), null];
        if (error === null) this.#local.settle(key, Number(left), now);
      }
    } catch {
      // Redis unreachable: this node limits alone until it is back.
    } finally {
      this.#syncing = false;
    }
  }
}

interface Settling {
  personaDriftSettle(key: string, taken: number, perSecond: number, burst: number): unknown;
}
