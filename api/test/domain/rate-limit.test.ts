import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/domain/rate-limit.ts';

describe('RateLimiter', () => {
  it('allows a burst, then refuses with the seconds until a token is back', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 4 });
    const results = Array.from({ length: 5 }, () => limiter.take('k', 0));
    expect(results.slice(0, 4).every((r) => r.ok)).toBe(true);
    expect(results[4]).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('refills at its rate, never past the burst', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 4 });
    for (let i = 0; i < 4; i++) limiter.take('k', 0);
    expect(limiter.take('k', 499).ok).toBe(false);
    expect(limiter.take('k', 500).ok).toBe(true);
    // An hour idle refills to the burst, not to 7,200.
    const later = Array.from({ length: 5 }, () => limiter.take('k', 3_600_000).ok);
    expect(later).toEqual([true, true, true, true, false]);
  });

  it('keeps each key apart', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('a', 0).ok).toBe(false);
    expect(limiter.take('b', 0).ok).toBe(true);
  });

  it('rounds Retry-After up to whole seconds for slow rates', () => {
    const limiter = new RateLimiter({ perSecond: 0.05, burst: 1 });
    limiter.take('k', 0);
    expect(limiter.take('k', 0)).toEqual({ ok: false, retryAfterSeconds: 20 });
  });

  it('peeks without taking', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.limited('k', 0)).toEqual({ limited: false });
    limiter.take('k', 0);
    expect(limiter.limited('k', 0)).toEqual({ limited: true, retryAfterSeconds: 1 });
    expect(limiter.limited('k', 1000)).toEqual({ limited: false });
  });

  it('forgets the least recently used key past its bound', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, maxKeys: 2 });
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0);
    // 'a' was dropped: it starts again with a full bucket.
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('c', 0).ok).toBe(false);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new RateLimiter({ perSecond: 0, burst: 1 })).toThrow();
    expect(() => new RateLimiter({ perSecond: 1, burst: 0 })).toThrow();
  });
});
