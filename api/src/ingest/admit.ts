export interface IngestLimits {
  /** The most events one transaction takes (group commit). */
  maxGroupEvents: number;
  /** The most events waiting for a commit; past it new writes are refused, not queued. */
  maxQueuedEvents: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxGroupEvents: 5000, maxQueuedEvents: 20_000 };

/** The write queue is full: the caller should answer 503 with Retry-After. Nothing of the request was stored. */
export class IngestOverloadedError extends Error {
  readonly retryAfterSeconds = 1;

  constructor(queued: number) {
    super(`ingest queue is full (${queued} events waiting); retry shortly`);
  }
}

/**
 * Backpressure: whether `incoming` events may join `queued` ones waiting for
 * a commit. An empty queue always admits, so a batch larger than the limit
 * is never refused forever.
 */
export function admits(queued: number, incoming: number, limits: IngestLimits): boolean {
  return queued === 0 || queued + incoming <= limits.maxQueuedEvents;
}
