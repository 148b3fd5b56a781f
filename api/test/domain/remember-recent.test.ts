import { describe, expect, it } from 'vitest';
import { rememberRecent } from '../../src/domain/remember-recent.ts';

describe('rememberRecent', () => {
  it('computes each recent key once, null answers included', () => {
    const calls: string[] = [];
    const lookup = rememberRecent((key: string) => {
      calls.push(key);
      return key === 'none' ? null : key.length;
    }, 10);
    expect([lookup('ab'), lookup('abc'), lookup('ab'), lookup('none'), lookup('none')]).toEqual([2, 3, 2, null, null]);
    expect(calls).toEqual(['ab', 'abc', 'none']);
  });

  it('holds at most `max` answers, forgetting them all when full', () => {
    const calls: number[] = [];
    const lookup = rememberRecent((key: number) => {
      calls.push(key);
      return key * 2;
    }, 3);
    for (const key of [1, 2, 3]) lookup(key);
    expect(lookup(1)).toBe(2);
    expect(calls).toEqual([1, 2, 3]);
    // A fourth key finds it full: everything earlier is computed again.
    expect(lookup(4)).toBe(8);
    expect(lookup(1)).toBe(2);
    expect(calls).toEqual([1, 2, 3, 4, 1]);
  });
});
