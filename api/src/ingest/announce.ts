import type { WriteOutcome } from './write.ts';

export type IngestListener = (outcome: WriteOutcome) => void;

/**
 * The after-commit step: tells listeners (live subscriptions, metrics,
 * webhooks, the response cache) about each committed write that stored
 * something. It runs only after the commit, so nothing is announced that
 * could still roll back.
 */
export class Announcer {
  readonly #listeners = new Set<IngestListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  /** Registers a listener; returns the function that removes it. */
  listen(listener: IngestListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  announce(outcomes: readonly WriteOutcome[]): void {
    for (const outcome of outcomes) {
      if (outcome.stored.length === 0) continue;
      // The write is committed whatever a listener does; one failing
      // listener must neither skip the others nor take the process down.
      for (const listener of this.#listeners) {
        try {
          listener(outcome);
        } catch (error) {
          this.#onListenerError(error);
        }
      }
    }
  }
}
