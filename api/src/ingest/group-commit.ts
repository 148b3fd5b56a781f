import type { NormalizedEvent } from '../domain/event-input.ts';
import type { EventWriter, WriteOutcome, WriteRequest } from './write.ts';

interface Pending extends WriteRequest {
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** The most events one transaction takes; more wait for the next one. */
  maxGroupEvents: number;
  /** Called after each commit with the committed outcomes, in request order. */
  onCommit?: (outcomes: WriteOutcome[]) => void;
}

/**
 * Collects the writes that arrive in one turn of the event loop and commits
 * them together. A request is answered only after the transaction holding its
 * events has committed, so an acknowledgement still means "durable"; under
 * load many requests share one commit instead of paying for one each.
 */
export class GroupCommit {
  readonly #writer: EventWriter;
  readonly #options: GroupCommitOptions;
  #queue: Pending[] = [];
  #queuedEvents = 0;
  #scheduled = false;

  constructor(writer: EventWriter, options: GroupCommitOptions) {
    this.#writer = writer;
    this.#options = options;
  }

  /** Events waiting for a commit (admission control reads this). */
  get queuedEvents(): number {
    return this.#queuedEvents;
  }

  write(events: readonly NormalizedEvent[], receivedAt: number): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ events, receivedAt, resolve, reject });
      this.#queuedEvents += events.length;
      if (!this.#scheduled) {
        this.#scheduled = true;
        // setImmediate runs after the poll phase, so every request read in
        // this turn of the loop joins the group.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const group = this.#take();
    if (this.#queue.length > 0) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    let outcomes: WriteOutcome[];
    try {
      outcomes = this.#writer.writeGroup(group);
    } catch (error) {
      // A busy, full or failing database fails every request alike; retrying
      // them one by one would only stall the event loop once per request.
      if (group.length === 1 || this.#writer.failsEveryWrite(error)) {
        for (const member of group) member.reject(error);
        return;
      }
      // Nothing of the group was stored. Each request gets its own
      // transaction, so only the one at fault (if any) fails.
      outcomes = [];
      for (const member of group) {
        try {
          outcomes.push(this.#writer.write(member.events, member.receivedAt));
          member.resolve(outcomes.at(-1) as WriteOutcome);
        } catch (memberError) {
          member.reject(memberError);
        }
      }
      this.#options.onCommit?.(outcomes);
      return;
    }
    group.forEach((member, index) => {
      member.resolve(outcomes[index] as WriteOutcome);
    });
    this.#options.onCommit?.(outcomes);
  }

  /** The oldest requests up to the group's size limit (always at least one). */
  #take(): Pending[] {
    let events = 0;
    let count = 0;
    for (const pending of this.#queue) {
      if (count > 0 && events + pending.events.length > this.#options.maxGroupEvents) break;
      events += pending.events.length;
      count += 1;
    }
    const group = this.#queue.slice(0, count);
    this.#queue = this.#queue.slice(count);
    this.#queuedEvents -= events;
    return group;
  }
}
