import { describe, expect, it } from 'vitest';
import { ipScope } from '../../../src/domain/risk/network.ts';

describe('ipScope', () => {
  it.each(['8.8.8.8', '81.2.69.142', '1.1.1.1', '2001:4860:4860::8888', '2a00:1450:4001:82b::200e'])(
    'calls %s public',
    (address) => {
      expect(ipScope(address)).toBe('public');
    },
  );

  it.each([
    ['10.1.2.3', 'RFC 1918'],
    ['172.16.0.1', 'RFC 1918'],
    ['192.168.1.1', 'RFC 1918'],
    ['fd00::1', 'unique local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.10.20', 'link-local'],
    ['fe80::1', 'link-local'],
  ])('calls %s private (%s)', (address) => {
    expect(ipScope(address)).toBe('private');
  });

  it.each(['127.0.0.1', '127.8.9.10', '::1'])('calls %s loopback', (address) => {
    expect(ipScope(address)).toBe('loopback');
  });

  it.each([
    ['203.0.113.5', 'TEST-NET-3'],
    ['192.0.2.1', 'TEST-NET-1'],
    ['198.51.100.7', 'TEST-NET-2'],
    ['2001:db8::1', 'documentation'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
  ])('calls %s reserved (%s)', (address) => {
    expect(ipScope(address)).toBe('reserved');
  });

  it('reads IPv4-mapped IPv6 as the IPv4 address it carries', () => {
    expect(ipScope('::ffff:8.8.8.8')).toBe('public');
    expect(ipScope('::ffff:10.1.2.3')).toBe('private');
    expect(ipScope('::ffff:127.0.0.1')).toBe('loopback');
    expect(ipScope('::ffff:203.0.113.5')).toBe('reserved');
  });

  it('throws on something that is not an address (callers validate first)', () => {
    expect(() => ipScope('not-an-ip')).toThrow();
  });
});
