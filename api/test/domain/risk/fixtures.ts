import type { ClientFacts, NetworkFacts, Observation } from '../../../src/domain/risk/observation.ts';
import {
  emptyProfile,
  NOVELTY_DIMENSIONS,
  type NoveltyDimension,
  profileWeight,
  type RiskProfile,
  updateProfile,
  weightsOf,
} from '../../../src/domain/risk/profile.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Monday 2024-01-01 09:00 UTC (hour of the week 9). */
export const T0 = Date.UTC(2024, 0, 1, 9);

export const BERLIN = { country: 'DE', city: 'Berlin', lat: 52.52, lon: 13.405 };
export const POTSDAM = { country: 'DE', city: 'Potsdam', lat: 52.3906, lon: 13.0645 };
export const NEW_YORK = { country: 'US', city: 'New York', lat: 40.7128, lon: -74.006 };

export interface ObservationOverrides {
  userId?: string;
  at?: number;
  kind?: string;
  outcome?: Observation['outcome'];
  client?: Partial<ClientFacts>;
  network?: Partial<NetworkFacts>;
}

/** A login by alice from her usual Windows laptop on a public Berlin address, unless told otherwise. */
export function observation(overrides: ObservationOverrides = {}): Observation {
  return {
    userId: overrides.userId ?? 'alice',
    at: overrides.at ?? T0,
    kind: overrides.kind ?? 'login',
    outcome: overrides.outcome === undefined ? null : overrides.outcome,
    client: {
      browser: 'chrome',
      browserMajor: '124',
      os: 'windows',
      osVersion: '10',
      device: 'laptop',
      ...overrides.client,
    },
    network: {
      ip: '81.2.69.142',
      subnet: '81.2.69.0/24',
      scope: 'public',
      asn: 3320,
      asnOrganization: null,
      type: 'isp',
      typeSource: 'unlisted',
      radiusKm: 0,
      placeSource: 'producer',
      ...BERLIN,
      ...overrides.network,
    },
  };
}

/** The profile after the observations, folded in order the way the store does. */
export function profileOf(observations: readonly Observation[], start: RiskProfile = emptyProfile()): RiskProfile {
  return observations.reduce(updateProfile, start);
}

/** `count` observations, `stepMs` apart from `start`, each with the same overrides. */
export function series(count: number, start: number, stepMs: number, overrides: ObservationOverrides = {}) {
  return Array.from({ length: count }, (_, index) => observation({ ...overrides, at: start + index * stepMs }));
}

/** The profile with its weights in events and its tallies as `{ value: weight }`: how tests read it. */
export function readable(profile: RiskProfile) {
  const values = {} as Record<NoveltyDimension, Record<string, number>>;
  for (const dimension of NOVELTY_DIMENSIONS) values[dimension] = weightsOf(profile.values[dimension]);
  return { ...profile, weight: profileWeight(profile), values, hours: weightsOf(profile.hours) };
}
