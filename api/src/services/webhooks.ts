import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ipScope } from '../domain/risk/network.ts';
import { sign } from '../domain/webhook-signature.ts';

export interface WebhookOptions {
  urls: readonly string[];
  secret: Buffer;
  /** Deliver to private, loopback and reserved addresses too (tests, or a SIEM inside the same network). */
  allowPrivate: boolean;
  /** Waits before each retry; the first attempt is immediate. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  onFailure?: (url: string, error: string, final: boolean) => void;
}

/** Backoff between attempts: 1 s, 5 s, 30 s, 2 min, 10 min; then the message is dropped and logged. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
/** Messages waiting at once; past it new ones are dropped (and logged) rather than growing memory. */
const MAX_PENDING = 1000;

/** Refuses a destination the server must not be steered to (SSRF): internal addresses, unless allowed. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const blocked = list.find((entry) => ipScope(entry.address) !== 'public');
      if (!allowPrivate && blocked !== undefined) {
        return callback(
          Object.assign(new Error(`${hostname} resolves to a non-public address (${blocked.address})`), {
            code: 'EWEBHOOKBLOCKED',
          }),
          '',
          0,
        );
      }
      // Connect to exactly the address that was checked: no second lookup to rebind.
      if (options.all) return callback(null, list);
      const [first] = list;
      if (first === undefined) return callback(new Error(`${hostname} has no address`), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}

/** Checks a webhook URL when the server starts: http(s), no credentials in it. */
export function parseWebhookUrl(raw: string): URL {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${raw}: only http and https`);
  if (url.username !== '' || url.password !== '') throw new Error(`${raw}: no credentials in the URL`);
  return url;
}

/**
 * Posts events to the configured URLs, signed per Standard Webhooks, retried
 * with backoff. Delivery is best effort from memory: messages pending when the
 * process stops are not redelivered (alerts stay readable from the API).
 */
export class WebhookSender {
  readonly #options: WebhookOptions;
  readonly #retryDelaysMs: readonly number[];
  readonly #timeoutMs: number;
  readonly #urls: URL[];
  readonly #lookup: LookupFunction;
  readonly #timers = new Set<NodeJS.Timeout>();
  #pending = 0;
  #sequence = 0;

  constructor(options: WebhookOptions) {
    this.#options = options;
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#urls = options.urls.map(parseWebhookUrl);
    this.#lookup = guardedLookup(options.allowPrivate);
  }

  /** Queues one message of `type` for every URL. */
  send(type: string, data: unknown): void {
    this.#sequence += 1;
    const id = `msg_${Date.now().toString(36)}_${this.#sequence}`;
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
    for (const url of this.#urls) {
      if (this.#pending >= MAX_PENDING) {
        this.#options.onFailure?.(url.href, 'too many pending webhook messages; dropped', true);
        continue;
      }
      this.#pending += 1;
      void this.#attempt(url, id, body, 0);
    }
  }

  async #attempt(url: URL, id: string, body: string, attempt: number): Promise<void> {
    const error = await this.#post(url, id, body);
    if (error === null) {
      this.#pending -= 1;
      return;
    }
    const delay = this.#retryDelaysMs[attempt];
    const final = delay === undefined || error.startsWith('blocked');
    this.#options.onFailure?.(url.href, error, final);
    if (final) {
      this.#pending -= 1;
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#attempt(url, id, body, attempt + 1);
    }, delay);
    timer.unref();
    this.#timers.add(timer);
  }

  /** One delivery; null on a 2xx, else why not. Each attempt is signed afresh (its timestamp changes). */
  #post(url: URL, id: string, body: string): Promise<string | null> {
    const timestamp = Math.floor(Date.now() / 1000);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
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
      req.on('error', (error: NodeJS.ErrnoException) =>
        resolve(error.code === 'EWEBHOOKBLOCKED' ? `blocked: ${error.message}` : error.message),
      );
      req.end(body);
    });
  }

  /** Stops retrying (shutdown). */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
