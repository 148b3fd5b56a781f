import type { Logger } from '../logger.ts';
import type { AuditLog, EventPurge, PurgeOutcome } from '../storage/ports.ts';

const DAY_MS = 86_400_000;
/** Users per purge transaction: small enough that ingest waits at most a few ms for each. */
const USERS_PER_BATCH = 200;

export interface RetentionTotals {
  cutoff: number;
  users: number;
  events: number;
  removedUsers: number;
  alerts: number;
}

/**
 * Purges events older than the retention period, on a schedule: batch by
 * batch, letting ingest in between, and writes one audit entry per run that
 * purged anything. `onUsersChanged` hears each batch's users (the GraphQL
 * response cache forgets them).
 */
export class RetentionService {
  readonly #purger: EventPurge;
  readonly #audit: AuditLog;
  readonly #days: number;
  readonly #logger: Logger;
  readonly #onUsersChanged: (userIds: string[]) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RetentionTotals> | undefined;

  constructor(deps: {
    purger: EventPurge;
    audit: AuditLog;
    days: number;
    logger: Logger;
    onUsersChanged: (userIds: string[]) => void;
  }) {
    this.#purger = deps.purger;
    this.#audit = deps.audit;
    this.#days = deps.days;
    this.#logger = deps.logger;
    this.#onUsersChanged = deps.onUsersChanged;
  }

  /** Runs now (a run already going is joined, not doubled). */
  run(now: number = Date.now()): Promise<RetentionTotals> {
    this.#running ??= this.#run(now).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(now: number): Promise<RetentionTotals> {
    const cutoff = now - this.#days * DAY_MS;
    const totals: RetentionTotals = { cutoff, users: 0, events: 0, removedUsers: 0, alerts: 0 };
    for (;;) {
      const batch: PurgeOutcome = await this.#purger.purgeBatch(cutoff, USERS_PER_BATCH);
      if (batch.users.length === 0) break;
      totals.users += batch.users.length;
      totals.events += batch.events;
      totals.removedUsers += batch.removedUsers;
      totals.alerts += batch.alerts;
      this.#onUsersChanged(batch.users);
      // Let queued ingest commit between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (totals.users > 0) {
      await this.#audit.audit('retention', 'retention.purged', `events before ${new Date(cutoff).toISOString()}`, {
        days: this.#days,
        events: totals.events,
        users: totals.users,
        removedUsers: totals.removedUsers,
        alerts: totals.alerts,
      });
      this.#logger.info('retention purged old events', { ...totals, cutoff: new Date(cutoff).toISOString() });
    }
    return totals;
  }

  /** First run shortly after start, then every `everyMs`. */
  start(everyMs: number, firstAfterMs = 10_000): void {
    const tick = () => {
      this.run().catch((error: unknown) => this.#logger.error('retention failed', { error: (error as Error).stack }));
    };
    const first = setTimeout(() => {
      tick();
      this.#timer = setInterval(tick, everyMs);
      this.#timer.unref();
    }, firstAfterMs);
    first.unref();
    this.#timer = first;
  }

  /** Stops the schedule and waits for a run in progress. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }
}
