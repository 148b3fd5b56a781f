import type { AlertStatus } from '../domain/risk/alert-export.ts';
import type { EventStore } from '../storage/event-store.ts';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const satisfies readonly AlertStatus[];

export function isAlertStatus(value: string): value is AlertStatus {
  return (ALERT_STATUSES as readonly string[]).includes(value);
}

type StatusListener = (alert: { id: number; userId: string }) => void;

/** Alert triage. Status changes go through the single writer connection, like every write. */
export class AlertService {
  readonly #store: EventStore;
  readonly #listeners = new Set<StatusListener>();

  constructor(store: EventStore) {
    this.#store = store;
  }

  /** Moves an alert to a status; false when there is no such alert. */
  setStatus(id: number, status: AlertStatus): boolean {
    const changed = this.#store.setAlertStatus(id, status, Date.now());
    if (changed === null) return false;
    for (const listener of this.#listeners) listener({ id, userId: changed.userId });
    return true;
  }

  /** Hears every triage change (ingest-side changes come with the ingest outcome). */
  onStatusChanged(listener: StatusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
