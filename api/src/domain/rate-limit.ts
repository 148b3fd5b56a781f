/**
 * Token buckets per key (an API key id, a client address): each holds up to
 * `burst` tokens and refills at `perSecond`; a request takes one. Memory is
 * bounded: past `maxKeys` the least recently used bucket is dropped, which at
 * worst forgives that client a burst.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: { perSecond: number; burst: number; maxKeys?: number }) {
    if (!(options.perSecond > 0) || !(options.burst >= 1))
      throw new Error('a rate limit needs perSecond > 0 and burst ≥ 1');
    this.#perSecond = options.perSecond;
    this.#burst = options.burst;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  /** Takes `cost` tokens if there are; otherwise says how many seconds until there will be (whole, at least 1). */
  take(key: string, now: number, cost = 1): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const bucket = this.#refilled(key, now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / this.#perSecond)) };
  }

  /** Whether a request now would be refused, without taking anything. */
  limited(key: string, now: number): { limited: false } | { limited: true; retryAfterSeconds: number } {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return { limited: false };
    const tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond);
    return tokens >= 1
      ? { limited: false }
      : { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.#perSecond)) };
  }

  /**
   * Sets a bucket to what the whole cluster has left (see SharedRateLimiter):
   * below zero when the nodes together took more than it held, a debt that
   * refilling pays first.
   */
  settle(key: string, tokens: number, now: number): void {
    const bucket = this.#refilled(key, now);
    bucket.tokens = Math.max(-this.#burst, Math.min(this.#burst, tokens));
  }

  get perSecond(): number {
    return this.#perSecond;
  }

  get burst(): number {
    return this.#burst;
  }

  #refilled(key: string, now: number): { tokens: number; at: number } {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.#burst, at: now };
      if (this.#buckets.size >= this.#maxKeys) this.#buckets.delete(this.#buckets.keys().next().value as string);
    } else {
      // Re-inserted below so the Map stays in least-recently-used order.
      this.#buckets.delete(key);
      bucket.tokens = Math.min(this.#burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.#perSecond);
      bucket.at = Math.max(bucket.at, now);
    }
    this.#buckets.set(key, bucket);
    return bucket;
  }
}
