import { createPubSub } from 'graphql-yoga';
import { type ClusterBus, SINGLE_NODE } from '../cluster/bus.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { AlertService } from '../services/alerts.ts';
import type { LivePubSub, Topics } from './context.ts';

/** The live topics, in the order the metrics list them. */
export const TOPICS = ['eventIngested', 'driftChanged', 'alertChanged'] as const satisfies ReadonlyArray<keyof Topics>;

/** How many subscriptions listen to each live topic right now. */
export interface LiveSubscribers {
  count(topic: keyof Topics): number;
}

/**
 * Yoga's pubsub adds one listener per subscription when its stream is first
 * pulled (not when the subscription is answered) and removes it when the
 * stream returns. Counting listeners therefore says exactly which
 * subscriptions hear a publish made now.
 */
class CountingEventTarget extends EventTarget implements LiveSubscribers {
  readonly #listeners = new Map<string, Set<unknown>>();

  override addEventListener(
    type: string,
    callback: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    super.addEventListener(type, callback, options);
    if (callback === null) return;
    const listeners = this.#listeners.get(type) ?? new Set();
    listeners.add(callback);
    this.#listeners.set(type, listeners);
  }

  override removeEventListener(
    type: string,
    callback: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    super.removeEventListener(type, callback, options);
    this.#listeners.get(type)?.delete(callback);
  }

  count(topic: string): number {
    return this.#listeners.get(topic)?.size ?? 0;
  }
}

/**
 * The live topics, fed by the ingest service after each commit, so
 * subscribers hear about events from REST and GraphQL alike; and, through the
 * cluster bus, about the events every other node committed.
 */
export function createLivePubSub(
  ingest: IngestPipeline,
  alerts: AlertService,
  bus: ClusterBus = SINGLE_NODE,
): { pubsub: LivePubSub; subscribers: LiveSubscribers; stop: () => void } {
  const target = new CountingEventTarget();
  const pubsub = createPubSub<Topics>({ eventTarget: target });
  const publish = <T extends keyof Topics>(topic: T, payload: Topics[T][0]) => {
    (pubsub.publish as (topic: T, payload: Topics[T][0]) => void)(topic, payload);
    bus.publish('live', { topic, payload } satisfies Relayed);
  };
  const stop = ingest.onIngested((outcome) => {
    for (const event of outcome.stored) publish('eventIngested', event);
    for (const change of outcome.users) {
      // A new user starting at 0 is not a change of drift.
      if ((change.previousDriftScore ?? 0) !== change.aggregate.driftScore) publish('driftChanged', change);
    }
    for (const alert of outcome.alerts) publish('alertChanged', { id: alert.id, userId: alert.userId });
  });
  const stopTriage = alerts.onStatusChanged((alert) => publish('alertChanged', alert));
  const stopAnnotations = alerts.onAnnotated((alert) => publish('alertChanged', alert));
  const stopRelay = bus.on('live', (message) => {
    const { topic, payload } = message as Relayed;
    if (TOPICS.includes(topic)) (pubsub.publish as (topic: string, payload: unknown) => void)(topic, payload);
  });
  return {
    pubsub,
    subscribers: target,
    stop: () => {
      stop();
      stopTriage();
      stopAnnotations();
      stopRelay();
    },
  };
}

/** A live update as another node relays it. */
interface Relayed {
  topic: keyof Topics;
  payload: unknown;
}
