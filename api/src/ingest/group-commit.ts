import type { NormalizedEvent } from '../domain/event-input.ts';
import type { EventWriter, WriteOutcome, WriteRequest } from './write.ts';

interface Pending extends WriteRequest {
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** The most events one transaction takes; more wait for the next one. */
  maxGroupEvents: number;
  /**
   * The shortest time one commit may hold the event loop (default 20 ms),
   * judged from the measured cost per event of the commits before it. A
   * commit may take as long as the loop spent on everything else since the
   * last one (up to 5 times this), so under load ingest gets about half the
   * loop and turns stay short. Short turns matter: Node accepts one new
   * connection per turn, so long ones leave connections waiting in the
   * kernel's queue for seconds, and reads wait behind them.
   */
  minGroupMillis?: number;
  /** The clock that times commits (default performance.now). */
  now?: () => number;
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
  readonly #clock: () => number;
  #queue: Pending[] = [];
  #queuedEvents = 0;
  #scheduled = false;
  /** Measured milliseconds per committed event; 0 until the first commit. */
  #millisPerEvent = 0;
  /** When the last commit ended, by the clock. */
  #lastCommitEnded = 0;

  constructor(writer: EventWriter, options: GroupCommitOptions) {
    this.#writer = writer;
    this.#options = options;
    this.#clock = options.now ?? (() => performance.now());
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
    const { group, events } = this.#take();
    if (this.#queue.length > 0) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    let outcomes: WriteOutcome[];
    const started = this.#clock();
    try {
      outcomes = this.#writer.writeGroup(group);
    } catch (error) {
      this.#lastCommitEnded = this.#clock();
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
    this.#measured(started, events);
    group.forEach((member, index) => {
      member.resolve(outcomes[index] as WriteOutcome);
    });
    this.#options.onCommit?.(outcomes);
  }

  /** Folds a commit's cost per event into the estimate that sizes the next groups. */
  #measured(started: number, events: number): void {
    this.#lastCommitEnded = this.#clock();
    if (events === 0) return;
    const perEvent = (this.#lastCommitEnded - started) / events;
    this.#millisPerEvent = this.#millisPerEvent === 0 ? perEvent : 0.8 * this.#millisPerEvent + 0.2 * perEvent;
  }

  /** How many events the next group may hold: the size limit, or fewer when commits are slow. */
  #groupEvents(): number {
    if (this.#millisPerEvent === 0) return this.#options.maxGroupEvents;
    const least = this.#options.minGroupMillis ?? 20;
    const budget = Math.min(5 * least, Math.max(least, this.#clock() - this.#lastCommitEnded));
    return Math.min(this.#options.maxGroupEvents, Math.max(1, Math.floor(budget / this.#millisPerEvent)));
  }

  /** The oldest requests up to the group's limit (always at least one), and how many events they hold. */
  #take(): { group: Pending[]; events: number } {
    const limit = this.#groupEvents();
    let events = 0;
    let count = 0;
    for (const pending of this.#queue) {
      if (count > 0 && events + pending.events.length > limit) break;
      events += pending.events.length;
      count += 1;
    }
    const group = this.#queue.slice(0, count);
    this.#queue = this.#queue.slice(count);
    this.#queuedEvents -= events;
    return { group, events };
  }
}
