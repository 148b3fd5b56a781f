import { describe, expect, it } from 'vitest';
import { applyEvent, emptyAggregate } from '../../src/domain/aggregate.ts';
import { eventFactors } from '../../src/domain/factors.ts';
import { Adjustments, ruleOf } from '../../src/domain/risk/adjustments.ts';
import { emptyProfile } from '../../src/domain/risk/profile.ts';
import { nextUserRisk, scoreEvent } from '../../src/domain/risk/score.ts';
import type { NetworkActivity } from '../../src/domain/risk/signals.ts';
import { assessEvent } from '../../src/ingest/assess.ts';
import { DAY, MINUTE, observation, profileOf, series, T0 } from '../domain/risk/fixtures.ts';

const alone = { accounts: 1, newcomers: 0, failing: 0, failingNewcomers: 0, usual: 1 };
const quiet: NetworkActivity = { ip: alone, subnet: alone, asn: alone, ownNetwork: true, windowMs: 10 * MINUTE };
const stuffing: NetworkActivity = {
  ...quiet,
  ip: { accounts: 40, newcomers: 40, failing: 30, failingNewcomers: 30, usual: 0 },
  ownNetwork: false,
};

function seen(activity: NetworkActivity) {
  const tokens = { browser: 'chrome', os: 'windows', device: 'laptop', ipClass: '81.2.69.0/24' };
  return {
    applied: { id: 1, at: T0, tokens, valueCounts: { browser: 1, os: 1, device: 1, ipClass: 1 } },
    observation: observation({ at: T0 }),
    activity,
  };
}

describe('assessEvent', () => {
  it('gives the drift update, the v2 score and the user risk of one event', () => {
    const user = { aggregate: emptyAggregate('alice', T0), profile: emptyProfile(), risk: null };
    const event = seen(quiet);
    const assessment = assessEvent(user, event, 70);
    expect(assessment.aggregate).toEqual(applyEvent(user.aggregate, event.applied));
    expect(assessment.factors).toBe(eventFactors(user.aggregate, event.applied));
    const score = scoreEvent(emptyProfile(), event.observation, quiet);
    expect(assessment.score).toEqual(score);
    expect(assessment.risk).toEqual(nextUserRisk(null, score.risk, T0));
  });

  it('leaves what it is given as it was', () => {
    const user = { aggregate: emptyAggregate('alice', T0), profile: emptyProfile(), risk: null };
    assessEvent(user, seen(stuffing), 70);
    expect(user).toEqual({ aggregate: emptyAggregate('alice', T0), profile: emptyProfile(), risk: null });
  });

  it('decides an alert by the threshold it is given', () => {
    const user = { aggregate: emptyAggregate('alice', T0), profile: emptyProfile(), risk: null };
    const { score } = assessEvent(user, seen(stuffing), 70);
    expect(score.risk).toBeGreaterThan(0);
    expect(assessEvent(user, seen(stuffing), score.risk).alerts).toBe(true);
    expect(assessEvent(user, seen(stuffing), score.risk + 1).alerts).toBe(false);
  });

  it('applies trust before the user risk and the alert decision, and nothing without entries', () => {
    const profile = profileOf(series(30, T0 - 30 * DAY, DAY));
    const user = { aggregate: emptyAggregate('alice', T0), profile, risk: null };
    const abroad = {
      ...seen(quiet),
      observation: observation({
        at: T0,
        client: { device: 'desktop/linux', os: 'linux', browser: 'firefox' },
        network: { ip: '102.89.3.7', subnet: '102.89.3.0/24', asn: 37148, country: 'NG', lat: 6.45, lon: 3.39 },
      }),
      receivedAt: T0,
    };
    const plain = assessEvent(user, abroad, 60);
    expect(plain.score.risk).toBeGreaterThanOrEqual(60);
    expect(assessEvent(user, abroad, 60, undefined, new Adjustments())).toEqual(plain);

    const adjustments = new Adjustments();
    const rule = ruleOf('trust', { id: 1, kind: 'network', value: 'AS37148', reason: 'office', expiresAt: T0 + DAY });
    adjustments.addTrust('alice', rule as NonNullable<typeof rule>);
    const trusted = assessEvent(user, abroad, 60, undefined, adjustments);
    expect(trusted.score.risk).toBeLessThan(plain.score.risk);
    expect(trusted.alerts).toBe(false);
    expect(trusted.risk.score).toBe(trusted.score.risk);
    expect(
      assessEvent(
        { ...user, profile },
        { ...abroad, observation: { ...abroad.observation, userId: 'bob' } },
        60,
        undefined,
        adjustments,
      ).score.risk,
    ).toBe(plain.score.risk);
  });
});
