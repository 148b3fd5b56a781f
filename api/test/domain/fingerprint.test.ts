import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { fingerprintHash, stability } from '../../src/domain/fingerprint.ts';
import { EMPTY_TOKENS, type TokenSet, tokenStrings } from '../../src/domain/tokens.ts';

const habits: TokenSet = { browser: 'chrome', os: 'windows', device: 'laptop', ipClass: '12.34.56.0/24' };

describe('fingerprintHash', () => {
  it('is blake3 over the canonical token lines, as 64 hex characters', () => {
    const expected = bytesToHex(
      blake3(utf8ToBytes('browser:chrome\nos:windows\ndevice:laptop\nipClass:12.34.56.0/24')),
    );
    expect(fingerprintHash(habits)).toBe(expected);
    expect(fingerprintHash(habits)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is stable for the same habits and changes with any one of them', () => {
    expect(fingerprintHash({ ...habits })).toBe(fingerprintHash(habits));
    expect(fingerprintHash({ ...habits, browser: 'firefox' })).not.toBe(fingerprintHash(habits));
    expect(fingerprintHash({ ...habits, ipClass: null })).not.toBe(fingerprintHash(habits));
  });
});

describe('stability', () => {
  it('is 100 when the latest event matches the habits', () => {
    expect(stability(habits, habits)).toBe(100);
  });

  it('is the Jaccard overlap of the token sets', () => {
    // 3 shared, union {4 habitual + firefox} = 5
    expect(stability({ ...habits, browser: 'firefox' }, habits)).toBe(60);
    // 2 shared, union 6
    expect(stability({ ...habits, browser: 'firefox', os: 'linux' }, habits)).toBe(33.3);
    // 3 shared, union 4 (the latest event names no IP)
    expect(stability({ ...habits, ipClass: null }, habits)).toBe(75);
    expect(stability({ browser: 'a', os: 'b', device: 'c', ipClass: 'd' }, habits)).toBe(0);
  });

  it('treats two empty sets as a match', () => {
    expect(stability(EMPTY_TOKENS, EMPTY_TOKENS)).toBe(100);
  });
});

describe('tokenStrings', () => {
  it('lists present tokens in canonical order', () => {
    expect(tokenStrings({ ipClass: '1.2.3.0/24', device: null, os: 'ios', browser: 'safari' })).toEqual([
      'browser:safari',
      'os:ios',
      'ipClass:1.2.3.0/24',
    ]);
  });
});
