import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { isPublicAddress } from '../domain/ip.ts';
import { sign } from '../domain/webhook-signature.ts';
import { parseWebhookUrl, refusedLiteral } from '../domain/webhook-url.ts';
import type { OutboxMessage, WebhookQueue } from '../storage/ports.ts';

export interface WebhookOptions {
  urls: readonly string[];
  secret: Buffer;
  /** Deliver to private, loopback and reserved addresses too (tests, or a SIEM inside the same network). */
  allowPrivate: boolean;
  /** Waits before each retry; the first attempt is immediate. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  onFailure?: (url: string, error: string, final: boolean) => void;
  /** The outbox itself failed (a database error): nothing is lost, the message waits. */
  onError?: (message: string) => void;
}

/** Backoff between attempts: 1 s, 5 s, 30 s, 2 min, 10 min; then the message is dropped and logged. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
/** Messages waiting at once; past it new ones are dropped (and logged) rather than growing the outbox without end. */
const MAX_PENDING = 10_000;
/** Posts under way at once. */
const MAX_CONCURRENT = 16;
/** Added to a post's timeout for its lease: how late a message whose attempt was lost goes out again. */
const LEASE_MARGIN_MS = 5_000;
/** The pump wakes at least this often, so a clock jump or a missed wake-up costs at most this much. */
const MAX_SLEEP_MS = 60_000;
/** Pending messages older than this when the sender starts are given up: news that old is not news. */
const MAX_AGE_MS = 86_400_000;

/** The error code of a refused destination: such a message is given up at once, never retried. */
const BLOCKED = 'EWEBHOOKBLOCKED';

function blocked(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code: BLOCKED });
}

/**
 * Refuses a host name that resolves to an address the server must not be
 * steered to (SSRF), unless allowed. Node's http calls it only for names:
 * IP literals are checked by `refusedLiteral`, and every connection by
 * `guardSocket`.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const refused = list.find((entry) => !isPublicAddress(entry.address));
      if (!allowPrivate && refused !== undefined) {
        return callback(blocked(`${hostname} resolves to a non-public address (${refused.address})`), '', 0);
      }
      // Connect to exactly the address that was checked: no second lookup to rebind.
      if (options.all) return callback(null, list);
      const [first] = list;
      if (first === undefined) return callback(new Error(`${hostname} has no address`), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * Destroys a socket, before anything is written to it, unless the address it
 * reached is public: the last word whatever the lookup or an agent did.
 */
export function guardSocket(socket: Socket): void {
  const check = () => {
    const remote = socket.remoteAddress;
    if (remote === undefined || !isPublicAddress(remote)) {
      socket.destroy(blocked(`refused after connecting: ${remote ?? 'an unknown address'} is not a public address`));
    }
  };
  // Ahead of the listener that flushes the request written while connecting.
  if (socket.connecting) socket.prependOnceListener('connect', check);
  else check();
}

/**
 * Posts events to the configured URLs, signed per Standard Webhooks, retried
 * with backoff under one message id. Messages wait in the outbox table until
 * delivered or given up, so a restart resumes their retries: at least once,
 * and receivers deduplicate by `webhook-id`. Senders of several API nodes may
 * share one outbox: each attempt is claimed (leased) by one of them, so no
 * message is posted by two at once.
 */
export class WebhookSender {
  readonly #options: WebhookOptions;
  readonly #outbox: WebhookQueue;
  readonly #retryDelaysMs: readonly number[];
  readonly #timeoutMs: number;
  readonly #urls: URL[];
  readonly #lookup: LookupFunction;
  readonly #now: () => number;
  /** Outbox rows being posted right now, so a pump never sends one twice at once. */
  readonly #inFlight = new Map<number, Promise<void>>();
  /** Outdated messages given up before the first pump, so none of them is posted. */
  readonly #started: Promise<void>;
  /** Messages being stored, one after another: their order kept, and `close` waits for them. */
  #storing: Promise<void> = Promise.resolve();
  #waitingToStore = 0;
  /** The pump under way, if any: one at a time. */
  #pumping: Promise<void> | null = null;
  /** A pump was asked for while one ran: it runs again, since what it read may be stale. */
  #pumpAgain = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #forgottenAt = 0;

