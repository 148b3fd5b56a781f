import { hourBit, shiftDays } from './day-mask.ts';
import { decayFactor } from './decay.ts';
import { distanceKm } from './geo.ts';
import { advanceLines } from './lines.ts';
import { ANONYMISING_TYPES, type NetworkType } from './network-type.ts';
import { isHandheld, type NetworkFacts, type Observation } from './observation.ts';
import type { RiskProfile } from './profile.ts';
import type { SignalName } from './signals.ts';

/**
 * One way a user shows up: a device (type, OS and browser) on a network (the
 * ASN, or the /24 when the ASN is unknown) in a country. A person usually has
 * a few (a laptop at home, a phone on mobile data, a laptop at the office);
 * how personas come, recur and go is what tells sharing and takeover from
 * ordinary life (see verdict.ts).
 */
export interface Persona {
  /** `device|network|country`, each part empty when unknown (derived again on load, not stored). */
  key: string;
  device: string | null;
  /** `AS3320`, or the subnet when the ASN is unknown. */
  network: string | null;
  /** The network's type as last seen (`isp`, `mobile`, `business`, `hosting`, `vpn`, `tor`), when known. */
  networkType: NetworkType | null;
  country: string | null;
  /** The last known city and coordinates (they may move within a country: a phone on a mobile network). */
  city: string | null;
  lat: number | null;
  lon: number | null;
  firstAt: number;
  lastAt: number;
  /** Bit d set: active on the UTC day d days before the profile's newest day (the last PERSONA_DAYS days). */
  days: number;
  /**
   * Bit d set: on that day one of its events came within CROSSING_MS of an event of a persona in another
   * country (or more than FAR_KM away): two places at once, or a flight.
   */
  crossings: number;
  /** Bit h set: active in UTC hour h. */
  hours: number;
  /** Decayed event weight (WEIGHT_UNITs), faded like the profile's tallies. */
  weight: number;
  /** Sensitive actions seen (canonical kinds, first seen first) and when the first was. */
  sensitive: string[];
  sensitiveAt: number | null;
  /** When a successful login of this persona came from a credential-stuffing source. */
  stuffedAt: number | null;
  /** When one of its events arrived by a trip no airliner could make from the user's last place. */
  travelledAt: number | null;
  /** The account as this persona found it. */
  arrival: Arrival;
}

/** What the account looked like just before a persona first appeared. */
export interface Arrival {
  /** The profile's decayed event count: how established the owner's baseline was. */
  baseline: number;
  newDevice: boolean;
  newNetwork: boolean;
  newCountry: boolean;
  /** Share of the personas' weight on anonymous networks (hosting, VPN, Tor). */
  anonymousShare: number;
  /** Failed logins in the hour before it. */
  failures: number;
}

/** Personas kept per user; the faintest goes first. */
export const MAX_PERSONAS = 8;
/** Days of activity each persona remembers (a bitmask: one 32-bit integer). */
export const PERSONA_DAYS = 28;
/** Two events this close in different countries (or FAR_KM apart) are a crossing. */
const CROSSING_MS = 12 * 3_600_000;
/** Farther than this apart, two places are not one person's day. */
export const FAR_KM = 300;

const DAY_MS = 86_400_000;
const FORGOTTEN = 2;

/**
 * Event kinds that change how an account is reached or paid out, canonical
 * form first. Kinds match case-insensitively, with `-`, `.` and spaces read
 * as `_` (`Password-Change`, `mfa.reset`).
 */
const SENSITIVE_KINDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    password_change: ['password_change', 'password_changed', 'password_reset', 'change_password', 'reset_password'],
    mfa_change: ['mfa_change', 'mfa_changed', 'mfa_reset', 'mfa_disabled', 'mfa_disable', '2fa_change', '2fa_reset'],
    email_change: ['email_change', 'email_changed', 'change_email'],
    payout_change: ['payout_change', 'payout_changed', 'payout_added', 'new_payout', 'new_payee', 'payee_added'],
    recovery_change: ['recovery_change', 'recovery_changed', 'phone_change', 'recovery_email_change'],
  }).flatMap(([canonical, variants]) => variants.map((variant) => [variant, canonical] as [string, string])),
);

