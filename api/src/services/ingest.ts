import type { NormalizedEvent } from '../domain/event-input.ts';
import type { EventStore, WriteOutcome } from '../storage/event-store.ts';
import { GroupCommit } from '../storage/group-commit.ts';

export type IngestListener = (outcome: WriteOutcome) => void;

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
 * The one ingest path: REST and GraphQL both call it with already validated
 * events. Writes are group-committed (storage/group-commit.ts) and resolve
 * only after their commit. Listeners (live subscriptions) hear about a write
 * only after it has committed, so nothing is announced that could still roll back.
 */
export class IngestService {
  readonly #commits: GroupCommit;
  readonly #limits: IngestLimits;
  readonly #now: () => number;
  readonly #listeners = new Set<IngestListener>();

  constructor(
    store: EventStore,
    limits: IngestLimits = DEFAULT_INGEST_LIMITS,
    options: { now?: () => number; onListenerError?: (error: unknown) => void } = {},
  ) {
    this.#limits = limits;
    this.#now = options.now ?? Date.now;
    const onListenerError = options.onListenerError ?? (() => {});
    this.#commits = new GroupCommit(store, {
      maxGroupEvents: limits.maxGroupEvents,
      onCommit: (outcomes) => {
        for (const outcome of outcomes) {
          if (outcome.stored.length === 0) continue;
          // The write is committed whatever a listener does; one failing
          // listener must neither skip the others nor take the process down.
          for (const listener of this.#listeners) {
            try {
              listener(outcome);
            } catch (error) {
              onListenerError(error);
            }
          }
        }
      },
    });
  }

  /** Stores the events (all or, on error, none); throws IngestOverloadedError when the queue is full. */
  ingest(events: readonly NormalizedEvent[]): Promise<WriteOutcome> {
    const queued = this.#commits.queuedEvents;
    // An empty queue always admits, so a batch larger than the limit is never refused forever.
    if (queued > 0 && queued + events.length > this.#limits.maxQueuedEvents) {
      return Promise.reject(new IngestOverloadedError(queued));
    }
    return this.#commits.write(events, this.#now());
  }

  /** Registers a listener; returns the function that removes it. */
  onIngested(listener: IngestListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
