import { describe, expect, it } from 'vitest';
import { loadAsnTable, loadNetworkTypes, openGeoDatabase } from '../../src/storage/geo-database.ts';

// The real databases shipped in the npm packages: these addresses have kept
// their operators and countries for many years.
describe('the bundled IP databases', () => {
  const lookup = openGeoDatabase();

  it('know the country and operator of well-known public addresses', () => {
    expect(lookup('8.8.8.8')).toMatchObject({ asn: 15169, asnOrganization: expect.stringMatching(/google/i) });
    expect(lookup('1.1.1.1')).toMatchObject({ asn: 13335, asnOrganization: expect.stringMatching(/cloudflare/i) });
    expect(lookup('2001:4860:4860::8888')).toMatchObject({ asn: 15169 });
    expect(lookup('193.99.144.80')).toMatchObject({ country: 'DE' });
  });

  it('know the type of well-known networks from the vendored lists and the ASN table', () => {
    expect(lookup('185.220.101.1')?.networkType).toEqual({ type: 'tor', source: 'asn-table:AS60729' });
    expect(lookup('3.5.140.2')?.networkType).toEqual({ type: 'hosting', source: 'asn-table:AS16509' });
    expect(lookup('185.213.154.1')?.networkType).toEqual({ type: 'vpn', source: 'asn-table:AS39351' });
    // M247 hosts many VPN providers: X4BNet lists its exit ranges.
    expect(lookup('2.57.248.5')?.networkType).toEqual({ type: 'vpn', source: 'list:x4bnet-vpn-ipv4' });
    expect(lookup('37.19.206.5')?.networkType).toEqual({ type: 'hosting', source: 'list:x4bnet-datacenter-asn' });
    expect(lookup('172.58.0.1')?.networkType).toEqual({ type: 'mobile', source: 'asn-table:AS21928' });
    expect(lookup('73.0.0.1')?.networkType).toEqual({ type: 'isp', source: 'unlisted' });
    expect(lookup('2001:4860:4860::8888')?.networkType?.type).toBe('hosting');
  });

  it('hold every list: about a thousand classified ASNs and the VPN exit ranges', () => {
    const { asns, vpnRanges } = loadNetworkTypes().size;
    expect(asns).toBeGreaterThan(900);
    expect(vpnRanges).toBeGreaterThan(1_000);
  });

  it('leave city and coordinates to producers', () => {
    expect(lookup('8.8.8.8')).toMatchObject({ city: null, lat: null, lon: null });
  });

  it('answer the same after their memory of recent addresses fills and empties', () => {
    const first = lookup('8.8.8.8');
    // A repeated address is answered from memory.
    expect(lookup('8.8.8.8')).toBe(first);
    for (let index = 0; index < 5_000; index += 1) lookup(`11.${index >> 8}.${index & 255}.1`);
    const again = lookup('8.8.8.8');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(lookup('10.0.0.1')).toBeNull();
  });

  it('hold hundreds of thousands of ranges, loaded in well under two seconds', () => {
    // CPU time, not wall time: other processes on a busy machine stretch the latter, not the work.
    const before = process.cpuUsage();
    const table = loadAsnTable();
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
    expect(table.size).toBeGreaterThan(400_000);
  });
});
