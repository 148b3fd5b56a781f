import type { Logger } from '../logger.ts';
import type { WebhookQueue } from '../storage/ports.ts';
import { alertJson } from './alert-json.ts';
import type { Services } from './index.ts';
import { WebhookSender } from './webhooks.ts';

/**
 * Sends `alert.opened` when an event opens an alert and `alert.updated` when
 * one is triaged, with the alert as `GET /alerts/:id` shows it (its source included). Null when no
 * webhook is configured.
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
  const deliver = (type: string, id: number) => {
    services.reads.alertRecords
      .record(id)
      .then((alert) => {
        if (alert !== null) sender.send(type, alertJson(alert), alert.id);
      })
      .catch((error: unknown) => logger.error('webhook: reading the alert failed', { id, error: String(error) }));
  };
  const stopIngest = services.ingest.onIngested((outcome) => {
    for (const alert of outcome.alerts) if (alert.opened) deliver('alert.opened', alert.id);
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
