import type { IncomingMessage } from 'node:http';
import { isWellFormedKey, keyHash, presentedKey, type Role } from '../domain/api-key.ts';
import type { ApiKeyRecord, ApiKeys } from '../storage/ports.ts';

/**
 * - `open`: no active key and open access allowed: every request is admin.
 *   Allowed when told to (ALLOW_OPEN_ACCESS), or on a loopback address as
 *   long as no key was ever created.
 * - `keys`: every request needs an active key; its role decides what it may do.
 * - `locked`: no active key, and open access is not allowed: nothing gets in.
 *   Revoking the last key locks the API rather than opening it.
 */
export type AuthMode = 'open' | 'keys' | 'locked';

/** Who is asking: a key, or anybody while the API runs open. */
export interface Principal {
  role: Role;
  keyId: number | null;
  prefix: string | null;
}

export const OPEN_PRINCIPAL: Principal = Object.freeze({ role: 'admin', keyId: null, prefix: null });

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'locked'; message: string };

/** How long a verified key is trusted without asking the database again (a revocation by the CLI takes this long). */
const KEY_CACHE_MS = 5_000;
const KEY_CACHE_ENTRIES = 1_000;
/** How long the number of active keys is trusted (keys created by the CLI switch the mode within this). */
const MODE_CACHE_MS = 1_000;
/** `lastUsedAt` is written at most this often per key: not one write per request. */
const TOUCH_EVERY_MS = 60_000;
/** How often live connections are checked against revocations made elsewhere (the CLI). */
const SWEEP_EVERY_MS = 5_000;

/** Audit-log name of whoever acts. */
export function actorName(principal: Principal): string {
  return principal.keyId === null ? 'open-access' : `key:${principal.keyId} (${principal.prefix})`;
}

export class AccessControl {
  readonly #keys: ApiKeys;
  readonly #loopback: boolean;
  readonly #allowOpenAccess: boolean;
  readonly #now: () => number;
  readonly #verified = new Map<string, { record: ApiKeyRecord; until: number }>();
  readonly #touched = new Map<number, number>();
  #mode: { value: AuthMode; until: number } | null = null;
  /** Live connections (event streams, WebSockets) and how to end each one. */
  readonly #live = new Map<object, { principal: Principal; close: () => void }>();
  #sweeper: NodeJS.Timeout | undefined;

  constructor(keys: ApiKeys, options: { loopback: boolean; allowOpenAccess: boolean; now?: () => number }) {
    this.#keys = keys;
    this.#loopback = options.loopback;
    this.#allowOpenAccess = options.allowOpenAccess;
    this.#now = options.now ?? Date.now;
  }

  get keys(): ApiKeys {
    return this.#keys;
  }

  mode(): AuthMode {
    const now = this.#now();
    if (this.#mode === null || this.#mode.until <= now) {
      const value: AuthMode =
        this.#keys.activeCount() > 0
          ? 'keys'
          : this.#allowOpenAccess || (this.#loopback && this.#keys.totalCount() === 0)
            ? 'open'
            : 'locked';
      this.#mode = { value, until: now + MODE_CACHE_MS };
    }
    return this.#mode.value;
  }

  /** Forgets cached keys and mode, and ends live connections that lost their key: after a key is created or revoked here. */
  changed(): void {
    this.#verified.clear();
    this.#mode = null;
    this.#sweep();
  }

  /**
   * Watches a long-lived connection: it is closed once its key is revoked
   * (at once through the API, within seconds through the CLI), or, opened
   * while the API ran open, once keys are required. Returns the unwatcher.
   */
  track(principal: Principal, close: () => void): () => void {
    const handle = {};
    this.#live.set(handle, { principal, close });
    if (this.#sweeper === undefined) {
      this.#sweeper = setInterval(() => this.#sweep(), SWEEP_EVERY_MS);
      this.#sweeper.unref();
    }
    return () => {
      this.#live.delete(handle);
    };
  }

  stop(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  #sweep(): void {
    if (this.#live.size === 0) return;
    this.#mode = null;
    const open = this.mode() === 'open';
    for (const [handle, { principal, close }] of this.#live) {
      const key = principal.keyId === null ? null : this.#keys.get(principal.keyId);
      const valid = principal.keyId === null ? open : key !== null && key.revokedAt === null;
      if (valid) continue;
      this.#live.delete(handle);
      close();
    }
  }

  authenticate(headers: IncomingMessage['headers'] | Record<string, string | undefined>): Authentication {
    const mode = this.mode();
    if (mode === 'open') return { ok: true, principal: OPEN_PRINCIPAL };
    if (mode === 'locked') {
      return {
        ok: false,
        reason: 'locked',
        message: 'no API key is active: create one with `npm run keys -- create --role admin`',
      };
    }
    const key = presentedKey(headers as Parameters<typeof presentedKey>[0]);
    if (key === null) {
      return { ok: false, reason: 'missing', message: 'an API key is required: Authorization: Bearer <key>' };
    }
    if (key === 'malformed') {
      return { ok: false, reason: 'malformed', message: 'the Authorization header must be `Bearer <key>`' };
    }
    const record = isWellFormedKey(key) ? this.#verify(key) : null;
    if (record === null) return { ok: false, reason: 'unknown', message: 'the API key is not valid or was revoked' };
    this.#touch(record.id);
    return { ok: true, principal: { role: record.role, keyId: record.id, prefix: record.prefix } };
  }

  #verify(key: string): ApiKeyRecord | null {
    const hash = keyHash(key);
    const now = this.#now();
    const cached = this.#verified.get(hash);
    if (cached !== undefined && cached.until > now) return cached.record;
    const record = this.#keys.findByHash(hash);
    if (record === null) {
      this.#verified.delete(hash);
      return null;
    }
    if (this.#verified.size >= KEY_CACHE_ENTRIES) this.#verified.clear();
    this.#verified.set(hash, { record, until: now + KEY_CACHE_MS });
    return record;
  }

  #touch(id: number): void {
    const now = this.#now();
    const last = this.#touched.get(id);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    this.#touched.set(id, now);
    this.#keys.touch(id, now);
  }
}
