import type { IncomingMessage } from 'node:http';
import { can, isWellFormedKey, keyHash, type Permission, presentedKey, type Role } from '../domain/api-key.ts';
import type { ApiKeyRecord, KeyStore } from '../storage/key-store.ts';

/**
 * - `open`: no active key and open access allowed (loopback, or told to): every request is admin.
 * - `keys`: every request needs an active key; its role decides what it may do.
 * - `locked`: no active key, and open access is not allowed: nothing gets in.
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

/** The principal of each request the front door let in (GraphQL reads it from here). */
const principals = new WeakMap<object, Principal>();

export function principalOf(req: object): Principal | undefined {
  return principals.get(req);
}

export function setPrincipal(req: object, principal: Principal): void {
  principals.set(req, principal);
}

/** Audit-log name of whoever acts. */
export function actorName(principal: Principal): string {
  return principal.keyId === null ? 'open-access' : `key:${principal.keyId} (${principal.prefix})`;
}

export class AccessControl {
  readonly #keys: KeyStore;
  readonly #openAllowed: boolean;
  readonly #now: () => number;
  readonly #verified = new Map<string, { record: ApiKeyRecord; until: number }>();
  readonly #touched = new Map<number, number>();
  #mode: { value: AuthMode; until: number } | null = null;

  constructor(keys: KeyStore, options: { openAllowed: boolean; now?: () => number }) {
    this.#keys = keys;
    this.#openAllowed = options.openAllowed;
    this.#now = options.now ?? Date.now;
  }

  get keys(): KeyStore {
    return this.#keys;
  }

  mode(): AuthMode {
    const now = this.#now();
    if (this.#mode === null || this.#mode.until <= now) {
      const value: AuthMode = this.#keys.activeCount() > 0 ? 'keys' : this.#openAllowed ? 'open' : 'locked';
      this.#mode = { value, until: now + MODE_CACHE_MS };
    }
    return this.#mode.value;
  }

  /** Forgets cached keys and mode: after a key is created or revoked in this process. */
  changed(): void {
    this.#verified.clear();
    this.#mode = null;
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

  static can(principal: Principal, permission: Permission): boolean {
    return can(principal.role, permission);
  }

  #verify(key: string): ApiKeyRecord | null {
    const hash = keyHash(key);
    const now = this.#now();
    const cached = this.#verified.get(hash);
    if (cached !== undefined && cached.until > now) return cached.record;
    const record = this.#keys.verify(key);
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
