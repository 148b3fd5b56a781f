import { describe, expect, it } from 'vitest';
import { AsnTable, parseAsnCsv } from '../../../src/domain/risk/asn-table.ts';

const V4 = [
  '16777216,16777471,13335,"Cloudflare, Inc."', // 1.0.0.0 – 1.0.0.255
  '16778240,16779263,38803,Gtelecom Pty Ltd', // 1.0.4.0 – 1.0.7.255
  '134744064,134744319,15169,Google LLC', // 8.8.8.0 – 8.8.8.255
  '3758096128,3758096383,0,', // 224.0.0.0 – 224.0.0.255: unrouted
  '4294967040,4294967295,64511,"Last ""Quoted"" Block"', // 255.255.255.0 – 255.255.255.255
].join('\n');

// 2001:4860::/32 and 2a00:1450::/32.
const V6 = [
  '42541956101370907050197289607612071936,42541956180599069564461627201156022271,15169,Google LLC',
  '55827987809411540836515382960316219392,55827987888639703350779720553860169727,15169,Google LLC',
].join('\n');

function table(v4 = V4, v6 = V6): AsnTable {
  const organizations = new Map<number, string>();
  const encode = (text: string) => new TextEncoder().encode(text);
  return new AsnTable(
    parseAsnCsv(encode(v4), 4, organizations),
    parseAsnCsv(encode(v6), 6, organizations),
    organizations,
  );
}

describe('parseAsnCsv', () => {
  it('reads every row, with or without a final newline', () => {
    expect(table().size).toBe(7);
    expect(table(`${V4}\n`, `${V6}\n`).size).toBe(7);
    expect(table('', '').size).toBe(0);
  });

  it('unquotes operator names, commas and doubled quotes included', () => {
    expect(table().lookup('1.0.0.1')?.organization).toBe('Cloudflare, Inc.');
    expect(table().lookup('255.255.255.7')?.organization).toBe('Last "Quoted" Block');
  });

  it('refuses a row that is not start,end,asn', () => {
    const organizations = new Map<number, string>();
    expect(() => parseAsnCsv(new TextEncoder().encode('1.0.0.0,1.0.0.255,13335,x'), 4, organizations)).toThrow(/row 1/);
  });
});

describe('AsnTable.lookup', () => {
  it.each([
    ['1.0.0.0', 13335],
    ['1.0.0.255', 13335],
    ['1.0.5.9', 38803],
    ['8.8.8.8', 15169],
    ['255.255.255.255', 64511],
    ['2001:4860:4860::8888', 15169],
    ['2a00:1450:4001:81b::200e', 15169],
    ['::ffff:8.8.8.8', 15169],
  ])('finds the range holding %s', (address, asn) => {
    expect(table().lookup(address)?.asn).toBe(asn);
  });

  it.each([
    ['0.255.255.255', 'below the first range'],
    ['1.0.1.0', 'in a gap between ranges'],
    ['1.0.8.0', 'just past a range'],
    ['224.0.0.1', 'in unrouted space (AS0)'],
    ['2001:4861::1', 'past an IPv6 range'],
    ['not-an-ip', 'not an address'],
  ])('finds nothing for %s (%s)', (address) => {
    expect(table().lookup(address)).toBeNull();
  });
});
