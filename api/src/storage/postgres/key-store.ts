import type pg from 'pg';
import { isRole, keyHash, keyPrefix, newApiKey, type Role } from '../../domain/api-key.ts';
import type { ApiKeyRecord, ApiKeys, AuditRecord } from '../ports.ts';
import { writeAudit } from './audit.ts';
import { epochMsOf, timestampOf } from './timestamps.ts';
import { inTransaction } from './transaction.ts';

/** How often the copy of the key table is refreshed: a key created or revoked on another node counts within this. */
export const KEY_REFRESH_MS = 1_000;

const KEY_COLUMNS = `id, prefix, hash, role, name, ${epochMsOf('"createdAt"')} AS "createdAt",
  ${epochMsOf('"lastUsedAt"')} AS "lastUsedAt", ${epochMsOf('"revokedAt"')} AS "revokedAt"`;
const SELECT_KEYS = `SELECT ${KEY_COLUMNS} FROM "ApiKey" ORDER BY id`;
const INSERT_KEY = `INSERT INTO "ApiKey" (prefix, hash, role, name, "createdAt")
  VALUES ($1, $2, $3, $4, ${timestampOf('$5::float8')}) RETURNING ${KEY_COLUMNS}`;
const REVOKE_KEY = `UPDATE "ApiKey" SET "revokedAt" = ${timestampOf('$2::float8')}
  WHERE id = $1 AND "revokedAt" IS NULL RETURNING ${KEY_COLUMNS}`;
const SELECT_KEY = `SELECT ${KEY_COLUMNS} FROM "ApiKey" WHERE id = $1`;
const TOUCH_KEY = `UPDATE "ApiKey" SET "lastUsedAt" = ${timestampOf('$2::float8')} WHERE id = $1`;
const SELECT_AUDIT = `SELECT id, ${epochMsOf('at')} AS at, actor, action, target, details FROM "AuditEntry"
  WHERE id < $1 ORDER BY id DESC LIMIT $2`;

interface KeyRow {
  id: number;
  prefix: string;
  hash: string;
  role: string;
  name: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

function toRecord({ id, prefix, role, name, createdAt, lastUsedAt, revokedAt }: KeyRow): ApiKeyRecord {
  if (!isRole(role)) throw new Error(`ApiKey ${id} has an unknown role '${role}'`);
  return { id, prefix, role, name, createdAt, lastUsedAt, revokedAt };
}

/**
 * API keys and the audit log on PostgreSQL. Every request's key is checked
 * against a copy of the key table held here (a few rows), refreshed every
 * KEY_REFRESH_MS and at once after a change made through this node: a key
 * revoked on another node is refused here within a second, as a key the CLI
 * revokes is on SQLite within the access cache's few seconds. Changes and
 * their audit entries are written in one transaction.
 */
export class PostgresKeyStore implements ApiKeys {
  readonly #pool: pg.Pool;
  #byId = new Map<number, KeyRow>();
  #activeByHash = new Map<string, KeyRow>();
  #refresher: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | null = null;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Reads the key table, then keeps the copy fresh until `stop`. */
  static async open(pool: pg.Pool, onRefreshError: (error: Error) => void = () => {}): Promise<PostgresKeyStore> {
    const store = new PostgresKeyStore(pool);
    await store.refresh();
    store.#refresher = setInterval(() => {
      store.refresh().catch(onRefreshError);
    }, KEY_REFRESH_MS).unref();
    return store;
  }

  stop(): void {
    clearInterval(this.#refresher);
  }

  /** Reads the key table again (one refresh at a time; a caller during one waits for it). */
  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        const { rows } = await this.#pool.query<KeyRow>({ name: 'pd_keys', text: SELECT_KEYS });
        this.#byId = new Map(rows.map((row) => [row.id, row]));
        this.#activeByHash = new Map(rows.filter((row) => row.revokedAt === null).map((row) => [row.hash, row]));
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  async create(
    role: Role,
    name: string | null,
    actor: string,
    now: number = Date.now(),
    key: string = newApiKey(),
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    const row = await inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<KeyRow>(INSERT_KEY, [keyPrefix(key), keyHash(key), role, name, now]);
      const created = rows[0] as KeyRow;
      await writeAudit(
        client,
        [
          {
            actor,
            action: 'key.created',
            target: `key:${created.id}`,
            details: { role, name, prefix: created.prefix },
          },
        ],
        now,
      );
      return created;
    });
    await this.#refreshAfterChange();
    return { key, record: toRecord(row) };
  }

  async revoke(id: number, actor: string, now: number = Date.now()): Promise<ApiKeyRecord | null> {
    const row = await inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<KeyRow>(REVOKE_KEY, [id, now]);
      const revoked = rows[0];
      if (revoked === undefined) return (await client.query<KeyRow>(SELECT_KEY, [id])).rows[0] ?? null;
      await writeAudit(
        client,
        [
          {
            actor,
            action: 'key.revoked',
            target: `key:${id}`,
            details: { role: revoked.role, prefix: revoked.prefix },
          },
        ],
        now,
      );
      return revoked;
    });
    await this.#refreshAfterChange();
    return row === null ? null : toRecord(row);
  }

  /** A refresh that reads after the change committed: one under way may have read before it. */
  async #refreshAfterChange(): Promise<void> {
    await this.#refreshing?.catch(() => {});
    await this.refresh();
  }

  findByHash(hash: string): ApiKeyRecord | null {
    const row = this.#activeByHash.get(hash);
    return row === undefined ? null : toRecord(row);
  }

  get(id: number): ApiKeyRecord | null {
    const row = this.#byId.get(id);
    return row === undefined ? null : toRecord(row);
  }

  async list(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.#pool.query<KeyRow>({ name: 'pd_keys', text: SELECT_KEYS });
    return rows.map(toRecord);
  }

  activeCount(): number {
    return this.#activeByHash.size;
  }

  totalCount(): number {
    return this.#byId.size;
  }

  /** When a key was last used is a hint, not a record: a write that fails is not retried. */
  touch(id: number, now: number): void {
    this.#pool.query({ name: 'pd_touch_key', text: TOUCH_KEY, values: [id, now] }).catch(() => {});
  }

  async audit(
    actor: string,
    action: string,
    target: string,
    details: Record<string, unknown> | null,
    now = Date.now(),
  ): Promise<void> {
    await writeAudit(this.#pool, [{ actor, action, target, details }], now);
  }

  async auditLog(limit: number, beforeId: number = 2 ** 31 - 1): Promise<AuditRecord[]> {
    const { rows } = await this.#pool.query<Omit<AuditRecord, 'details'> & { details: string | null }>({
      name: 'pd_audit_log',
      text: SELECT_AUDIT,
      values: [beforeId, limit],
    });
    return rows.map((row) => ({
      ...row,
      details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
    }));
  }
}