  constructor(options: WebhookOptions, outbox: WebhookQueue, now: () => number = Date.now) {
    this.#options = options;
    this.#outbox = outbox;
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#urls = options.urls.map(parseWebhookUrl);
    this.#lookup = guardedLookup(options.allowPrivate);
    this.#now = now;
    this.#started = this.#dropOutdated();
    // Messages left pending by an earlier run go out now.
    this.#pump();
  }

  async #dropOutdated(): Promise<void> {
    try {
      const dropped = await this.#outbox.dropOutdated(
        this.#now(),
        MAX_AGE_MS,
        this.#urls.map((url) => url.href),
      );
      if (dropped > 0) {
        this.#options.onError?.(`${dropped} pending webhook messages given up (outdated or for removed URLs)`);
      }
    } catch (error) {
      this.#options.onError?.(`webhook outbox unavailable: ${(error as Error).message}`);
    }
  }

  /**
   * Stores one message of `type` for every URL, then sends what is due; one
   * about an alert goes with it. Returns at once: the message is stored (or
   * the failure reported through `onError`) in the background.
   */
  send(type: string, data: unknown, alertId: number | null = null): void {
    if (this.#closed) return;
    // A slow or unreachable database holds them here: as many as the outbox would.
    if (this.#waitingToStore >= MAX_PENDING) {
      this.#tooMany();
      return;
    }
    let body: string;
    try {
      body = JSON.stringify({ type, timestamp: new Date(this.#now()).toISOString(), data });
    } catch (error) {
      this.#options.onError?.(`webhook message not stored: ${(error as Error).message}`);
      return;
    }
    const id = `msg_${randomUUID().replaceAll('-', '')}`;
    this.#waitingToStore += 1;
    this.#storing = this.#storing
      .then(() => this.#store(id, body, alertId))
      .finally(() => {
        this.#waitingToStore -= 1;
      });
  }

  #tooMany(): void {
    for (const url of this.#urls) {
      this.#options.onFailure?.(url.href, 'too many pending webhook messages; dropped', true);
    }
  }

  async #store(id: string, body: string, alertId: number | null): Promise<void> {
    try {
      if ((await this.#outbox.pendingCount()) >= MAX_PENDING) {
        this.#tooMany();
        return;
      }
      await this.#outbox.enqueue(
        id,
        this.#urls.map((url) => url.href),
        body,
        this.#now(),
        alertId,
      );
    } catch (error) {
      this.#options.onError?.(`webhook message not stored: ${(error as Error).message}`);
      return;
    }
    this.#pump();
  }

  /** Runs a pump, or another one right after the one under way. */
  #pump(): void {
    if (this.#closed) return;
    if (this.#pumping !== null) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = (async () => {
      await this.#started;
      do {
        this.#pumpAgain = false;
        await this.#pumpOnce();
      } while (this.#pumpAgain && !this.#closed);
    })().finally(() => {
      this.#pumping = null;
      // Asked for after the loop's last look.
      if (this.#pumpAgain) this.#pump();
    });
  }

  /**
   * Sends every due message it can claim, then sleeps until the next one is
   * due. A claimed message is leased (not due again, here or on another node,
   * until its post must have ended), so the next-due time never points at a
   * post in progress, and an outbox error only delays a message.
   */
  async #pumpOnce(): Promise<void> {
    if (this.#closed) return;
    try {
      clearTimeout(this.#timer);
      const now = this.#now();
      if (now - this.#forgottenAt > 3_600_000) {
        await this.#outbox.forgetFinished(now);
        this.#forgottenAt = now;
      }
      const room = MAX_CONCURRENT - this.#inFlight.size;
      if (room > 0) {
        const leaseUntil = now + this.#timeoutMs + LEASE_MARGIN_MS;
        // Posted even if the sender closed meanwhile: they are leased, so left alone they would wait out the lease.
        for (const message of await this.#outbox.claim(now, room, leaseUntil)) {
          // Only when an outcome took longer to record than the lease: the new lease holds it for now.
          if (this.#inFlight.has(message.id)) continue;
          const attempt = this.#attempt(message, leaseUntil)
            .catch((error: unknown) =>
              this.#options.onError?.(`webhook attempt not recorded: ${(error as Error).message}`),
            )
            .finally(() => {
              this.#inFlight.delete(message.id);
              this.#pump();
            });
          this.#inFlight.set(message.id, attempt);
        }
      }
      // With every slot taken, the next attempt to end pumps; a timer would only poll.
      if (this.#closed || this.#inFlight.size >= MAX_CONCURRENT) return;
      const next = await this.#outbox.nextDue();
      if (next !== null && !this.#closed) {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#pump(), Math.min(Math.max(0, next - this.#now()), MAX_SLEEP_MS));
        this.#timer.unref();
      }
    } catch (error) {
      this.#options.onError?.(`webhook outbox unavailable: ${(error as Error).message}`);
      this.#pumpAgain = false;
      if (!this.#closed) {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#pump(), LEASE_MARGIN_MS);
        this.#timer.unref();
      }
    }
  }

  async #attempt(message: OutboxMessage, leaseUntil: number): Promise<void> {
    const error = await this.#post(new URL(message.url), message.messageId, message.body);
    // Recorded even while closing: the database stays open until the posts under way have ended.
    const attempts = message.attempts + 1;
    const now = this.#now();
    if (error === null) {
      await this.#outbox.delivered(message.id, leaseUntil, attempts, now);
      return;
    }
    const delay = this.#retryDelaysMs[attempts - 1];
    const final = delay === undefined || error.startsWith('blocked');
    if (final) await this.#outbox.dropped(message.id, leaseUntil, attempts, now, error);
    else await this.#outbox.retryAt(message.id, leaseUntil, attempts, now + delay, error);
    this.#options.onFailure?.(message.url, error, final);
  }

  /** One delivery; null on a 2xx, else why not. Each attempt is signed afresh (its timestamp changes). */
  #post(url: URL, id: string, body: string): Promise<string | null> {
    const timestamp = Math.floor(Date.now() / 1000);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const allowPrivate = this.#options.allowPrivate;
    // Node's http connects to an IP literal without calling the lookup.
    const refused = allowPrivate ? null : refusedLiteral(url);
    if (refused !== null) return Promise.resolve(`blocked: ${refused} is not a public address`);
    return new Promise((resolve) => {
      const req = request(
        url,
        {
          method: 'POST',
          lookup: this.#lookup,
          timeout: this.#timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': sign(this.#options.secret, id, timestamp, body),
          },
        },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          resolve(status >= 200 && status < 300 ? null : `HTTP ${status}`);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      // A hard deadline too: `timeout` is only for idleness, and a receiver
      // trickling its answer would otherwise hold the post (and shutdown) forever.
      const deadline = setTimeout(() => req.destroy(new Error('timed out')), this.#timeoutMs);
      deadline.unref();
      req.on('close', () => clearTimeout(deadline));
      if (!allowPrivate) req.on('socket', guardSocket);
      req.on('error', (error: NodeJS.ErrnoException) =>
        resolve(error.code === BLOCKED ? `blocked: ${error.message}` : error.message),
      );
      req.end(body);
    });
  }

  /**
   * Stops sending (shutdown) and waits for the messages being stored, the
   * pump and the posts under way; what is pending stays in the outbox.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#storing;
    await this.#pumping;
    clearTimeout(this.#timer);
    await Promise.all(this.#inFlight.values());
  }
}
