import type { AlertStatus } from '../domain/risk/alert-export.ts';
import type { AuditLog, AuditNote, ChangedAlert, Triage } from './ports.ts';
import type { SqliteWriteStore } from './write-store.ts';

/**
 * Triage and user deletion on SQLite: the writer's transactions, with the
 * audit entries written on the same connection inside them, and whatever
 * else is kept of a deleted user (`onDeletingUser`) removed there too.
 */
export class SqliteTriage implements Triage {
  readonly #store: SqliteWriteStore;
  readonly #audit: AuditLog;
  readonly #onDeletingUser: (userId: string) => void;

  constructor(store: SqliteWriteStore, audit: AuditLog, onDeletingUser: (userId: string) => void = () => {}) {
    this.#store = store;
    this.#audit = audit;
    this.#onDeletingUser = onDeletingUser;
  }

  setAlertStatus(
    ids: readonly number[],
    status: AlertStatus,
    now: number,
    audit: (changed: readonly ChangedAlert[]) => AuditNote[],
  ): ChangedAlert[] {
    return this.#store.setAlertStatus(ids, status, now, (changed) => this.#write(audit(changed), now));
  }

  annotateAlert(
    id: number,
    change: { note?: string | null; assignee?: string | null },
    now: number,
    audit: (userId: string) => AuditNote[],
  ): { userId: string } | null {
    return this.#store.annotateAlert(id, change, now, (userId) => this.#write(audit(userId), now));
  }

  deleteUser(userId: string, audit: (events: number) => AuditNote[]): { events: number } | null {
    return this.#store.deleteUser(userId, (events) => {
      this.#onDeletingUser(userId);
      this.#write(audit(events), Date.now());
    });
  }

  ping(): boolean {
    return this.#store.ping();
  }

  #write(notes: readonly AuditNote[], now: number): void {
    for (const { actor, action, target, details } of notes) this.#audit.audit(actor, action, target, details, now);
  }
}
