import { describe, expect, it } from 'vitest';
import { parseIp } from '../../src/domain/ip.ts';

describe('parseIp', () => {
  it('classes IPv4 addresses by their /24', () => {
    expect(parseIp('12.34.56.78')).toEqual({ address: '12.34.56.78', version: 4, ipClass: '12.34.56.0/24' });
    expect(parseIp(' 12.34.56.1 ')?.ipClass).toBe('12.34.56.0/24');
    expect(parseIp('12.34.57.1')?.ipClass).toBe('12.34.57.0/24');
  });

  it('classes IPv6 addresses by their /48 and canonicalizes them', () => {
    expect(parseIp('2001:DB8:ABCD:0012:0000:0000:0000:0001')).toEqual({
      address: '2001:db8:abcd:12::1',
      version: 6,
      ipClass: '2001:db8:abcd::/48',
    });
    expect(parseIp('2001:db8:abcd:ffff::9')?.ipClass).toBe('2001:db8:abcd::/48');
    expect(parseIp('fe80::1%eth0')?.address).toBe('fe80::1');
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address it carries', () => {
    expect(parseIp('::ffff:12.34.56.78')).toEqual({ address: '12.34.56.78', version: 4, ipClass: '12.34.56.0/24' });
  });

  it.each([
    '',
    '999.1.1.1',
    '1.2.3',
    '01.2.3.4',
    '127.1',
    '0x7f.0.0.1',
    'localhost',
    '1.2.3.4.5',
    '2001:db8::g',
    ':::1',
  ])('rejects %j', (raw) => {
    expect(parseIp(raw)).toBeNull();
  });
});
