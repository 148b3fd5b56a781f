import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRetryable, retryDelay } from '../src/retry.ts';

describe('retry policy', () => {
  it('honours Retry-After in seconds or as a date, capped', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(retryDelay(DEFAULT_RETRY, 1, '3', now)).toBe(3000);
    expect(retryDelay(DEFAULT_RETRY, 1, new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(retryDelay(DEFAULT_RETRY, 1, '3600', now)).toBe(DEFAULT_RETRY.maxDelayMs);
  });

  it('backs off exponentially with jitter without one', () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelay(policy, 1, null, 0, () => 0)).toBe(50);
    expect(retryDelay(policy, 1, null, 0, () => 1)).toBe(100);
    expect(retryDelay(policy, 3, null, 0, () => 1)).toBe(400);
    expect(retryDelay(policy, 9, null, 0, () => 1)).toBe(1000);
    expect(retryDelay(policy, 2, 'soon', 0, () => 1)).toBe(200);
  });

  it('retries what a busy or failing server answers, not what the request got wrong', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 404, 413, 415, 422].some(isRetryable)).toBe(false);
  });
});
