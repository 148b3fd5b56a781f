import { describe, expect, it } from 'vitest';
import { SHARED_ACCOUNT_WEIGHT, sharedAccountSignal } from '../../../src/domain/risk/signals/shared-account.ts';
import { verdictOf } from '../../../src/domain/risk/verdict.ts';
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
} from './life.ts';

/** A second person at their own home in Munich, most evenings from day 14. */
function sharer(from: number, to: number): Step[] {
  const steps: Step[] = [];
  for (let day = from; day < to; day += 1) if (day % 4 !== 1) steps.push(step(day, 20.5, OTHER_LAPTOP, MUNICH_HOME));
  return steps;
}

const shared = live(byTime([...habitual(35), ...sharer(14, 35)]));

describe('sharedAccountSignal', () => {
  it('marks a login from the second person’s network on an account whose personas look shared', () => {
    const verdict = verdictOf(shared);
    expect(verdict?.kind).toBe('sharing');
    const signal = sharedAccountSignal(
      shared,
      observation({ at: at(35, 20.5), client: OTHER_LAPTOP, network: MUNICH_HOME }),
    );
    expect(signal?.name).toBe('shared_account');
    expect(signal?.score).toBeCloseTo(SHARED_ACCOUNT_WEIGHT * (verdict?.confidence ?? 0), 6);
    expect(signal?.evidence).toMatchObject({ network: 'AS6805', country: 'DE' });
  });

  it('leaves the owner’s own logins alone', () => {
    expect(sharedAccountSignal(shared, observation({ at: at(35, 19), client: LAPTOP, network: HOME }))).toBeNull();
  });

  it('says nothing on an account that does not look shared, even from a new network', () => {
    const owner = live(habitual(35));
    expect(verdictOf(owner)).toBeNull();
    expect(
      sharedAccountSignal(owner, observation({ at: at(35, 20), client: LAPTOP, network: PARIS_HOTEL })),
    ).toBeNull();
  });
});
