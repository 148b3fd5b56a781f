import { levelRank } from '../domain/risk/standing.ts';
import type { AlertChange } from '../ingest/write.ts';
import type { Logger } from '../logger.ts';
import type { WebhookQueue } from '../storage/ports.ts';
import { alertJson } from './alert-json.ts';
import type { Services } from './index.ts';
import { WebhookSender } from './webhooks.ts';

/** The webhook event types, documented in docs/risk-model.md (Webhooks). */
export type AlertEventType = 'alert.opened' | 'alert.extended' | 'alert.escalated' | 'alert.updated';

/**
 * What an ingest did to an alert: opened it, extended it with another risky
 * event, or extended it and raised its level (an escalation is sent instead
 * of the extension, so each change is one message).
 */
export function alertEventType(change: AlertChange): AlertEventType {
  if (change.opened) return 'alert.opened';
  return levelRank(change.level) > levelRank(change.previousLevel) ? 'alert.escalated' : 'alert.extended';
}

/**
 * Sends `alert.opened`, `alert.extended` or `alert.escalated` when an event
 * opens or extends an alert and `alert.updated` when one is triaged, with the
 * alert as `GET /alerts/:id` shows it. Null when no webhook is configured.
 */
export function startAlertWebhooks(
  config: { webhookUrls: readonly string[]; webhookSecret: Buffer | null; webhookAllowPrivate: boolean },
  services: Services,
  outbox: WebhookQueue,
  logger: Logger,
): { close(): Promise<void> } | null {
  if (config.webhookUrls.length === 0 || config.webhookSecret === null) return null;
  const sender = new WebhookSender(
    {
      urls: config.webhookUrls,
      secret: config.webhookSecret,
      allowPrivate: config.webhookAllowPrivate,
      onFailure: (url, error, final) =>
        logger.warn(final ? 'webhook dropped' : 'webhook failed, will retry', { url, error }),
    },
    outbox,
  );
  const deliver = (type: AlertEventType, id: number) => {
    services.reads.alertRecords
      .record(id)
      .then((alert) => {
        if (alert !== null) sender.send(type, alertJson(alert), alert.id);
      })
      .catch((error: unknown) => logger.error('webhook: reading the alert failed', { id, error: String(error) }));
  };
  const stopIngest = services.ingest.onIngested((outcome) => {
    for (const alert of outcome.alerts) deliver(alertEventType(alert), alert.id);
  });
  const stopTriage = services.alerts.onStatusChanged((alert) => deliver('alert.updated', alert.id));
  return {
    close() {
      stopIngest();
      stopTriage();
      return sender.close();
    },
  };
}