/** The kind's canonical sensitive action, or null for an ordinary event. */
export function sensitiveKind(kind: string): string | null {
  return SENSITIVE_KINDS.get(kind.toLowerCase().replace(/[-. ]/g, '_')) ?? null;
}

/** The account's first hosting, VPN or Tor network: a newcomer on one had less than 5% of the account there. */
export function isFirstAnonymous(persona: Persona): boolean {
  return isAnonymous(persona.networkType) && persona.arrival.newNetwork && persona.arrival.anonymousShare < 0.05;
}

/** Hosting, VPN and Tor hide where a client really is. */
export function isAnonymous(networkType: NetworkType | null): boolean {
  return networkType !== null && ANONYMISING_TYPES.has(networkType);
}

/** The UTC day number of a time. */
export function dayOf(at: number): number {
  return Math.floor(at / DAY_MS);
}

/** A persona's key, from the parts that tell personas apart. */
export function personaKey(
  device: string | null,
  network: string | null,
  country: string | null,
  networkType: NetworkType | null = null,
): string {
  // An anonymous network's country is where the exit the client picked stands, not where the user is:
  // one device on one VPN or hosting network is one persona whichever exit it uses.
  return `${device ?? ''}|${network ?? ''}|${isAnonymous(networkType) ? '' : (country ?? '')}`;
}

/** The network as personas name it: the ASN, or the /24 when the ASN is unknown. */
export function networkOf(network: NetworkFacts): string | null {
  if (network.asn !== null) return `AS${network.asn}`;
  return network.scope === 'public' ? network.subnet : null;
}

/** The device as personas name it: its type and OS family with the browser. */
export function deviceOf(observation: Observation): string | null {
  const { device, browser } = observation.client;
  if (device === null) return browser;
  return browser === null ? device : `${device} ${browser}`;
}

/**
 * Bumped whenever something a verdict reads changes, the account's home
 * lines included (verdict.ts caches on it): most events only add weight to
 * the persona that was already the newest, on a day and hour it already had,
 * and change no verdict.
 */
const versions = new WeakMap<Persona[], number>();

/** The personas' version: unchanged while nothing a verdict reads has changed. */
export function personasVersion(personas: Persona[]): number {
  return versions.get(personas) ?? 0;
}

/**
 * Moves the profile's personas forward with one event the user made (not a
 * failed login: a guess must not become a persona). Runs before the rest of
 * the profile moves, so it sees the account as the event found it.
 * `signals` are the event's own (credential stuffing marks the persona).
 */
