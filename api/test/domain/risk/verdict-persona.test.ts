import { describe, expect, it } from 'vitest';
import { VERDICT_PERSONA_WEIGHT, verdictPersonaSignal } from '../../../src/domain/risk/signals/verdict-persona.ts';
import { verdictOf, verdictsOf } from '../../../src/domain/risk/verdict.ts';
import { observation } from './fixtures.ts';
import {
  at,
  byTime,
  HOME,
  habitual,
  LAPTOP,
  live,
  MUNICH_HOME,
  OTHER_LAPTOP,
  PARIS_HOTEL,
  type Step,
  step,
  VPN_EXIT,
} from './life.ts';

/** A second person at their own home in Munich, most evenings from day 14. */
function sharer(from: number, to: number): Step[] {
  const steps: Step[] = [];
  for (let day = from; day < to; day += 1) if (day % 4 !== 1) steps.push(step(day, 20.5, OTHER_LAPTOP, MUNICH_HOME));
  return steps;
}

const shared = live(byTime([...habitual(35), ...sharer(14, 35)]));

describe('verdictPersonaSignal', () => {
  it('marks a login from the second person’s network on an account whose personas look shared', () => {
    const verdict = verdictOf(shared);
    expect(verdict?.kind).toBe('sharing');
    const signal = verdictPersonaSignal(
      shared,
      observation({ at: at(35, 20.5), client: OTHER_LAPTOP, network: MUNICH_HOME }),
    );
    expect(signal?.name).toBe('shared_account');
    expect(signal?.score).toBeCloseTo(VERDICT_PERSONA_WEIGHT * (verdict?.confidence ?? 0), 6);
    expect(signal?.evidence).toMatchObject({ network: 'AS6805', country: 'DE' });
  });

  it('marks the next login from a persona the account looks taken over by', () => {
    const takenOver = live(byTime([...habitual(30), step(30, 3, LAPTOP, VPN_EXIT)]));
    expect(verdictOf(takenOver)?.kind).toBe('takeover');
    const signal = verdictPersonaSignal(takenOver, observation({ at: at(30, 9), client: LAPTOP, network: VPN_EXIT }));
    expect(signal?.name).toBe('taken_over_account');
    expect(signal?.evidence).toMatchObject({ network: 'AS39351' });
    expect(verdictPersonaSignal(takenOver, observation({ at: at(30, 19), client: LAPTOP, network: HOME }))).toBeNull();
  });

  it('still marks the second person when a stuffing verdict on the same account is more confident', () => {
    const stuffedToo = live(
      byTime([
        ...habitual(35),
        ...sharer(14, 35),
        { ...step(34, 4, LAPTOP, { ...VPN_EXIT, asn: 9009 }), signals: ['credential_stuffing'] },
      ]),
    );
    const kinds = verdictsOf(stuffedToo).map((verdict) => verdict.kind);
    expect(kinds[0]).toBe('stuffing');
    expect(kinds).toContain('sharing');
    const signal = verdictPersonaSignal(
      stuffedToo,
      observation({ at: at(35, 20.5), client: OTHER_LAPTOP, network: MUNICH_HOME }),
    );
    expect(signal?.name).toBe('shared_account');
  });

  it('leaves a persona older than the verdict alone on a network a newer one has since joined', () => {
    const TABLET = { device: 'tablet/android', browser: 'chrome', os: 'android' };
    const withTablet = live(byTime([...habitual(35), ...sharer(14, 35), step(30, 18, TABLET, HOME)]));
    expect(verdictOf(withTablet)?.kind).toBe('sharing');
    // The owner's laptop has been on the home line since day 0: the tablet joining it does not make it new.
    expect(verdictPersonaSignal(withTablet, observation({ at: at(35, 19), client: LAPTOP, network: HOME }))).toBeNull();
    const tablet = verdictPersonaSignal(withTablet, observation({ at: at(35, 18), client: TABLET, network: HOME }));
    expect(tablet?.name).toBe('shared_account');
  });

  it('leaves the owner’s own logins alone', () => {
    expect(verdictPersonaSignal(shared, observation({ at: at(35, 19), client: LAPTOP, network: HOME }))).toBeNull();
  });

  it('says nothing on an account that does not look shared, even from a new network', () => {
    const owner = live(habitual(35));
    expect(verdictOf(owner)).toBeNull();
    expect(
      verdictPersonaSignal(owner, observation({ at: at(35, 20), client: LAPTOP, network: PARIS_HOTEL })),
    ).toBeNull();
  });
});
