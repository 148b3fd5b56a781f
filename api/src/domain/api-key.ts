import { randomBytes } from 'node:crypto';
import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export const ROLES = ['producer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a request may do; each role grants a fixed set. */
export type Permission = 'ingest' | 'read' | 'triage' | 'admin';

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  // Producers only send events: a leaked producer key reveals nothing.
  producer: new Set(['ingest']),
  analyst: new Set(['read', 'triage']),
  admin: new Set(['ingest', 'read', 'triage', 'admin']),
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** `a producer key`, `an analyst key`, `an admin key`: for error messages. */
export function roleKey(role: Role): string {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} key`;
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

/** Every key starts with this, so secret scanners and people can recognise one. */
const KEY_MARK = 'pd_';
/** 32 random bytes, base64url: 43 characters after the mark. */
const KEY_PATTERN = /^pd_[A-Za-z0-9_-]{43}$/;
/** Characters of a key kept in the clear to tell keys apart in listings and the audit log. */
const PREFIX_LENGTH = KEY_MARK.length + 8;

export function newApiKey(): string {
  return `${KEY_MARK}${randomBytes(32).toString('base64url')}`;
}

export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/**
 * Keys are stored only as this hash. A fast hash is enough: a key is 256
 * random bits, so there is nothing to guess that a slow hash would protect.
 */
export function keyHash(key: string): string {
  return bytesToHex(blake3(utf8ToBytes(key)));
}

export function keyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

/**
 * The key a request presents: `Authorization: Bearer <key>` or `X-API-Key`.
 * Null when it presents none; `malformed` when the header is there but is not
 * a bearer credential.
 */
export function presentedKey(headers: {
  authorization?: string | undefined;
  'x-api-key'?: string | string[] | undefined;
}): string | null | 'malformed' {
  const { authorization } = headers;
  if (authorization !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    return match?.[1] ?? 'malformed';
  }
  const header = headers['x-api-key'];
  if (header === undefined) return null;
  if (Array.isArray(header)) return 'malformed';
  const key = header.trim();
  return key === '' ? 'malformed' : key;
}
