import { describe, expect, it } from 'vitest';
import { bitCount } from '../../../src/domain/risk/day-mask.ts';
import { farApart, MAX_PERSONAS, type Persona, sensitiveKind } from '../../../src/domain/risk/personas.ts';
import { emptyProfile, upgradeProfile } from '../../../src/domain/risk/profile.ts';
import { decodeProfile, encodeProfile } from '../../../src/domain/risk/stored-profile.ts';
import { CARRIER, HOME, habitual, LAPTOP, live, PARIS, PARIS_HOTEL, PHONE, step, VPN_EXIT } from './life.ts';

const find = (personas: readonly Persona[], device: string, network: string) =>
  personas.find((persona) => persona.device?.startsWith(device) && persona.network === network);

describe('personas', () => {
  it('cluster events by device × network × country, with first and last seen, active days and weight', () => {
    const profile = live(habitual(10));
    expect(profile.personas.map((persona) => persona.key).sort()).toEqual([
      'laptop/windows chrome|AS3320|DE',
      'mobile/ios mobile safari|AS3209|DE',
      'mobile/ios mobile safari|AS3320|DE',
    ]);
    const laptop = find(profile.personas, 'laptop', 'AS3320') as Persona;
    expect(laptop).toMatchObject({ networkType: 'isp', country: 'DE', city: 'Berlin' });
    expect(bitCount(laptop.days)).toBe(10);
    expect(laptop.days).toBe(0b1111111111);
    expect(laptop.weight / 1000).toBeGreaterThan(9);
    expect(laptop.weight / 1000).toBeLessThan(10);
    expect(new Date(laptop.lastAt).getUTCHours()).toBe(19);
    const phoneAtHome = find(profile.personas, 'mobile', 'AS3320') as Persona;
    expect(bitCount(phoneAtHome.days)).toBe(2);
    expect(phoneAtHome.arrival).toMatchObject({ newDevice: false, newNetwork: false, newCountry: false });
  });

  it('remember active days for four weeks, relative to the newest event', () => {
    const profile = live([step(0, 10, LAPTOP, HOME), step(3, 10, LAPTOP, HOME)]);
    expect(profile.personas[0]?.days).toBe(0b1001);
    const later = live([step(40, 10, PHONE, CARRIER)], profile);
    expect(find(later.personas, 'laptop', 'AS3320')?.days).toBe(0);
    // A late event lands on its own day.
    const late = live([step(2, 10, LAPTOP, HOME)], profile);
    expect(late.personas[0]?.days).toBe(0b1011);
  });

  it('note what a newcomer found: the baseline, what was new, failures just before', () => {
    const owner = live(habitual(14));
    const guessed = live(
      [
        { ...step(14, 3, LAPTOP, PARIS_HOTEL), outcome: 'failure' },
        { ...step(14, 3.1, LAPTOP, PARIS_HOTEL), outcome: 'failure' },
        step(14, 3.2, LAPTOP, PARIS_HOTEL),
      ],
      owner,
    );
    expect(guessed.personas).toHaveLength(owner.personas.length + 1);
    const paris = find(guessed.personas, 'laptop', 'AS3215') as Persona;
    expect(paris.arrival).toMatchObject({ newDevice: false, newNetwork: true, newCountry: true, failures: 2 });
    expect(paris.arrival.baseline).toBeGreaterThan(20);
  });

  it('record sensitive actions by kind in any spelling, and a stuffing source’s success', () => {
    const profile = live([
      { ...step(0, 10, LAPTOP, VPN_EXIT), kind: 'Password-Change' },
      { ...step(0, 10.1, LAPTOP, VPN_EXIT), kind: 'MFA.reset' },
      { ...step(0, 10.2, LAPTOP, VPN_EXIT), signals: ['credential_stuffing'] },
    ]);
    expect(profile.personas[0]).toMatchObject({
      networkType: 'vpn',
      sensitive: ['password_change', 'mfa_change'],
      sensitiveAt: step(0, 10, LAPTOP, VPN_EXIT).at,
      stuffedAt: step(0, 10.2, LAPTOP, VPN_EXIT).at,
    });
    expect(sensitiveKind('login')).toBeNull();
    expect(sensitiveKind('payout_added')).toBe('payout_change');
    expect(sensitiveKind('NEW PAYEE')).toBe('payout_change');
  });

  it('mark a crossing when one of them switches in from far away within hours, but not from a phone placed by lookup', () => {
    const crossed = live([step(0, 19, LAPTOP, HOME), step(0, 23, LAPTOP, PARIS_HOTEL)]);
    expect(crossed.personas.find((persona) => persona.network === 'AS3215')?.crossings).toBe(1);
    // A phone on a carrier that runs fixed lines too (typed isp) may be roaming: its looked-up place is the home's.
    const lookedUp = { ...HOME, lat: null, lon: null, placeSource: 'country' };
    const roaming = live([step(0, 19, PHONE, lookedUp), step(0, 23, LAPTOP, PARIS_HOTEL)]);
    expect(roaming.personas.find((persona) => persona.network === 'AS3215')?.crossings).toBe(0);
  });

  it('judge located personas by distance, not by their addresses’ countries: a roaming phone beside the hotel', () => {
    // Both in Paris by their coordinates; the phone's address is its German carrier's, one that runs fixed
    // lines too (typed isp).
    const roamingInParis = { ...CARRIER, type: 'isp', city: PARIS.city, lat: PARIS.lat, lon: PARIS.lon };
    const together = live([step(0, 19, PHONE, roamingInParis), step(0, 20, LAPTOP, PARIS_HOTEL)]);
    const [phone, laptop] = together.personas as [Persona, Persona];
    expect(phone.country).toBe('DE');
    expect(farApart(phone, laptop)).toBe(false);
    expect(laptop.crossings).toBe(0);
    // Without coordinates on either side, the countries decide.
    const unlocated = (persona: Persona) => ({ ...persona, lat: null, lon: null });
    expect(farApart(unlocated(phone), laptop)).toBe(true);
    expect(farApart(unlocated(phone), unlocated(phone))).toBe(false);
  });

  it('keep one persona per device on a VPN whichever exit country it picks, the last one named', () => {
    const exits = [VPN_EXIT, { ...VPN_EXIT, country: 'NL', city: 'Amsterdam' }, { ...VPN_EXIT, country: 'SE' }];
    const profile = live(exits.map((exit, day) => step(day, 19, LAPTOP, exit)));
    expect(profile.personas).toHaveLength(1);
    expect(profile.personas[0]).toMatchObject({
      network: 'AS39351',
      country: 'SE',
      key: 'laptop/windows chrome|AS39351|',
    });
    expect(bitCount(profile.personas[0]?.days ?? 0)).toBe(3);
    // Stored and read back, it is found again under the same key.
    expect(decodeProfile(JSON.parse(JSON.stringify(encodeProfile(profile)))).personas[0]?.key).toBe(
      profile.personas[0]?.key,
    );
  });

  it('ignore failed logins: a guess is not a persona', () => {
    const profile = live([{ ...step(0, 10, LAPTOP, HOME), outcome: 'failure' }]);
    expect(profile.personas).toEqual([]);
  });

  it(`keep at most ${MAX_PERSONAS}, dropping the faintest but never the one just seen`, () => {
    const steps = habitual(5);
    for (let n = 0; n < 12; n += 1) {
      steps.push(step(5, n, LAPTOP, { ...HOME, ip: `45.9.${n}.1`, subnet: `45.9.${n}.0/24`, asn: 60_000 + n }));
    }
    const profile = live(steps);
    expect(profile.personas).toHaveLength(MAX_PERSONAS);
    expect(profile.personas.some((persona) => persona.network === 'AS60011')).toBe(true);
    expect(find(profile.personas, 'laptop', 'AS3320')).toBeDefined();
  });

  it('drop personas gone from the remembered weeks first and keep one that changed the password over fainter hotels', () => {
    const hotel = (n: number) => ({ ...PARIS_HOTEL, ip: `45.9.${n}.1`, subnet: `45.9.${n}.0/24`, asn: 60_000 + n });
    // Weeks ago, a heavy persona the account no longer uses.
    const steps = Array.from({ length: 6 }, (_, n) => step(0, 10 + n, LAPTOP, hotel(99)));
    steps.push(...habitual(10, 30));
    // An intruder's one day: a password change from a network of its own.
    steps.push({ ...step(40, 3, LAPTOP, hotel(50)), kind: 'password_change' });
    // Then a traveller's string of hotels, each seen once or twice.
    for (let n = 0; n < 8; n += 1) steps.push(step(41 + n, 20, LAPTOP, hotel(n)), step(41 + n, 21, LAPTOP, hotel(n)));
    const profile = live(steps);
    expect(profile.personas).toHaveLength(MAX_PERSONAS);
    expect(profile.personas.some((persona) => persona.network === 'AS60099')).toBe(false);
    expect(profile.personas.find((persona) => persona.network === 'AS60050')?.sensitive).toEqual(['password_change']);
  });

  it('keep the account’s first VPN persona past eight, as a takeover verdict rests on it', () => {
    const hotel = (n: number) => ({ ...PARIS_HOTEL, ip: `45.9.${n}.1`, subnet: `45.9.${n}.0/24`, asn: 60_000 + n });
    const steps = [...habitual(10), step(10, 3, LAPTOP, VPN_EXIT)];
    for (let n = 0; n < 8; n += 1) steps.push(step(11 + n, 20, LAPTOP, hotel(n)), step(11 + n, 21, LAPTOP, hotel(n)));
    const profile = live(steps);
    expect(profile.personas).toHaveLength(MAX_PERSONAS);
    expect(profile.personas.some((persona) => persona.networkType === 'vpn')).toBe(true);
  });

  it('start empty for profiles stored before personas were kept', () => {
    const { personas: _, ...stored } = emptyProfile();
    expect(upgradeProfile(stored as never).personas).toEqual([]);
  });
});
