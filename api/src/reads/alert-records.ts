import type { AlertRecord, AlertSource } from '../domain/risk/alert-export.ts';
import type { Alert, Event } from '../generated/prisma/client.ts';
import { type AlertReads, toAlertRecord } from './alerts.ts';
import type { EventNetworkReads } from './event-networks.ts';
import type { EventReads } from './events.ts';

/** Loads events by id, many at once. */
export type EventLoader = (ids: readonly number[]) => Promise<ReadonlyMap<number, Event>>;

/**
 * Alerts as the exports take them (ECS, OCSF, CEF, over GraphQL, REST and
 * webhooks alike): each with where its last event came from. A page costs one
 * statement for all its last events; their networks and places are looked up
 * in memory, as `Event.network` does.
 */
export class AlertRecordReads {
  readonly #alerts: AlertReads;
  readonly #events: EventReads;
  readonly #networks: EventNetworkReads;

  constructor(alerts: AlertReads, events: EventReads, networks: EventNetworkReads) {
    this.#alerts = alerts;
    this.#events = events;
    this.#networks = networks;
  }

  async record(id: number): Promise<AlertRecord | null> {
    const row = await this.#alerts.byId(id);
    return row === null ? null : this.withSource(row);
  }

  async withSource(row: Alert, load?: EventLoader): Promise<AlertRecord> {
    const [record] = await this.records([row], load);
    return record as AlertRecord;
  }

  /** In the order of `rows`; `load` lets GraphQL share its per-request event loader. */
  async records(rows: readonly Alert[], load: EventLoader = (ids) => this.#events.byIds(ids)): Promise<AlertRecord[]> {
    const events =
      rows.length === 0 ? new Map<number, Event>() : await load([...new Set(rows.map((r) => r.lastEventId))]);
    return rows.map((row) => {
      const event = events.get(row.lastEventId);
      return { ...toAlertRecord(row), source: event === undefined ? null : this.#sourceOf(event) };
    });
  }

  #sourceOf(event: Event): AlertSource | null {
    const source = this.#networks.sourceOf(event);
    if (source === null) return null;
    const { ip, userAgent, outcome, network, location } = source;
    return {
      ip,
      userAgent,
      outcome,
      country: network.country,
      city: network.city,
      location,
      asn: network.asn,
      asnOrganization: network.asnOrganization,
    };
  }
}
