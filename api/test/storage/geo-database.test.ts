import { describe, expect, it } from 'vitest';
import { loadAsnTable, openGeoDatabase } from '../../src/storage/geo-database.ts';

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
