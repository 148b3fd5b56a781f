import type { AlertStatus } from '../domain/risk/alert-export.ts';
import type { WriteStore } from '../storage/ports.ts';

type StatusListener = (alert: { id: number; userId: string }) => void;

/** Alert triage. Status changes go through the single writer connection, like every write. */
export class AlertService {
  readonly #store: WriteStore;
  readonly #listeners = new Set<StatusListener>();

  constructor(store: WriteStore) {
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
