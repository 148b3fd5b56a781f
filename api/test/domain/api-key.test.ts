import { describe, expect, it } from 'vitest';
import {
  can,
  isWellFormedKey,
  keyHash,
  keyPrefix,
  newApiKey,
  presentedKey,
  ROLES,
  roleKey,
} from '../../src/domain/api-key.ts';

describe('API keys', () => {
  it('are 256 random bits after a recognisable mark, never the same twice', () => {
    const keys = new Set(Array.from({ length: 100 }, newApiKey));
    expect(keys.size).toBe(100);
    for (const key of keys) {
      expect(key).toMatch(/^pd_[A-Za-z0-9_-]{43}$/);
      expect(isWellFormedKey(key)).toBe(true);
    }
  });

  it('are stored as a blake3 hash and listed by an 11-character prefix', () => {
    const key = newApiKey();
    expect(keyHash(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyHash(key)).toBe(keyHash(key));
    // One character changed (a random key ends in `A` one time in 64).
    const changed = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect(keyHash(key)).not.toBe(keyHash(changed));
    expect(keyPrefix(key)).toBe(key.slice(0, 11));
  });

  it.each(['', 'pd_', 'pd_short', `xx_${'a'.repeat(43)}`, `pd_${'a'.repeat(42)}!`, `pd_${'a'.repeat(44)}`])(
    'rejects %j as malformed before any lookup',
    (key) => {
      expect(isWellFormedKey(key)).toBe(false);
    },
  );
});

describe('roles', () => {
  it.each([
    ['producer', ['ingest']],
    ['analyst', ['read', 'triage']],
    ['admin', ['ingest', 'read', 'triage', 'admin']],
  ] as const)('%s may %j and nothing else', (role, allowed) => {
    for (const permission of ['ingest', 'read', 'triage', 'admin'] as const) {
      expect(can(role, permission), permission).toBe((allowed as readonly string[]).includes(permission));
    }
  });

  it('names each role with its article', () => {
    expect(ROLES.map(roleKey)).toEqual(['a producer key', 'an analyst key', 'an admin key']);
  });
});

describe('presentedKey', () => {
  it('reads a bearer token, case-insensitively, or X-API-Key', () => {
    expect(presentedKey({ authorization: 'Bearer abc' })).toBe('abc');
    expect(presentedKey({ authorization: 'bearer   abc ' })).toBe('abc');
    expect(presentedKey({ 'x-api-key': ' abc ' })).toBe('abc');
  });

  it('prefers Authorization when both are sent', () => {
    expect(presentedKey({ authorization: 'Bearer one', 'x-api-key': 'two' })).toBe('one');
  });

  it('says none when neither header is sent', () => {
    expect(presentedKey({})).toBeNull();
  });

  it.each([
    [{ authorization: 'Basic dXNlcjpwYXNz' }],
    [{ authorization: 'Bearer' }],
    [{ authorization: 'Bearer a b' }],
    [{ 'x-api-key': '' }],
    [{ 'x-api-key': ['a', 'b'] }],
  ])('calls %j malformed', (headers) => {
    expect(presentedKey(headers)).toBe('malformed');
  });
});
