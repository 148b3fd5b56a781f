import type { Role } from '../domain/api-key.ts';
import type { EventWriter } from '../ingest/write.ts';
import type {
  ApiKeyRecord,
  ApiKeys,
  AsyncIngestStore,
  AuditRecord,
  Awaitable,
  Triage,
  WriteStore,
} from '../storage/ports.ts';
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
  readonly #triage: Triage;
  readonly #writer: Pick<EventWriter<WriteStore | AsyncIngestStore>, 'forgetUser'>;
  readonly #changed = new Set<UsersChangedListener>();
  readonly #deleted = new Set<(userId: string) => Awaitable<void>>();

  constructor(
    access: AccessControl,
    triage: Triage,
    writer: Pick<EventWriter<WriteStore | AsyncIngestStore>, 'forgetUser'>,
  ) {
    this.#access = access;
    this.#keys = access.keys;
    this.#triage = triage;
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
  async deleteUser(by: Principal, userId: string): Promise<{ events: number } | null> {
    const deleted = await this.#triage.deleteUser(userId, (events) => [
      { actor: actorName(by), action: 'user.deleted', target: `user:${userId}`, details: { events } },
    ]);
    if (deleted === null) return null;
    this.#writer.forgetUser(userId);
    try {
      for (const listener of this.#deleted) await listener(userId);
    } finally {
      // Committed: every cached view of the user goes, whatever a listener did.
      this.usersChanged([userId]);
    }
    return deleted;
  }

  usersChanged(userIds: readonly string[]): void {
    for (const listener of this.#changed) listener(userIds);
  }

  /** Hears a user deleted, after the deletion committed: what is held of them elsewhere goes. */
  onUserDeleted(listener: (userId: string) => Awaitable<void>): () => void {
    this.#deleted.add(listener);
    return () => this.#deleted.delete(listener);
  }

  onUsersChanged(listener: UsersChangedListener): () => void {
    this.#changed.add(listener);
    return () => this.#changed.delete(listener);
  }
}
