import { describe, expect, it } from 'vitest';
import { emptyProfile } from '../../../src/domain/risk/profile.ts';
import { decodeProfile, encodeProfile } from '../../../src/domain/risk/stored-profile.ts';
import { habitual, LAPTOP, live, PARIS_HOTEL, step, VPN_EXIT } from './life.ts';

const roundTrip = (profile: ReturnType<typeof emptyProfile>) =>
  decodeProfile(JSON.parse(JSON.stringify(encodeProfile(profile))));

describe('stored profiles', () => {
  it('read back exactly as they were written, personas with sensitive actions, stuffing, impossible arrivals and failures and a guessed login included', () => {
    const owner = live(habitual(14));
    const profile = live(
      [
        { ...step(14, 2.8, LAPTOP, PARIS_HOTEL), outcome: 'failure' },
        { ...step(14, 2.9, LAPTOP, PARIS_HOTEL), outcome: 'failure' },
        { ...step(14, 3, LAPTOP, PARIS_HOTEL), outcome: 'failure' },
        { ...step(14, 3.2, LAPTOP, PARIS_HOTEL), outcome: 'success' },
        { ...step(14, 3.5, LAPTOP, VPN_EXIT), kind: 'password_change' },
        { ...step(14, 3.6, LAPTOP, VPN_EXIT), signals: ['credential_stuffing'] },
        { ...step(14, 4, LAPTOP, PARIS_HOTEL), outcome: 'failure' },
        { ...step(14, 4.5, LAPTOP, PARIS_HOTEL), signals: ['impossible_travel'] },
      ],
      owner,
    );
    expect(profile.personas.find((persona) => persona.travelledAt !== null)?.sensitive).toEqual([]);
    expect(profile.failures.length).toBeGreaterThan(0);
    expect(profile.guessed?.failures).toBe(3);
    expect(profile.lines?.map((line) => line.address)).toEqual(['81.2.69.142', '90.12.4.4']);
    expect(profile.personas.some((persona) => persona.sensitive.length > 0 && persona.stuffedAt !== null)).toBe(true);
    expect(roundTrip(profile)).toStrictEqual(profile);
    expect(roundTrip(emptyProfile())).toStrictEqual(emptyProfile());
  });

  it('are less than half the JSON of the profile objects', () => {
    const profile = live(habitual(14));
    expect(JSON.stringify(encodeProfile(profile)).length).toBeLessThan(JSON.stringify(profile).length / 1.8);
  });

  it('load in the shape stored before they were encoded, with or without personas', () => {
    const profile = live(habitual(3));
    expect(decodeProfile(JSON.parse(JSON.stringify(profile)))).toStrictEqual(profile);
    const { personas: _, ...withoutPersonas } = profile;
    expect(decodeProfile(JSON.parse(JSON.stringify(withoutPersonas))).personas).toEqual([]);
  });
});
