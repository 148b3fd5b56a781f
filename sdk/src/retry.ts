/** How a failed request is retried: exponential backoff with jitter, or the server's `Retry-After`. */
export interface RetryPolicy {
  /** Attempts after the first; 0 never retries. */
  retries: number;
  /** The first backoff; each next one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 8, baseDelayMs: 250, maxDelayMs: 30_000 };

/** Statuses worth another try (ingest is idempotent): the server was busy or failed, not the request. */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The wait before retry `attempt` (1 for the first retry). A `Retry-After` of
 * seconds or an HTTP date wins, capped at `maxDelayMs`; otherwise full jitter
 * over the exponential step, so many producers do not retry in step.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfter: string | null,
  now: number,
  random: () => number = Math.random,
): number {
  const told = retryAfterMs(retryAfter, now);
  if (told !== null) return Math.min(told, policy.maxDelayMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
