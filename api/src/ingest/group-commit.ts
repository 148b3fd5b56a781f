import { performance } from 'node:perf_hooks';
import type { NormalizedEvent } from '../domain/event-input.ts';
import type { AsyncIngestStore, WriteStore } from '../storage/ports.ts';
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
   * kernel's queue for seconds, and reads wait behind them. An awaited
   * commit (`async`) may keep the loop busy for up to 5 times this, however
   * long it lasts.
   */
  minGroupMillis?: number;
  /** The clock that times commits (default performance.now; for awaited commits, the loop's busy time). */
  now?: () => number;
  /** Called after each commit with the committed outcomes, in request order. */
  onCommit?: (outcomes: WriteOutcome[]) => void;
}

/** The writer, with how its commits run: within the turn (SQLite) or awaited (PostgreSQL). */
export type IngestWriter =
  | { async: false; writer: EventWriter<WriteStore> }
  | { async: true; writer: EventWriter<AsyncIngestStore> };

/**
 * Collects the writes that arrive in one turn of the event loop and commits
 * them together. A request is answered only after the transaction holding its
 * events has committed, so an acknowledgement still means "durable"; under
 * load many requests share one commit instead of paying for one each.
 *
 * On a synchronous store (SQLite) a commit runs within the turn. On an
 * asynchronous one (PostgreSQL, `async: true`) it is awaited, one at a time:
 * the requests that arrive meanwhile form the next group once it ends, so a
 * node's writes to one user commit in the order they arrived (the store's
 * per-user locks order them across nodes).
 */
export class GroupCommit {
  readonly #writer: IngestWriter;
  readonly #options: GroupCommitOptions;
  readonly #clock: () => number;
  #queue: Pending[] = [];
  #queuedEvents = 0;
  #scheduled = false;
  /** Whether an awaited commit is in progress; the next group waits for it. */
  #committing = false;
  /** Measured milliseconds per committed event; 0 until the first commit. */
  #millisPerEvent = 0;
  /** When the last commit ended, by the clock. */
  #lastCommitEnded = 0;

  constructor(writer: EventWriter<WriteStore>, options: GroupCommitOptions & { async?: false });
  /** `async: true` says what EventWriter cannot tell at run time: its store is reached asynchronously. */
  constructor(writer: EventWriter<AsyncIngestStore>, options: GroupCommitOptions & { async: true });
  constructor(
    writer: EventWriter<WriteStore> | EventWriter<AsyncIngestStore>,
    options: GroupCommitOptions & { async?: boolean },
  ) {
    this.#writer = options.async
      ? { async: true, writer: writer as EventWriter<AsyncIngestStore> }
      : { async: false, writer: writer as EventWriter<WriteStore> };
    this.#options = options;
    // An awaited commit spends most of its time waiting on the database
    // (round trips, other nodes' locks on its users) with the loop free: it is
    // judged by the loop time it takes, not by how long it lasts.
    this.#clock = options.now ?? (options.async ? loopBusyMillis : () => performance.now());
  }

  /**
   * Events not answered yet (admission control reads this): those waiting for
   * a commit, and those of the commit in progress.
   */
  get queuedEvents(): number {
    return this.#queuedEvents;
  }

  write(events: readonly NormalizedEvent[], receivedAt: number): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ events, receivedAt, resolve, reject });
      this.#queuedEvents += events.length;
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#committing || this.#queue.length === 0) return;
    this.#scheduled = true;
    // setImmediate runs after the poll phase, so every request read in
    // this turn of the loop joins the group.
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const { group, events } = this.#take();
    const writer = this.#writer;
    if (writer.async) {
      this.#committing = true;
      void this.#commitAsync(writer.writer, group, events).finally(() => {
        this.#committing = false;
        this.#schedule();
      });
      return;
    }
    this.#schedule();
    let outcomes: WriteOutcome[];
    const started = this.#clock();
    try {
      outcomes = writer.writer.writeGroup(group);
    } catch (error) {
      if (this.#rejectedWhole(group, error)) return;
      // Nothing of the group was stored. Each request gets its own
      // transaction, so only the one at fault (if any) fails.
      outcomes = [];
      for (const member of group) {
        try {
          outcomes.push(this.#answer(member, writer.writer.write(member.events, member.receivedAt)));
        } catch (memberError) {
          this.#fail(member, memberError);
        }
      }
      this.#options.onCommit?.(outcomes);
      return;
    }
    this.#committed(group, events, started, outcomes);
  }

  /** As the synchronous commit in `#flush`, each transaction awaited before the next begins. */
  async #commitAsync(writer: EventWriter<AsyncIngestStore>, group: Pending[], events: number): Promise<void> {
    let outcomes: WriteOutcome[];
    const started = this.#clock();
    try {
      outcomes = await writer.writeGroupAsync(group);
    } catch (error) {
      if (this.#rejectedWhole(group, error)) return;
      outcomes = [];
      for (const member of group) {
        try {
          const [outcome] = await writer.writeGroupAsync([member]);
          outcomes.push(this.#answer(member, outcome as WriteOutcome));
        } catch (memberError) {
          this.#fail(member, memberError);
        }
      }
      this.#options.onCommit?.(outcomes);
      return;
    }
    this.#committed(group, events, started, outcomes);
  }

  /** After a group failed: rejects every request with the error when retrying them one by one is pointless. */
  #rejectedWhole(group: readonly Pending[], error: unknown): boolean {
    this.#lastCommitEnded = this.#clock();
    // A busy, full or failing database fails every request alike; retrying
    // them one by one would only fail once per request (on SQLite, stalling
    // the event loop each time).
    if (group.length > 1 && !this.#writer.writer.failsEveryWrite(error)) return false;
    for (const member of group) this.#fail(member, error);
    return true;
  }

  #committed(group: readonly Pending[], events: number, started: number, outcomes: WriteOutcome[]): void {
    this.#measured(started, events);
    group.forEach((member, index) => {
      this.#answer(member, outcomes[index] as WriteOutcome);
    });
    this.#options.onCommit?.(outcomes);
  }

  #answer(member: Pending, outcome: WriteOutcome): WriteOutcome {
    this.#queuedEvents -= member.events.length;
    member.resolve(outcome);
    return outcome;
  }

  #fail(member: Pending, error: unknown): void {
    this.#queuedEvents -= member.events.length;
    member.reject(error);
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
    // While an awaited commit waits on the database the loop serves everything
    // else, so it owes no turn to what came between. The loop time it takes
    // (the scoring, building statements, reading results, and whatever else
    // ran meanwhile) bounds each turn it holds: kept to the most a synchronous
    // commit may take, no turn is longer, and groups stay large enough that a
    // transaction's round trips do not bound throughput.
    const budget = this.#writer.async
      ? 5 * least
      : Math.min(5 * least, Math.max(least, this.#clock() - this.#lastCommitEnded));
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
    return { group, events };
  }
}

/** Milliseconds the event loop has spent running callbacks rather than waiting for I/O. */
function loopBusyMillis(): number {
  return performance.eventLoopUtilization().active;
}
