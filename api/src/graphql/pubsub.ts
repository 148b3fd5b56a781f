import { createPubSub } from 'graphql-yoga';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { AlertService } from '../services/alerts.ts';
import type { LivePubSub, Topics } from './context.ts';

/**
 * The live topics, fed by the ingest service after each commit, so
 * subscribers hear about events from REST and GraphQL alike.
 */
export function createLivePubSub(
  ingest: IngestPipeline,
  alerts: AlertService,
): { pubsub: LivePubSub; stop: () => void } {
  const pubsub = createPubSub<Topics>();
  const stop = ingest.onIngested((outcome) => {
    for (const event of outcome.stored) pubsub.publish('eventIngested', event);
    for (const change of outcome.users) {
      // A new user starting at 0 is not a change of drift.
      if ((change.previousDriftScore ?? 0) !== change.aggregate.driftScore) pubsub.publish('driftChanged', change);
    }
    for (const alert of outcome.alerts) pubsub.publish('alertChanged', { id: alert.id, userId: alert.userId });
  });
  const stopTriage = alerts.onStatusChanged((alert) => pubsub.publish('alertChanged', alert));
  return {
    pubsub,
    stop: () => {
      stop();
      stopTriage();
    },
  };
}
