import type { Observation } from '../../../src/domain/risk/observation.ts';
import { advanceProfile, emptyProfile, type RiskProfile } from '../../../src/domain/risk/profile.ts';
import type { SignalName } from '../../../src/domain/risk/signals.ts';
import { BERLIN, DAY, HOUR, NEW_YORK, type ObservationOverrides, observation, T0 } from './fixtures.ts';

/** Places and networks the persona and verdict tests build lives from. */
export const MUNICH = { country: 'DE', city: 'Munich', lat: 48.137, lon: 11.575 };
export const PARIS = { country: 'FR', city: 'Paris', lat: 48.857, lon: 2.352 };

export const LAPTOP = { device: 'laptop/windows', browser: 'chrome', os: 'windows' };
export const PHONE = { device: 'mobile/ios', browser: 'mobile safari', os: 'ios' };
export const OTHER_LAPTOP = { device: 'laptop/macos', browser: 'safari', os: 'macos' };

export const HOME = { ip: '81.2.69.142', subnet: '81.2.69.0/24', asn: 3320, type: 'isp', ...BERLIN } as const;
export const CARRIER = { ip: '109.40.1.7', subnet: '109.40.1.0/24', asn: 3209, type: 'mobile', ...BERLIN } as const;
export const OFFICE = { ip: '193.17.4.20', subnet: '193.17.4.0/24', asn: 8881, type: 'business', ...BERLIN } as const;
export const MUNICH_HOME = {
  ip: '88.64.12.9',
  subnet: '88.64.12.0/24',
  asn: 6805,
  type: 'isp',
  ...MUNICH,
} as const;
export const PARIS_HOTEL = { ip: '90.12.4.4', subnet: '90.12.4.0/24', asn: 3215, type: 'isp', ...PARIS } as const;
export const NEW_YORK_HOME = {
  ip: '24.12.9.3',
  subnet: '24.12.9.0/24',
  asn: 7922,
  type: 'isp',
  ...NEW_YORK,
} as const;
export const VPN_EXIT = { ip: '185.65.134.2', subnet: '185.65.134.0/24', asn: 39351, type: 'vpn', ...BERLIN } as const;

export type Step = ObservationOverrides & { signals?: SignalName[] };

/** A login `hours` after midnight UTC of `day` days after T0's day. */
export function at(day: number, hours: number): number {
  return T0 - 9 * HOUR + day * DAY + hours * HOUR;
}

export function step(day: number, hours: number, client: ObservationOverrides['client'], network: object): Step {
  return { at: at(day, hours), client, network: network as ObservationOverrides['network'] };
}

/** The profile after the steps, each advanced with its own signals, in the given order. */
export function live(steps: readonly Step[], start: RiskProfile = emptyProfile()): RiskProfile {
  const profile = structuredClone(start);
  for (const { signals, ...overrides } of steps) advanceProfile(profile, observation(overrides), signals ?? []);
  return profile;
}

/** A habitual user: the laptop at home every evening, the phone on mobile data most mornings, for `days` days. */
export function habitual(days: number, from = 0): Step[] {
  const steps: Step[] = [];
  for (let day = from; day < from + days; day += 1) {
    steps.push(step(day, 19, LAPTOP, HOME));
    if (day % 4 !== 3) steps.push(step(day, 8, PHONE, CARRIER));
    if (day % 5 === 0) steps.push(step(day, 21, PHONE, HOME));
  }
  return steps;
}

export function byTime(steps: readonly Step[]): Step[] {
  return [...steps].sort((a, b) => (a.at as number) - (b.at as number));
}

export type { Observation };
