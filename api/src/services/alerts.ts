import type { AlertStatus } from '../domain/risk/alert-export.ts';
import type { ApiKeys, Triage } from '../storage/ports.ts';
import { actorName, type Principal } from './access.ts';

type AlertListener = (alert: { id: number; userId: string }) => void;

/** The longest note an analyst can leave on an alert. */
export const MAX_ALERT_NOTE = 4000;

/** What an analyst changes on an alert besides its status; a key left out is left as it is. */
export interface AlertAnnotation {
  note?: string | null;
  /** True takes the alert for the caller, false leaves it unassigned. */
  assignToMe?: boolean;
}

/**
 * Alert triage: status, note and assignee. Every change is stored with its
 * audit entry in the same transaction, and
 * moves the alert's user in the "at risk" order when their standing changes.
 */
export class AlertService {
  readonly #triage: Triage;
  readonly #keys: ApiKeys;
  readonly #statusListeners = new Set<AlertListener>();
  readonly #annotationListeners = new Set<AlertListener>();

  constructor(triage: Triage, keys: ApiKeys) {
    this.#triage = triage;
    this.#keys = keys;
  }

  /** Moves alerts to a status; returns those that exist (unknown ids are left out). */
  async setStatus(
    by: Principal,
    ids: readonly number[],
    status: AlertStatus,
  ): Promise<Array<{ id: number; userId: string }>> {
    const changed = await this.#triage.setAlertStatus([...new Set(ids)], status, Date.now(), (alerts) =>
      alerts.map((alert) => ({
        actor: actorName(by),
        action: `alert.${status}`,
        target: `alert:${alert.id}`,
        details: null,
      })),
    );
    for (const alert of changed) for (const listener of this.#statusListeners) listener(alert);
    return changed;
  }

  /** Sets an alert's note or assignee; false when there is no such alert. */
  async annotate(by: Principal, id: number, annotation: AlertAnnotation): Promise<boolean> {
    const change: { note?: string | null; assignee?: string | null } = {};
    if (annotation.note !== undefined) change.note = annotation.note?.trim() || null;
    if (annotation.assignToMe !== undefined) change.assignee = annotation.assignToMe ? this.nameOf(by) : null;
    const details = {
      ...('note' in change ? { note: change.note } : {}),
      ...('assignee' in change ? { assignee: change.assignee } : {}),
    };
    const changed = await this.#triage.annotateAlert(id, change, Date.now(), () => [
      { actor: actorName(by), action: 'alert.annotated', target: `alert:${id}`, details },
    ]);
    if (changed === null) return false;
    for (const listener of this.#annotationListeners) listener({ id, userId: changed.userId });
    return true;
  }

  /** The name an alert taken by `by` shows: the key's name, else its prefix; "open access" without keys. */
  nameOf(by: Principal): string {
    if (by.keyId === null) return 'open access';
    return this.#keys.get(by.keyId)?.name ?? by.prefix ?? `key ${by.keyId}`;
  }

  /** Hears every status change made by triage (ingest-side changes come with the ingest outcome). */
  onStatusChanged(listener: AlertListener): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Hears every note or assignee change. */
  onAnnotated(listener: AlertListener): () => void {
    this.#annotationListeners.add(listener);
    return () => this.#annotationListeners.delete(listener);
  }
}
