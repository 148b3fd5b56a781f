import { randomUUID } from 'node:crypto';
import { type ProducerEvent, toWire, type WireEvent } from './events.ts';
import { type Connection, endpoint, headers, wait } from './http.ts';
import { DEFAULT_RETRY, isRetryable, type RetryPolicy, retryDelay } from './retry.ts';

/** The server refused events for a reason a retry cannot fix (or gave up after every retry). */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  constructor(
    message: string,
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The API's error code, e.g. `invalid_field`, `unauthorized`, `overloaded`. */
    readonly code: string | null,
    /** The field to blame, e.g. `meta.ip` or `[3].user_id`, when there is one. */
    readonly field: string | null,
  ) {
    super(message);
  }
}

/** `send` was called with the queue full: the caller sends faster than the API takes events. */
export class QueueFull extends Error {
  override readonly name = 'QueueFull';
}

export interface BatchResult {
  /** Events in the request, duplicates included. */
  count: number;
  /** Events the server already had (re-sent ids). */
  duplicates: number;
}

export interface ProducerOptions extends Connection {
  /** Events per request, at most the API's 1,000. Default 500. */
  batchSize?: number;
  /** How long `send` waits for more events before sending a part-filled batch. Default 20 ms. */
  lingerMs?: number;
  /** Events waiting at most; past it `send` rejects with QueueFull. Default 10,000. */
  maxQueued?: number;
  retry?: Partial<RetryPolicy>;
  /** Ids for events sent without one. Default: random UUIDs. */
  newEventId?: () => string;
  /** A request taking longer is abandoned and retried (ids make that safe). Default 30 s. */
  timeoutMs?: number;
}

interface Pending {
  event: WireEvent;
  resolve: () => void;
  reject: (error: Error) => void;
}

const MAX_BATCH = 1000;

/**
 * Sends events to `POST /ingest`: `send` queues one and batches it with
 * others, `sendBatch` sends many at once. Every event carries an `event_id`
 * (generated when absent), so a retry after a timeout or a 503 never stores
 * one twice; retries back off and honour `Retry-After`.
 */
export class Producer {
  readonly #connection: Connection;
  readonly #batchSize: number;
  readonly #lingerMs: number;
  readonly #maxQueued: number;
  readonly #retry: RetryPolicy;
  readonly #newEventId: () => string;
  readonly #timeoutMs: number;
  #queue: Pending[] = [];
  /** Settles once the last event queued so far is sent or refused. */
  #last: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #draining: Promise<void> | null = null;
  #closed = false;

  constructor(options: ProducerOptions) {
    this.#connection = options;
    this.#batchSize = Math.min(MAX_BATCH, Math.max(1, options.batchSize ?? 500));
    this.#lingerMs = options.lingerMs ?? 20;
    this.#maxQueued = options.maxQueued ?? 10_000;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#newEventId = options.newEventId ?? randomUUID;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Events waiting to be sent. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Queues one event; resolves once the server has committed it. Rejects with
   * IngestError when the server refuses that event (the rest of its batch is
   * still sent), QueueFull when too many wait.
   */
  send(event: ProducerEvent): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the producer is closed'));
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(new QueueFull(`${this.#queue.length} events are waiting to be sent`));
    }
    const wire = toWire(event, this.#newEventId);
    const sent = new Promise<void>((resolve, reject) => {
      this.#queue.push({ event: wire, resolve, reject });
      if (this.#queue.length >= this.#batchSize) this.#drainSoon(0);
      else this.#drainSoon(this.#lingerMs);
    });
    this.#last = sent.then(
      () => {},
      () => {},
    );
    return sent;
  }