export function advancePersonas(profile: RiskProfile, observation: Observation, signals: readonly SignalName[]): void {
  const { at, network } = observation;
  const personas = profile.personas;
  const version = personasVersion(personas);
  let changed = false;
  const before = profile.at;
  const now = before === null ? at : Math.max(before, at);
  // Age every persona to the newest day and weight.
  const shift = before === null ? 0 : dayOf(now) - dayOf(before);
  const fade = before === null ? 1 : decayFactor(now - before);
  if (shift > 0 || fade !== 1) {
    if (shift > 0) changed = true;
    let kept = 0;
    for (const persona of personas) {
      persona.days = shiftDays(persona.days, shift, PERSONA_DAYS);
      persona.crossings = shiftDays(persona.crossings, shift, PERSONA_DAYS);
      persona.weight = Math.round(persona.weight * fade);
      if (persona.weight >= FORGOTTEN) personas[kept++] = persona;
    }
    if (kept !== personas.length) changed = true;
    personas.length = kept;
  }

  const device = deviceOf(observation);
  const net = networkOf(network);
  const key = personaKey(device, net, network.country, network.type);
  let persona = personas.find((held) => held.key === key);
  const latest = newestOf(personas);
  if (persona === undefined) {
    persona = {
      key,
      device,
      network: net,
      networkType: null,
      country: network.country,
      city: null,
      lat: null,
      lon: null,
      firstAt: at,
      lastAt: at,
      days: 0,
      crossings: 0,
      hours: 0,
      weight: 0,
      sensitive: [],
      sensitiveAt: null,
      stuffedAt: null,
      travelledAt: null,
      arrival: arrivalOf(profile, observation, device, net, now),
    };
    personas.push(persona);
    changed = true;
  }
  // A persona that was not the newest changes how personas follow one another.
  if (latest !== persona && at > persona.lastAt) changed = true;
  const { networkType, country, city, lat, lon, firstAt, days, crossings, hours, sensitiveAt, stuffedAt, travelledAt } =
    persona;

  if (network.type !== null && network.type !== 'unknown') persona.networkType = network.type;
  if (at >= persona.lastAt) persona.country = network.country;
  if (at >= persona.lastAt || persona.lat === null) {
    if (network.city !== null) persona.city = network.city;
    // A country's centre says no more than the country does.
    if (network.lat !== null && network.lon !== null && network.placeSource !== 'country') {
      persona.lat = Math.round(network.lat * 100) / 100;
      persona.lon = Math.round(network.lon * 100) / 100;
    }
  }
  persona.firstAt = Math.min(persona.firstAt, at);
  persona.lastAt = Math.max(persona.lastAt, at);
  const age = dayOf(now) - dayOf(at);
  if (age < PERSONA_DAYS) persona.days |= 1 << age;
  persona.hours |= hourBit(at);
  persona.weight = Math.round(persona.weight + 1000 * decayFactor(now - at));
  if (latest !== undefined && latest !== persona && age < PERSONA_DAYS && crosses(latest, persona, at)) {
    persona.crossings |= 1 << age;
  }
  const sensitive = sensitiveKind(observation.kind);
  if (sensitive !== null) {
    if (!persona.sensitive.includes(sensitive)) {
      persona.sensitive.push(sensitive);
      changed = true;
    }
    persona.sensitiveAt = Math.min(persona.sensitiveAt ?? at, at);
  }
  if (observation.outcome !== 'failure' && signals.includes('credential_stuffing')) {
    persona.stuffedAt = Math.min(persona.stuffedAt ?? at, at);
  }
  if (observation.outcome !== 'failure' && signals.includes('impossible_travel')) {
    persona.travelledAt = Math.min(persona.travelledAt ?? at, at);
  }
  if (personas.length > MAX_PERSONAS) {
    dropFaintest(personas, persona);
    changed = true;
  }
  changed ||=
    networkType !== persona.networkType ||
    country !== persona.country ||
    city !== persona.city ||
    lat !== persona.lat ||
    lon !== persona.lon ||
    firstAt !== persona.firstAt ||
    days !== persona.days ||
    crossings !== persona.crossings ||
    hours !== persona.hours ||
    sensitiveAt !== persona.sensitiveAt ||
    stuffedAt !== persona.stuffedAt ||
    travelledAt !== persona.travelledAt;
  if (advanceLines(profile.lines, observation, net, device, shift, age, PERSONA_DAYS)) changed = true;
  if (changed) versions.set(personas, version + 1);
}

function arrivalOf(
  profile: RiskProfile,
  observation: Observation,
  device: string | null,
  net: string | null,
  now: number,
): Arrival {
  const { values } = profile;
  const known = (tally: ReadonlyArray<[string, number]>, value: string | null) =>
    value === null || tally.some(([held]) => held === value);
  let total = 0;
  let anonymous = 0;
  for (const persona of profile.personas) {
    total += persona.weight;
    if (isAnonymous(persona.networkType)) anonymous += persona.weight;
  }
  const { network } = observation;
  return {
    baseline: profile.at === null ? 0 : Math.round((profile.weight / 1000) * decayFactor(now - profile.at) * 10) / 10,
    newDevice: device !== null && !profile.personas.some((persona) => persona.device === device),
    newNetwork:
      net !== null &&
      (network.asn === null ? !known(values.subnet, network.subnet) : !known(values.asn, String(network.asn))),
    newCountry: !known(values.country, network.country),
    anonymousShare: total === 0 ? 0 : Math.round((anonymous / total) * 100) / 100,
    failures: profile.failures.filter((failure) => failure <= observation.at && observation.at - failure <= 3_600_000)
      .length,
  };
}

