import type { Line } from './lines.ts';
import type { NetworkType } from './network-type.ts';
import { type Persona, personaKey } from './personas.ts';
import { type RecentEvent, type RiskProfile, upgradeProfile } from './profile.ts';

/**
 * A profile as stored (and held in the writer's memory) as JSON: the same
 * document, but personas and recent events as arrays of values rather than
 * objects, since JSON repeats every field name in every object and the
 * profile is parsed and written with every event. A persona's key is
 * derived, its times are offsets, its flags one number, and empty trailing
 * fields are left off.
 */
export interface StoredProfile extends Omit<RiskProfile, 'personas' | 'recent' | 'failures' | 'lines' | 'guessed'> {
  /** Recent events: `[at, device, subnet]`. */
  r: StoredRecent[];
  /** Personas, see StoredPersona. */
  p: StoredPersona[];
  /** Home lines, see StoredLine; absent when there are none. */
  l?: StoredLine[];
  /** Failure times, absent when there are none. */
  failures?: number[];
  /** The last guessed login: `[at, failures]`, absent when there was none. */
  g?: [at: number, failures: number];
}

type StoredRecent = [at: number, device: string | null, subnet: string | null];

/**
 * A persona. Times are offsets in milliseconds: `lastAt` back from the
 * profile's `at`, `firstAt` back from `lastAt`, the sensitive, stuffing and
 * travel times on from `firstAt`. The last four fields are left off when empty.
 */
type StoredPersona = [
  device: string | null,
  network: string | null,
  networkType: NetworkType | null,
  country: string | null,
  city: string | null,
  lat: number | null,
  lon: number | null,
  sinceLast: number,
  sinceFirst: number,
  days: number,
  crossings: number,
  hours: number,
  weight: number,
  baseline: number,
  /** Bits: 1 new device, 2 new network, 4 new country. */
  newFlags: number,
  anonymousShare: number,
  failures: number,
  sensitive?: string[],
  sensitiveAfter?: number | null,
  stuffedAfter?: number | null,
  travelledAfter?: number | null,
];

/** A home line; times as offsets: `lastAt` back from the profile's `at`, `firstAt` back from `lastAt`. */
type StoredLine = [
  network: string,
  address: string,
  sinceLast: number,
  sinceFirst: number,
  days: number,
  hours: number,
  devices: string[],
];

/** The profile in its stored form, for JSON.stringify. */
export function encodeProfile(profile: RiskProfile): StoredProfile {
  const at = profile.at ?? 0;
  // Fields listed rather than spread: object rest and spread are several times slower, on every event.
  const stored: StoredProfile = {
    events: profile.events,
    weight: profile.weight,
    at: profile.at,
    firstAt: profile.firstAt,
    values: profile.values,
    hours: profile.hours,
    networkTypes: profile.networkTypes,
    lastPlace: profile.lastPlace,
    r: profile.recent.map((event) => [event.at, event.device, event.subnet]),
    p: profile.personas.map((persona) => encodePersona(persona, at)),
  };
  if (profile.failures.length > 0) stored.failures = profile.failures;
  if (profile.guessed !== undefined) stored.g = [profile.guessed.at, profile.guessed.failures];
  if (profile.lines.length > 0) stored.l = profile.lines.map((line) => encodeLine(line, at));
  return stored;
}

/** A parsed stored profile in today's in-memory shape, whichever shape it was stored in. */
export function decodeProfile(parsed: unknown): RiskProfile {
  const stored = parsed as StoredProfile;
  // Stored before personas and recent events were written as arrays.
  if (stored.p === undefined) return upgradeProfile(parsed as Parameters<typeof upgradeProfile>[0]);
  const at = stored.at ?? 0;
  const profile: RiskProfile = {
    events: stored.events,
    weight: stored.weight,
    at: stored.at,
    firstAt: stored.firstAt,
    values: stored.values,
    hours: stored.hours,
    networkTypes: stored.networkTypes ?? [],
    lastPlace: stored.lastPlace,
    recent: stored.r.map(([eventAt, device, subnet]): RecentEvent => ({ at: eventAt, device, subnet })),
    failures: stored.failures ?? [],
    personas: stored.p.map((persona) => decodePersona(persona, at)),
    lines: stored.l === undefined ? [] : stored.l.map((line) => decodeLine(line, at)),
  };
  if (stored.g !== undefined) profile.guessed = { at: stored.g[0], failures: stored.g[1] };
  return profile;
}

function encodeLine(line: Line, at: number): StoredLine {
  return [
    line.network,
    line.address,
    at - line.lastAt,
    line.lastAt - line.firstAt,
    line.days,
    line.hours,
    line.devices,
  ];
}

function decodeLine(stored: StoredLine, at: number): Line {
  const [network, address, sinceLast, sinceFirst, days, hours, devices] = stored;
  const lastAt = at - sinceLast;
  return { network, address, firstAt: lastAt - sinceFirst, lastAt, days, hours, devices };
}

function encodePersona(persona: Persona, at: number): StoredPersona {
  const { arrival } = persona;
  const stored: StoredPersona = [
    persona.device,
    persona.network,
    persona.networkType,
    persona.country,
    persona.city,
    persona.lat,
    persona.lon,
    at - persona.lastAt,
    persona.lastAt - persona.firstAt,
    persona.days,
    persona.crossings,
    persona.hours,
    persona.weight,
    arrival.baseline,
    (arrival.newDevice ? 1 : 0) | (arrival.newNetwork ? 2 : 0) | (arrival.newCountry ? 4 : 0),
    arrival.anonymousShare,
    arrival.failures,
  ];
  const { sensitiveAt, stuffedAt, travelledAt } = persona;
  if (persona.sensitive.length > 0 || sensitiveAt !== null || stuffedAt !== null || travelledAt !== null) {
    stored.push(
      persona.sensitive,
      sensitiveAt === null ? null : sensitiveAt - persona.firstAt,
      stuffedAt === null ? null : stuffedAt - persona.firstAt,
      travelledAt === null ? null : travelledAt - persona.firstAt,
    );
  }
  return stored;
}

function decodePersona(stored: StoredPersona, at: number): Persona {
  const [
    device,
    network,
    networkType,
    country,
    city,
    lat,
    lon,
    sinceLast,
    sinceFirst,
    days,
    crossings,
    hours,
    weight,
    baseline,
    newFlags,
    anonymousShare,
    failures,
    sensitive = [],
    sensitiveAfter = null,
    stuffedAfter = null,
    travelledAfter = null,
  ] = stored;
  const lastAt = at - sinceLast;
  const firstAt = lastAt - sinceFirst;
  return {
    key: personaKey(device, network, country, networkType),
    device,
    network,
    networkType,
    country,
    city,
    lat,
    lon,
    firstAt,
    lastAt,
    days,
    crossings,
    hours,
    weight,
    sensitive,
    sensitiveAt: sensitiveAfter === null ? null : firstAt + sensitiveAfter,
    stuffedAt: stuffedAfter === null ? null : firstAt + stuffedAfter,
    travelledAt: travelledAfter === null ? null : firstAt + travelledAfter,
    arrival: {
      baseline,
      newDevice: (newFlags & 1) !== 0,
      newNetwork: (newFlags & 2) !== 0,
      newCountry: (newFlags & 4) !== 0,
      anonymousShare,
      failures,
    },
  };
}
