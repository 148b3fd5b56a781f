import type { NormalizedEvent } from '../domain/event-input.ts';
import { admits, DEFAULT_INGEST_LIMITS, type IngestLimits, IngestOverloadedError } from './admit.ts';
import { Announcer, type IngestListener } from './announce.ts';
import { GroupCommit, type IngestWriter } from './group-commit.ts';
import type { WriteOutcome } from './write.ts';

/**
 * The one ingest path: REST and GraphQL both call it with events validated
 * by the shared parse (domain/event-input.ts). Admit (queue backpressure) →
 * assess and write (group commit: one storage transaction per turn of the
 * event loop) → announce after the commit. A write resolves only after its
 * commit.
 */
export class IngestPipeline {
  readonly #commits: GroupCommit;
  readonly #limits: IngestLimits;
  readonly #now: () => number;
  readonly #announcer: Announcer;

  constructor(
    writer: IngestWriter,
    limits: IngestLimits = DEFAULT_INGEST_LIMITS,
    options: { now?: () => number; onListenerError?: (error: unknown) => void } = {},
  ) {
    this.#limits = limits;
    this.#now = options.now ?? Date.now;
    this.#announcer = new Announcer(options.onListenerError);
    const grouping = {
      maxGroupEvents: limits.maxGroupEvents,
      onCommit: (outcomes: WriteOutcome[]) => this.#announcer.announce(outcomes),
    };
    this.#commits = writer.async
      ? new GroupCommit(writer.writer, { ...grouping, async: true })
      : new GroupCommit(writer.writer, grouping);
  }

  /** Stores the events (all or, on error, none); throws IngestOverloadedError when the queue is full. */
  ingest(events: readonly NormalizedEvent[]): Promise<WriteOutcome> {
    const queued = this.#commits.queuedEvents;
    if (!admits(queued, events.length, this.#limits)) return Promise.reject(new IngestOverloadedError(queued));
    return this.#commits.write(events, this.#now());
  }

  /** Registers an after-commit listener; returns the function that removes it. */
  onIngested(listener: IngestListener): () => void {
    return this.#announcer.listen(listener);
  }
}