/** The persona with the newest event. */
function newestOf(personas: readonly Persona[]): Persona | undefined {
  let newest: Persona | undefined;
  for (const persona of personas) if (newest === undefined || persona.lastAt > newest.lastAt) newest = persona;
  return newest;
}

/** Whether an event of `to` at `at`, right after the newest event of `from`, puts the user in two far places. */
function crosses(from: Persona, to: Persona, at: number): boolean {
  if (Math.abs(at - from.lastAt) > CROSSING_MS) return false;
  // An anonymous network's address is where its server is, a mobile one's where its gateway is (roaming).
  if (!placed(from) || !placed(to)) return false;
  return farApart(from, to);
}

/**
 * Whether a persona's addresses say where its user is. Mobile data keeps a
 * roaming phone's home addresses, and carriers that run mobile and fixed
 * lines on one AS are typed `isp`, so a phone or tablet without producer
 * coordinates may be roaming on any of them.
 */
function placed(persona: Persona): boolean {
  return networkSaysWhere(persona.networkType) && !(isHandheld(persona.device) && persona.lat === null);
}

/** Whether a network's addresses can say where its user is: not a VPN's or hoster's exit, nor a mobile carrier's gateway. */
export function networkSaysWhere(networkType: NetworkType | null): boolean {
  return networkType !== 'mobile' && !isAnonymous(networkType);
}

/**
 * Whether two personas are more than FAR_KM apart where both are located, else in different countries.
 * Where a client is located, its place says where it is: its address's country may be a roaming phone's
 * home carrier's (a traveller's phone on hotel Wi-Fi and on its home carrier, both in Melbourne), or a
 * neighbour's across a border.
 */
export function farApart(a: Persona, b: Persona): boolean {
  if (a.lat !== null && a.lon !== null && b.lat !== null && b.lon !== null)
    return distanceKm({ lat: a.lat, lon: a.lon }, { lat: b.lat, lon: b.lon }) > FAR_KM;
  return a.country !== null && b.country !== null && a.country !== b.country;
}

/**
 * Drops one persona other than the one just seen: first one no longer active
 * in the remembered weeks, then the faintest ordinary one. A persona that
 * changed a password or MFA, came from a stuffing source, arrived by
 * impossible travel or was the account's first anonymous network goes last:
 * it is what takeover and stuffing verdicts are made of, and a traveller's
 * hotels or a new phone's networks must not push it out while it still
 * speaks for the account.
 */
function dropFaintest(personas: Persona[], current: Persona): void {
  const tier = (persona: Persona) => (persona.days === 0 ? 0 : 2) + (holdsEvidence(persona) ? 1 : 0);
  let faintest: Persona | undefined;
  for (const persona of personas) {
    if (persona === current) continue;
    if (
      faintest === undefined ||
      tier(persona) < tier(faintest) ||
      (tier(persona) === tier(faintest) && persona.weight <= faintest.weight)
    )
      faintest = persona;
  }
  if (faintest !== undefined) personas.splice(personas.indexOf(faintest), 1);
}

/** Whether a persona did what takeover and stuffing verdicts rest on. */
function holdsEvidence(persona: Persona): boolean {
  return (
    persona.sensitiveAt !== null ||
    persona.stuffedAt !== null ||
    persona.travelledAt !== null ||
    isFirstAnonymous(persona)
  );
}

export function copyPersona(persona: Persona): Persona {
  return { ...persona, sensitive: [...persona.sensitive], arrival: { ...persona.arrival } };
}
