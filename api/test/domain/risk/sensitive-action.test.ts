import { describe, expect, it } from 'vitest';
import { baselineOf } from '../../../src/domain/risk/baseline.ts';
import { maturity } from '../../../src/domain/risk/signals/novelty.ts';
import { SENSITIVE_ACTION_WEIGHT, sensitiveActionSignal } from '../../../src/domain/risk/signals/sensitive-action.ts';
import { DAY, HOUR, NEW_YORK, observation, profileOf, series, T0 } from './fixtures.ts';

/** Twenty days of logins from the home ISP in Berlin. */
const atHome = profileOf(series(20, T0, DAY));
const later = T0 + 20 * DAY + HOUR;
const abroad = { ...NEW_YORK, asn: 7922, subnet: '73.1.2.0/24', ip: '73.1.2.3' };
const score = (profile: typeof atHome, overrides: Parameters<typeof observation>[0]) =>
  sensitiveActionSignal(profile, observation(overrides), baselineOf(profile));

describe('sensitiveActionSignal', () => {
  it('scores a password change from a never-seen country and network at 0.5 × maturity, naming them', () => {
    const signal = score(atHome, { at: later, kind: 'Password-Change', network: abroad });
    expect(signal?.name).toBe('sensitive_action');
    expect(signal?.score).toBeCloseTo(SENSITIVE_ACTION_WEIGHT * maturity(atHome), 6);
    expect(signal?.evidence).toMatchObject({ action: 'password_change', country: 'US', networkType: 'isp' });
  });

  it('still fires once the attacker network has been seen a few times, while it is a small share of the history', () => {
    const attacker = profileOf(series(3, later, HOUR, { network: abroad }), atHome);
    const signal = score(attacker, { at: later + 4 * HOUR, kind: 'mfa_reset', network: abroad });
    expect(signal?.evidence).toMatchObject({ action: 'mfa_change' });
  });

  it('fires on a VPN address of an account that never uses one, though its country and ASN are familiar', () => {
    const signal = score(atHome, { at: later, kind: 'payout_added', network: { type: 'vpn' } });
    expect(signal?.evidence).toMatchObject({ action: 'payout_change', networkType: 'vpn' });
  });

  it('is silent for a change from the home network, for an ordinary login abroad, and on an incomplete baseline', () => {
    expect(score(atHome, { at: later, kind: 'password_change' })).toBeNull();
    expect(score(atHome, { at: later, kind: 'login', network: abroad })).toBeNull();
    const young = profileOf(series(3, T0, DAY));
    expect(score(young, { at: T0 + 3 * DAY, kind: 'password_change', network: abroad })).toBeNull();
  });

  it('is silent for a VPN user changing their password on their VPN', () => {
    const onVpn = profileOf(series(20, T0, DAY, { network: { type: 'vpn' } }));
    expect(score(onVpn, { at: later, kind: 'password_change', network: { type: 'vpn' } })).toBeNull();
  });
});
