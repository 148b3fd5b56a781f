import { describe, expect, it } from 'vitest';
import { parseEvalArgs } from '../../../bench/eval/options.ts';

const known = ['a', 'b'];

describe('parseEvalArgs', () => {
  it('runs every family on three seeds by default', () => {
    const options = parseEvalArgs([], known);
    expect(options.families).toEqual(['a', 'b']);
    expect(options.seeds).toEqual([1, 2, 3]);
    expect(options.quick).toBe(false);
  });

  it('takes one seed or a list, a family, users and days; quick shrinks only what is not given', () => {
    expect(parseEvalArgs(['--seed', '7'], known).seeds).toEqual([7]);
    expect(parseEvalArgs(['--seeds', '4,5'], known).seeds).toEqual([4, 5]);
    const quick = parseEvalArgs(['--quick', '--family', 'b', '--users', '500'], known);
    expect(quick).toMatchObject({ families: ['b'], users: 500, seeds: [1], quick: true });
    expect(quick.days).toBeLessThan(parseEvalArgs([], known).days);
  });

  it('refuses unknown families, bad numbers and unknown options', () => {
    expect(() => parseEvalArgs(['--family', 'c'], known)).toThrow(/unknown family c/);
    expect(() => parseEvalArgs(['--users', 'many'], known)).toThrow(/--users/);
    expect(() => parseEvalArgs(['--days', '3'], known)).toThrow(/--days/);
    expect(() => parseEvalArgs(['--fast'], known)).toThrow();
  });
});
