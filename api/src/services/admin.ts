import type { Role } from '../domain/api-key.ts';
import type { EventWriter } from '../ingest/write.ts';
import type { ApiKeyRecord, ApiKeys, AuditRecord, Awaitable } from '../storage/ports.ts';
import { type AccessControl, actorName, type Principal } from './access.ts';

/** Hears users whose stored data changed outside ingest (deleted, or purged by retention). */
export type UsersChangedListener = (userIds: readonly string[]) => void;

/**
 * What only admins do, each action written to the audit log in the same
 * transaction as the change itself: key management and deleting a user's data.
 */
export class AdminService {
  readonly #access: AccessControl;
  readonly #keys: ApiKeys;
  readonly #writer: EventWriter;
  readonly #changed = new Set<UsersChangedListener>();
  readonly #deleting = new Set<(userId: string) => void>();

  constructor(access: AccessControl, writer: EventWriter) {
    this.#access = access;
    this.#keys = access.keys;
    this.#writer = writer;
  }

  async createKey(by: Principal, role: Role, name: string | null): Promise<{ key: string; record: ApiKeyRecord }> {
    const created = await this.#keys.create(role, name, actorName(by));
    this.#access.changed();
    return created;
  }

  /** Null when there is no such key. */
  async revokeKey(by: Principal, id: number): Promise<ApiKeyRecord | null> {
    const revoked = await this.#keys.revoke(id, actorName(by));
    this.#access.changed();
    return revoked;
  }

  listKeys(): Awaitable<ApiKeyRecord[]> {
    return this.#keys.list();
  }

  auditLog(limit: number, beforeId?: number): Awaitable<AuditRecord[]> {
    return this.#keys.auditLog(limit, beforeId);
  }

  /** Deletes every stored trace of the user; null when there is no such user. */
  deleteUser(by: Principal, userId: string): { events: number } | null {
    const deleted = this.#writer.deleteUser(userId, (events) => {
      for (const listener of this.#deleting) listener(userId);
      this.#keys.audit(actorName(by), 'user.deleted', `user:${userId}`, { events });
    });
    if (deleted !== null) this.usersChanged([userId]);
    return deleted;
  }

  usersChanged(userIds: readonly string[]): void {
    for (const listener of this.#changed) listener(userIds);
  }

  /** Hears a user being deleted, inside the deletion's transaction: what else is kept of them goes with it. */
  onDeletingUser(listener: (userId: string) => void): () => void {
    this.#deleting.add(listener);
    return () => this.#deleting.delete(listener);
  }

  onUsersChanged(listener: UsersChangedListener): () => void {
    this.#changed.add(listener);
    return () => this.#changed.delete(listener);
  }
}