  /**
   * Sends events now, in requests of `batchSize`, each stored all or none;
   * resolves with the totals once all are committed. A refused request
   * rejects with IngestError naming the bad event (`[i]…`, counted from the
   * start of `events`); requests before it stay stored.
   */
  async sendBatch(events: readonly ProducerEvent[]): Promise<BatchResult> {
    const wire = events.map((event) => toWire(event, this.#newEventId));
    const total: BatchResult = { count: 0, duplicates: 0 };
    for (let start = 0; start < wire.length; start += this.#batchSize) {
      try {
        const result = await this.#post(wire.slice(start, start + this.#batchSize));
        total.count += result.count;
        total.duplicates += result.duplicates;
      } catch (error) {
        throw error instanceof IngestError ? offset(error, start) : error;
      }
    }
    return total;
  }

  /** Resolves once every event queued so far is sent or refused (events queued meanwhile may still wait). */
  async flush(): Promise<void> {
    const last = this.#last;
    if (this.#queue.length > 0) void this.#startDrain();
    await last;
  }

  /** Sends what is queued and refuses further events. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  /** Starts sending after `delayMs` unless a send is already due sooner or going on. */
  #drainSoon(delayMs: number): void {
    if (this.#draining !== null) return;
    if (this.#timer !== null) {
      if (delayMs > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => void this.#startDrain(), delayMs);
  }

  #startDrain(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#draining !== null) return this.#draining;
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
      if (this.#queue.length > 0) this.#drainSoon(this.#queue.length >= this.#batchSize ? 0 : this.#lingerMs);
    });
    return this.#draining;
  }

  /** Sends the queue one batch at a time, so batches commit in the order they were queued. */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      let batch = this.#queue.splice(0, this.#batchSize);
      while (batch.length > 0) {
        try {
          await this.#post(batch.map((pending) => pending.event));
          for (const pending of batch) pending.resolve();
          batch = [];
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          // One bad event refuses the whole request: refuse it alone and send the others again.
          const index = failure instanceof IngestError ? badIndex(failure.field) : null;
          if (index === null || index >= batch.length) {
            for (const pending of batch) pending.reject(failure);
            batch = [];
          } else {
            const [bad] = batch.splice(index, 1);
            bad?.reject(
              withField(failure as IngestError, (failure as IngestError).field?.replace(/^\[\d+\]\.?/, '') ?? null),
            );
          }
        }
      }
    }
  }

  async #post(events: readonly WireEvent[]): Promise<BatchResult> {
    const fetchImpl = this.#connection.fetch ?? fetch;
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await fetchImpl(endpoint(this.#connection, '/ingest'), {
          method: 'POST',
          headers: headers(this.#connection, { 'content-type': 'application/json' }),
          body: JSON.stringify(events),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        if (attempt >= this.#retry.retries) {
          throw new IngestError(`cannot reach the API: ${(error as Error).message}`, 0, null, null);
        }
        await wait(retryDelay(this.#retry, attempt + 1, null, Date.now()));
        continue;
      }
      const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      if (response.ok) {
        return { count: Number(body?.count ?? events.length), duplicates: Number(body?.duplicates ?? 0) };
      }
      if (isRetryable(response.status) && attempt < this.#retry.retries) {
        await wait(retryDelay(this.#retry, attempt + 1, response.headers.get('retry-after'), Date.now()));
        continue;
      }
      throw new IngestError(
        String(body?.message ?? `the API answered ${response.status}`),
        response.status,
        typeof body?.error === 'string' ? body.error : null,
        typeof body?.field === 'string' ? body.field : null,
      );
    }
  }
}

/** The index a batch field names (`[3].meta.ip` → 3). */
function badIndex(field: string | null): number | null {
  const match = field === null ? null : /^\[(\d+)\]/.exec(field);
  return match ? Number(match[1]) : null;
}

function withField(error: IngestError, field: string | null): IngestError {
  return new IngestError(error.message, error.status, error.code, field);
}

/** The error with its `[i]` counted from the start of the whole `sendBatch`. */
function offset(error: IngestError, start: number): IngestError {
  const index = badIndex(error.field);
  if (index === null || start === 0) return error;
  return withField(error, (error.field as string).replace(/^\[\d+\]/, `[${index + start}]`));
}
