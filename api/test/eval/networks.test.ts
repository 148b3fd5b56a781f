import { describe, expect, it } from 'vitest';
import { ALL_BLOCKS, subnetsOf } from '../../../bench/eval/networks.ts';
import { openGeoDatabase } from '../../src/storage/geo-database.ts';

describe('evaluation network blocks', () => {
  const geo = openGeoDatabase();

  it('resolve, in the bundled databases, to the operator and country the population means', () => {
    const wrong: string[] = [];
    for (const block of ALL_BLOCKS) {
      const subnets = subnetsOf(block);
      // The first, middle and last /24, at both ends: the databases agree on the whole block.
      for (const subnet of [subnets[0], subnets[Math.floor(subnets.length / 2)], subnets.at(-1)])
        for (const host of [1, 254]) {
          const ip = `${subnet}.${host}`;
          const facts = geo(ip);
          if (facts?.asn !== block.asn || facts?.country !== block.country)
            wrong.push(`${ip} (${block.operator}): AS${facts?.asn} ${facts?.country}`);
        }
    }
    expect(wrong).toEqual([]);
  });

  it('lists each block once and splits a /16 into 256 /24s', () => {
    expect(new Set(ALL_BLOCKS.map((b) => b.cidr)).size).toBe(ALL_BLOCKS.length);
    const deutscheTelekom = ALL_BLOCKS.find((b) => b.cidr === '2.160.0.0/16');
    expect(deutscheTelekom && subnetsOf(deutscheTelekom)).toHaveLength(256);
    expect(deutscheTelekom && subnetsOf(deutscheTelekom).at(-1)).toBe('2.160.255');
  });
});
