import type { NormalizedEvent } from '../domain/event-input.ts';
import type { EventStore, WriteOutcome } from '../storage/event-store.ts';

export type IngestListener = (outcome: WriteOutcome) => void;

/**
 * The one ingest path: REST and GraphQL both call it with already validated
 * events. Listeners (live subscriptions) hear about a write only after it has
 * committed, so nothing is announced that could still roll back.
 */
export class IngestService {
  readonly #store: EventStore;
  readonly #now: () => number;
  readonly #listeners = new Set<IngestListener>();

  constructor(store: EventStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  ingest(events: readonly NormalizedEvent[]): WriteOutcome {
    const outcome = this.#store.write(events, this.#now());
    if (outcome.stored.length > 0) {
      for (const listener of this.#listeners) listener(outcome);
    }
    return outcome;
  }

  /** Registers a listener; returns the function that removes it. */
  onIngested(listener: IngestListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
