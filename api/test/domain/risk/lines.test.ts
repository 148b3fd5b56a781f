import { describe, expect, it } from 'vitest';
import { lineAddressOf, MAX_LINES } from '../../../src/domain/risk/lines.ts';
import { observation } from './fixtures.ts';
import { CARRIER, HOME, LAPTOP, live, OFFICE, PHONE, step, VPN_EXIT } from './life.ts';

describe('home lines', () => {
  it('are the exact public addresses of ISP networks; an IPv6 address counts by its /64', () => {
    expect(lineAddressOf(observation({ network: { ip: '81.2.69.142', type: 'isp' } }))).toBe('81.2.69.142');
    expect(lineAddressOf(observation({ network: { ip: '2001:db8:5:6:a:b:c:d', type: 'isp' } }))).toBe(
      '2001:db8:5:6::/64',
    );
    // Written compressed, as stored: two devices of one /64 are one line, another /64 is another.
    const v6 = (ip: string) => lineAddressOf(observation({ network: { ip, type: 'isp' } }));
    expect(v6('2001:db8::1')).toBe('2001:db8::/64');
    expect(v6('2001:db8::5:6:7:8')).toBe('2001:db8::/64');
    expect(v6('2001:db8:0:1::2')).toBe('2001:db8:0:1::/64');
    for (const network of [CARRIER, OFFICE, VPN_EXIT]) expect(lineAddressOf(observation({ network }))).toBeNull();
    expect(lineAddressOf(observation({ network: { ip: '192.168.1.4', scope: 'private', type: null } }))).toBeNull();
  });

  it('remember the days, hours and devices each address was used on', () => {
    const profile = live([step(0, 19, LAPTOP, HOME), step(1, 20, PHONE, HOME), step(2, 8, PHONE, CARRIER)]);
    expect(profile.lines).toEqual([
      {
        network: 'AS3320',
        address: '81.2.69.142',
        firstAt: expect.any(Number),
        lastAt: expect.any(Number),
        days: 0b110,
        hours: (1 << 19) | (1 << 20),
        devices: ['laptop/windows chrome', 'mobile/ios mobile safari'],
      },
    ]);
  });

  it('forget an address unused for the remembered weeks', () => {
    const profile = live([step(0, 19, LAPTOP, HOME), step(40, 19, LAPTOP, { ...HOME, ip: '81.2.69.9' })]);
    expect(profile.lines?.map((line) => line.address)).toEqual(['81.2.69.9']);
  });

  it(`keep at most ${MAX_LINES}, pushing out one-day addresses before the lines that last`, () => {
    const steps = [0, 1, 2, 3, 4].map((day) => step(day, 19, LAPTOP, HOME));
    // A phone on a carrier that also runs fixed lines: a new address every session.
    for (let session = 0; session < 20; session += 1)
      steps.push(step(5 + session / 4, 8, PHONE, { ...HOME, ip: `81.2.70.${session}` }));
    const profile = live(steps);
    expect(profile.lines).toHaveLength(MAX_LINES);
    expect(profile.lines?.[0]?.address).toBe('81.2.69.142');
    expect(profile.lines?.at(-1)?.address).toBe('81.2.70.19');
  });
});
