import { isRole, keyHash, keyPrefix, newApiKey, type Role } from '../domain/api-key.ts';
import type { ApiKeyRecord, ApiKeys, AuditRecord } from './ports.ts';
import { asStore, type SqliteDatabase } from './sqlite.ts';

type KeyRow = [number, string, string, string | null, number, number | null, number | null];

const KEY_COLUMNS = 'id, prefix, role, name, createdAt, lastUsedAt, revokedAt';

function toRecord([id, prefix, role, name, createdAt, lastUsedAt, revokedAt]: KeyRow): ApiKeyRecord {
  if (!isRole(role)) throw new Error(`ApiKey ${id} has an unknown role '${role}'`);
  return { id, prefix, role, name, createdAt, lastUsedAt, revokedAt };
}

/**
 * API keys and the audit log, on the writer connection. Used by the API and by
 * `npm run keys` (another process on the same file), so every change is one
 * transaction and nothing is cached here.
 */
export class KeyStore implements ApiKeys {
  readonly #db: SqliteDatabase;
  readonly #insertKey;
  readonly #byHash;
  readonly #byId;
  readonly #list;
  readonly #revoke;
  readonly #touch;
  readonly #countActive;
  readonly #countAll;
  readonly #insertAudit;
  readonly #listAudit;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#insertKey = db
      .prepare<[string, string, string, string | null, number], number>(
        'INSERT INTO "ApiKey" (prefix, hash, role, name, createdAt) VALUES (?, ?, ?, ?, ?) RETURNING id',
      )
      .pluck();
    this.#byHash = db
      .prepare<[string], KeyRow>(`SELECT ${KEY_COLUMNS} FROM "ApiKey" WHERE hash = ? AND revokedAt IS NULL`)
      .raw();
    this.#byId = db.prepare<[number], KeyRow>(`SELECT ${KEY_COLUMNS} FROM "ApiKey" WHERE id = ?`).raw();
    this.#list = db.prepare<[], KeyRow>(`SELECT ${KEY_COLUMNS} FROM "ApiKey" ORDER BY id`).raw();
    this.#revoke = db.prepare<[number, number]>('UPDATE "ApiKey" SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL');
    this.#touch = db.prepare<[number, number]>('UPDATE "ApiKey" SET lastUsedAt = ? WHERE id = ?');
    this.#countActive = db.prepare<[], number>('SELECT count(*) FROM "ApiKey" WHERE revokedAt IS NULL').pluck();
    this.#countAll = db.prepare<[], number>('SELECT count(*) FROM "ApiKey"').pluck();
    this.#insertAudit = db.prepare<[number, string, string, string, string | null]>(
      'INSERT INTO "AuditEntry" (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)',
    );
    this.#listAudit = db
      .prepare<[number, number], [number, number, string, string, string, string | null]>(
        'SELECT id, at, actor, action, target, details FROM "AuditEntry" WHERE id < ? ORDER BY id DESC LIMIT ?',
      )
      .raw();
  }

  /** Creates a key and audits it; the returned `key` is the only time it exists in the clear. */
  create(
    role: Role,
    name: string | null,
    actor: string,
    now: number = Date.now(),
    // Given only by the benchmark, which needs one key in every database of a run.
    key: string = newApiKey(),
  ): { key: string; record: ApiKeyRecord } {
    const record = asStore(() =>
      this.#db
        .transaction(() => {
          const id = this.#insertKey.get(keyPrefix(key), keyHash(key), role, name, now) as number;
          this.audit(actor, 'key.created', `key:${id}`, { role, name, prefix: keyPrefix(key) }, now);
          return toRecord(this.#byId.get(id) as KeyRow);
        })
        .immediate(),
    );
    return { key, record };
  }

  /** Revokes a key; null when there is no such key, the record unchanged when it was already revoked. */
  revoke(id: number, actor: string, now: number = Date.now()): ApiKeyRecord | null {
    return asStore(() =>
      this.#db
        .transaction(() => {
          const row = this.#byId.get(id);
          if (row === undefined) return null;
          if (this.#revoke.run(now, id).changes > 0) {
            this.audit(actor, 'key.revoked', `key:${id}`, { role: row[2], prefix: row[1] }, now);
          }
          return toRecord(this.#byId.get(id) as KeyRow);
        })
        .immediate(),
    );
  }

  /** The active key with this secret, or null. */
  verify(key: string): ApiKeyRecord | null {
    return this.findByHash(keyHash(key));
  }

  /** The key with this blake3 hash (`keyHash`), for callers that hashed it already. */
  findByHash(hash: string): ApiKeyRecord | null {
    const row = this.#byHash.get(hash);
    return row === undefined ? null : toRecord(row);
  }

  get(id: number): ApiKeyRecord | null {
    const row = this.#byId.get(id);
    return row === undefined ? null : toRecord(row);
  }

  list(): ApiKeyRecord[] {
    return this.#list.all().map(toRecord);
  }

  activeCount(): number {
    return this.#countActive.get() as number;
  }

  /** Keys ever created, revoked ones included. */
  totalCount(): number {
    return this.#countAll.get() as number;
  }

  touch(id: number, now: number): void {
    asStore(() => this.#touch.run(now, id));
  }

  audit(
    actor: string,
    action: string,
    target: string,
    details: Record<string, unknown> | null,
    now = Date.now(),
  ): void {
    asStore(() => this.#insertAudit.run(now, actor, action, target, details === null ? null : JSON.stringify(details)));
  }

  /** Newest first, `limit` entries older than `beforeId`. */
  auditLog(limit: number, beforeId: number = Number.MAX_SAFE_INTEGER): AuditRecord[] {
    return this.#listAudit.all(beforeId, limit).map(([id, at, actor, action, target, details]) => ({
      id,
      at,
      actor,
      action,
      target,
      details: details === null ? null : (JSON.parse(details) as Record<string, unknown>),
    }));
  }
}
