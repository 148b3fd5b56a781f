import { describe, expect, it } from 'vitest';
import { KNOWN_NETWORKS } from '../../../src/domain/risk/known-networks.ts';
import {
  NETWORK_TYPES,
  NetworkTypeTable,
  parseAsnList,
  parseIpv4Ranges,
} from '../../../src/domain/risk/network-type.ts';

// Small lists in the vendored files' own formats, so each rule is seen on its own.
const table = new NetworkTypeTable({
  vpnAsns: parseAsnList('AS64500 # a VPN operator\nAS60729 # Tor Servers\n'),
  datacenterAsns: parseAsnList('AS64501 # a datacenter\nAS64500 # listed as both\n'),
  badAsns: parseAsnList('ASN,Entity\n64502,"A colo, US"\n"64503","Quoted Hosting"\n 64504, "Leading space"\n'),
  vpnRanges: parseIpv4Ranges('# exits\n198.51.100.0/24\n203.0.113.128/25\n'),
});

describe('parseAsnList', () => {
  it('reads X4BNet lines and bad-asn-list rows, skipping headers, comments and blank lines', () => {
    expect(parseAsnList('# header\nAS9009 # M247\n\nAS136787\nas207137 # lower case\n')).toEqual([
      9009, 136787, 207137,
    ]);
    expect(parseAsnList('ASN,Entity\n3223,"VOXILITY, RO"\n"20248","Take 2 Hosting, Inc."\n')).toEqual([3223, 20248]);
  });

  it('takes no number from the middle of a line', () => {
    expect(parseAsnList('Entity 64500,x\n# AS64501\n')).toEqual([]);
  });
});

describe('parseIpv4Ranges', () => {
  it('turns CIDRs into sorted inclusive ranges, merging overlaps and neighbours', () => {
    const ranges = parseIpv4Ranges('10.0.1.0/24\n10.0.0.0/24\n10.0.0.128/25\n192.0.2.7\n10.0.3.0/24\n');
    expect([...ranges.start]).toEqual([0x0a000000, 0x0a000300, 0xc0000207]);
    expect([...ranges.end]).toEqual([0x0a0001ff, 0x0a0003ff, 0xc0000207]);
  });

  it('refuses a line that is not an IPv4 CIDR rather than skip part of a list', () => {
    expect(() => parseIpv4Ranges('10.0.0.0/33\n')).toThrow(/not an IPv4 CIDR/);
    expect(() => parseIpv4Ranges('2001:db8::/32\n')).toThrow(/not an IPv4 CIDR/);
  });
});

describe('NetworkTypeTable.classify', () => {
  it('says where each verdict came from', () => {
    expect(table.classify('192.0.2.1', 64500, null)).toEqual({ type: 'vpn', source: 'list:x4bnet-vpn-asn' });
    expect(table.classify('192.0.2.1', 64501, null)).toEqual({
      type: 'hosting',
      source: 'list:x4bnet-datacenter-asn',
    });
    expect(table.classify('192.0.2.1', 64502, null)).toEqual({ type: 'hosting', source: 'list:bad-asn-list' });
    expect(table.classify('192.0.2.1', 64503, null)).toMatchObject({ type: 'hosting' });
    expect(table.classify('192.0.2.1', 64504, null)).toMatchObject({ type: 'hosting' });
    expect(table.classify('198.51.100.77', 3320, null)).toEqual({ type: 'vpn', source: 'list:x4bnet-vpn-ipv4' });
    expect(table.classify('192.0.2.1', 21928, null)).toEqual({ type: 'mobile', source: 'asn-table:AS21928' });
  });

  it('puts a Tor operator first, then a VPN exit range, then the hand-written table, then the lists', () => {
    // AS60729 is in the VPN ASN list and its exits in the VPN ranges; the table knows it runs Tor.
    expect(table.classify('198.51.100.1', 60729, null)).toEqual({ type: 'tor', source: 'asn-table:AS60729' });
    // An exit range says more about the address than its hoster's ASN.
    expect(table.classify('203.0.113.200', 16509, null)).toMatchObject({ type: 'vpn' });
    expect(table.classify('203.0.113.100', 16509, null)).toEqual({ type: 'hosting', source: 'asn-table:AS16509' });
    // A list's vpn verdict wins over a later list's hosting.
    expect(table.classify(null, 64500, null)).toMatchObject({ type: 'vpn' });
  });

  it('finds the VPN ranges by IPv4 and IPv4-mapped IPv6, at both ends and not beyond', () => {
    expect(table.classify('198.51.100.0', 3320, null).type).toBe('vpn');
    expect(table.classify('198.51.100.255', 3320, null).type).toBe('vpn');
    expect(table.classify('::ffff:198.51.100.9', 3320, null).type).toBe('vpn');
    expect(table.classify('198.51.101.0', 3320, null).type).toBe('isp');
    expect(table.classify('203.0.113.127', 3320, null).type).toBe('isp');
    expect(table.classify('2001:db8::1', 3320, null).type).toBe('isp');
  });

  it('calls any other routed network an ISP, and a network no database knows unknown', () => {
    expect(table.classify('192.0.2.1', 3320, 'Deutsche Telekom AG')).toEqual({ type: 'isp', source: 'unlisted' });
    expect(table.classify('192.0.2.1', null, null)).toEqual({ type: 'unknown', source: 'no-asn' });
  });

  it('takes a word in the operator’s name as a hint, never as VPN or Tor', () => {
    const byName = (organization: string) => table.classify('192.0.2.1', 65000, organization);
    expect(byName('Example Hosting Ltd')).toEqual({ type: 'hosting', source: 'keyword:hosting' });
    expect(byName('Fast VPS GmbH')).toEqual({ type: 'hosting', source: 'keyword:vps' });
    expect(byName('Some Data Center LLC')).toMatchObject({ type: 'hosting' });
    expect(byName('Colombia Movil')).toEqual({ type: 'mobile', source: 'keyword:movil' });
    expect(byName('Example Mobile Networks')).toMatchObject({ type: 'mobile' });
    expect(byName('Universidad Nacional')).toEqual({ type: 'business', source: 'keyword:universidad' });
    expect(byName('Example University')).toMatchObject({ type: 'business' });
    expect(byName('Université de Lyon')).toMatchObject({ type: 'business' });
    expect(byName('Technische Universität München')).toMatchObject({ type: 'business' });
    expect(byName('Best VPN Services')).toMatchObject({ type: 'isp' });
    expect(byName('Tor Exit Relay e.V.')).toMatchObject({ type: 'isp' });
  });

  it('matches whole words only: "colo" is not Colombia, "cloud" is not Cloudy, "mobile" is not Automobile', () => {
    for (const name of [
      'COLOMBIA TELECOMUNICACIONES',
      'NetCologne GmbH',
      'Cloudy Skies ISP',
      'Automobile Club',
      'Radiomóvil',
    ]) {
      expect(table.classify('192.0.2.1', 65000, name)).toEqual({ type: 'isp', source: 'unlisted' });
    }
  });
});

describe('KNOWN_NETWORKS', () => {
  it('lists each ASN once, with a known type and its operator', () => {
    const asns = KNOWN_NETWORKS.map(([asn]) => asn);
    expect(new Set(asns).size).toBe(asns.length);
    for (const [asn, type, operator] of KNOWN_NETWORKS) {
      expect(Number.isInteger(asn) && asn > 0).toBe(true);
      expect(NETWORK_TYPES).toContain(type);
      expect(operator.length).toBeGreaterThan(2);
    }
  });
});
