import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { BusChannel, ClusterBus } from './bus.ts';
import { openRedis } from './redis.ts';

/** Said by a node whose messages may have been lost (it could not publish): the others start over too. */
const MISSED = 'missed';
const CHANNELS: readonly string[] = ['live', 'invalidate', 'activity', MISSED];

/** A message as it travels: the sending node, so that it can ignore its own. */
interface Envelope {
  from: string;
  body: unknown;
}

/**
 * The cluster bus over Redis pub/sub: one connection publishes, one listens
 * (a subscribed Redis connection can do nothing else). Pub/sub delivers to
 * whoever listens at that moment and keeps nothing: a node that is not
 * connected misses what is sent meanwhile, which for live updates and cache
 * drops is the right trade (the events themselves are stored; a node that
 * lost Redis drops its whole cache when it is back).
 */
export class RedisBus implements ClusterBus {
  readonly #node = randomUUID();
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #listeners = new Map<BusChannel, Set<(message: unknown) => void>>();
  readonly #missed = new Set<() => void>();
  readonly #logger: Logger;
  #dropped = 0;
  #hearing = false;
  /** `#dropped` when the others were last told that this node's messages may have been lost. */
  #told = 0;

  constructor(url: string, logger: Logger, options: { prefix?: string } = {}) {
    this.#logger = logger;
    this.#prefix = options.prefix ?? 'persona-drift:';
    // Either connection lost means messages lost, sent or heard: whoever relies on them starts over.
    const onReconnected = () => {
      for (const listener of this.#missed) listener();
    };
    // Messages this node could not send are lost to the others: once it can send again, they start over.
    const onPublisherBack = () => {
      onReconnected();
      if (this.#dropped === this.#told) return;
      this.#told = this.#dropped;
      this.#send(MISSED, null);
    };
    this.#publisher = openRedis(url, logger, 'bus publisher', { onReconnected: onPublisherBack });
    // Back only once subscribed again: what was sent before that is missed.
    this.#subscriber = openRedis(url, logger, 'bus subscriber', {
      onReconnected: () => void this.#listen().finally(onReconnected),
    });
    this.#subscriber.on('close', () => {
      this.#hearing = false;
    });
    this.#subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#heard(channel, message));
    void this.#listen();
  }

  async ready(): Promise<void> {
    await Promise.all([this.#publisher.ping(), this.#subscribe()]);
  }

  /**
   * Subscribes; this node hears the others once Redis confirms. (ioredis also
   * subscribes again by itself after a reconnect, before this, so the
   * confirmation covers both.)
   */
  async #subscribe(): Promise<void> {
    await this.#subscriber.subscribe(...CHANNELS.map((channel) => this.#prefix + channel));
    this.#hearing = true;
  }

  async #listen(): Promise<void> {
    await this.#subscribe().catch(() => {});
  }

  publish(channel: BusChannel, message: unknown): void {
    this.#send(channel, message);
  }

  #send(channel: string, message: unknown): void {
    const envelope: Envelope = { from: this.#node, body: message };
    this.#publisher.publish(this.#prefix + channel, JSON.stringify(envelope)).catch((error: Error) => {
      this.#dropped += 1;
      this.#logger.debug('cluster message not sent', { channel, error: error.message });
    });
  }

  on(channel: BusChannel, listener: (message: unknown) => void): () => void {
    const listeners = this.#listeners.get(channel) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(channel, listeners);
    return () => listeners.delete(listener);
  }

  hearing(): boolean {
    return this.#hearing && this.#subscriber.status === 'ready';
  }

  onMissed(listener: () => void): () => void {
    this.#missed.add(listener);
    return () => this.#missed.delete(listener);
  }

  /** Messages that could not be sent (Redis unreachable) since the start. */
  get dropped(): number {
    return this.#dropped;
  }

  async close(): Promise<void> {
    await Promise.all([quit(this.#publisher), quit(this.#subscriber)]);
  }

  #heard(channel: Buffer, raw: Buffer): void {
    const name = channel.toString().slice(this.#prefix.length) as BusChannel;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw.toString()) as Envelope;
    } catch {
      return;
    }
    // Anything on our channels that is not a node's envelope is ignored, never thrown on.
    if (typeof envelope !== 'object' || envelope === null || envelope.from === this.#node) return;
    if ((name as string) === MISSED) {
      for (const listener of this.#missed) listener();
      return;
    }
    for (const listener of this.#listeners.get(name) ?? []) {
      try {
        listener(envelope.body);
      } catch (error) {
        this.#logger.error('cluster message listener failed', { channel: name, error: (error as Error).stack });
      }
    }
  }
}

async function quit(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
