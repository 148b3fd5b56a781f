import { DEFAULT_BASELINE } from './baseline.ts';
import { bitCount } from './day-mask.ts';
import { distanceKm } from './geo.ts';
import type { Line } from './lines.ts';
import {
  dayOf,
  FAR_KM,
  farApart,
  isAnonymous,
  isFirstAnonymous,
  PERSONA_DAYS,
  type Persona,
  personasVersion,
} from './personas.ts';
import type { RiskProfile } from './profile.ts';
import type { Evidence } from './signals.ts';
import { round } from './signals.ts';

/**
 * What the account as a whole looks like, beside the per-event scores:
 * taken over, shared by more than one person, or reached by credential
 * stuffing. Decided from the profile's personas alone (see personas.ts).
 */
export type VerdictKind = 'takeover' | 'sharing' | 'stuffing';

export interface VerdictEvidence {
  message: string;
  values: Evidence;
}

export interface Verdict {
  kind: VerdictKind;
  /** 0–1: pieces of evidence combine like the signals of an event score, 1 − Π(1 − weight). */
  confidence: number;
  /** When what the verdict describes began (epoch ms). */
  since: number;
  /** Strongest first. */
  evidence: VerdictEvidence[];
}

const DAY_MS = 86_400_000;
/** No verdict below this confidence: an analyst must be able to trust one. */
export const VERDICT_MIN_CONFIDENCE = 0.5;
/** The owner's baseline a takeover is judged against: a newcomer's few events prove nothing. */
const TAKEOVER_MIN_BASELINE = 8;
/** A takeover's sensitive actions come this soon after its persona first appears. */
const SENSITIVE_WINDOW_MS = 24 * 3_600_000;
/** Sharing: each persona active on this many days of the weeks they share, over at least SHARING_MIN_SPAN_DAYS. */
const SHARING_MIN_DAYS = 4;
const SHARING_MIN_SPAN_DAYS = 10;
/** Days on which the two alternate (one active, then the other), at least. */
const SHARING_MIN_SWITCHES = 3;
/**
 * A second person on a device of their own in a far place is told apart sooner: each active on this many
 * days of a span this long.
 */
const EARLY_MIN_DAYS = 3;
const EARLY_MIN_SPAN_DAYS = 5;
/** Separate runs of days a far persona comes back in, at least, where a trip would be one or two. */
const SHARING_MIN_RUNS = 3;
/** The owner's baseline a newcomer beside an anonymous owner must find: arriving on an established account. */
const SHARING_MIN_BASELINE = 8;

/** How long an account must have been seen before a device can be one it never had (baseline.ts). */
const BASELINE_MS = DEFAULT_BASELINE.minDays * DAY_MS;

/** Evidence weights: how far each piece alone goes towards a verdict. */
const WEIGHTS = {
  sensitiveSoon: 0.6,
  newAnonymousNetwork: 0.5,
  ownerQuiet: 0.35,
  ownerElsewhere: 0.3,
  newCountry: 0.25,
  failuresBefore: 0.15,
  /** Five or more: guessing, not a mistyped password. */
  manyFailuresBefore: 0.35,
  newDeviceAndNetwork: 0.15,
  /** Device, network and country all new: nothing of the owner's came with it (a traveller keeps their device). */
  stranger: 0.35,
  /** Its first day came by a trip no airliner could make from where the owner just was. */
  impossibleArrival: 0.35,
  stuffed: 0.8,
  stuffedThenSensitive: 0.5,
  recurring: 0.4,
  recurringLong: 0.55,
  apartPlaces: 0.35,
  secondHome: 0.25,
  secondLine: 0.3,
  crossings: 0.3,
  besideAnonymous: 0.35,
} as const;

interface Piece {
  weight: number;
  message: string;
  values: Evidence;
}

/**
 * The last verdict per personas array, with the version and day it was decided
 * for: scoring asks on every event, and most events change nothing it reads.
 */
const decided = new WeakMap<Persona[], { version: number; day: number; verdicts: readonly Verdict[] }>();

/**
 * The user's verdict from their profile, or null when nothing is confident
 * enough: when several kinds qualify, the most confident.
 */
export function verdictOf(profile: RiskProfile): Verdict | null {
  return verdictsOf(profile)[0] ?? null;
}

/**
 * Every kind of verdict the profile is confident enough of, most confident
 * first (an account can be shared and also reached by stuffing). They depend
 * only on the personas and the profile's newest day, so they are decided
 * again only when either changes (callers must not mutate them).
 */
export function verdictsOf(profile: RiskProfile): readonly Verdict[] {
  if (profile.at === null) return [];
  const version = personasVersion(profile.personas);
  const day = dayOf(profile.at);
  const held = decided.get(profile.personas);
  if (held !== undefined && held.version === version && held.day === day) return held.verdicts;
  const verdicts = decide(profile.personas, profile.lines, profile.at);
  decided.set(profile.personas, { version, day, verdicts });
  return verdicts;
}

function decide(personas: readonly Persona[], lines: readonly Line[], now: number): Verdict[] {
  // Only personas of the remembered weeks speak for the account now.
  const recent = personas.filter((persona) => persona.days !== 0);
  const candidates = [
    ...recent.map((persona) => stuffingVerdict(persona)),
    ...recent.map((persona) => takeoverVerdict(persona, recent, now)),
    sharingVerdict(recent, now),
    secondHousehold(lines, recent, now),
  ].filter((verdict): verdict is Verdict => verdict !== null && verdict.confidence >= VERDICT_MIN_CONFIDENCE);
  // The most confident of each kind, most confident first (the first found on a tie).
  const best = new Map<VerdictKind, Verdict>();
  for (const verdict of candidates) {
    const held = best.get(verdict.kind);
    if (held === undefined || verdict.confidence > held.confidence) best.set(verdict.kind, verdict);
  }
  const order = candidates.filter((verdict) => best.get(verdict.kind) === verdict);
  order.sort((a, b) => b.confidence - a.confidence);
  // Getting in with stuffed credentials is how a takeover starts: once the newcomer changes the password or
  // MFA, the account is taken over, however confident the stuffing verdict.
  const stuffing = order.findIndex((verdict) => verdict.kind === 'stuffing');
  const takeover = order.findIndex(
    (verdict) => verdict.kind === 'takeover' && verdict.evidence.some(({ values }) => values.sensitive !== undefined),
  );
  if (stuffing !== -1 && takeover > stuffing) order.splice(stuffing, 0, ...order.splice(takeover, 1));
  return order;
}

function verdict(kind: VerdictKind, since: number, pieces: Piece[]): Verdict | null {
  if (pieces.length === 0) return null;
  let clean = 1;
  for (const piece of pieces) clean *= 1 - piece.weight;
  return {
    kind,
    confidence: round(1 - clean, 2),
    since,
    evidence: pieces.sort((a, b) => b.weight - a.weight).map(({ message, values }) => ({ message, values })),
  };
}

function describe(persona: Persona): string {
  const where = [persona.city, persona.country].filter((part) => part !== null).join(', ');
  return `${persona.device ?? 'an unknown device'} on ${persona.network ?? 'an unknown network'}${where === '' ? '' : ` in ${where}`}`;
}

function personaValues(persona: Persona, prefix = 'persona'): Evidence {
  return {
    [`${prefix}Device`]: persona.device,
    [`${prefix}Network`]: persona.network,
    [`${prefix}NetworkType`]: persona.networkType,
    [`${prefix}Country`]: persona.country,
    [`${prefix}FirstSeen`]: new Date(persona.firstAt).toISOString(),
  };
}

/**
 * A login from a source failing across many accounts succeeded as a persona
 * that came with it, on a network new to the account (a user's own crowded
 * network at peak time is not stuffing).
 */
function stuffingVerdict(persona: Persona): Verdict | null {
  if (persona.stuffedAt === null || !persona.arrival.newNetwork) return null;
  if (persona.stuffedAt - persona.firstAt > SENSITIVE_WINDOW_MS) return null;
  const pieces: Piece[] = [
    {
      weight: WEIGHTS.stuffed,
      message: `Logged in from a credential-stuffing source (many accounts failing) as ${describe(persona)}, a network new to the account`,
      values: {
        signal: 'credential_stuffing',
        at: new Date(persona.stuffedAt).toISOString(),
        ...personaValues(persona),
      },
    },
  ];
  if (persona.sensitive.length > 0) {
    pieces.push({
      weight: WEIGHTS.stuffedThenSensitive,
      message: `Then sensitive actions: ${persona.sensitive.join(', ')}`,
      values: { sensitive: persona.sensitive.join(','), sensitiveAt: isoOrNull(persona.sensitiveAt) },
    });
  }
  return verdict('stuffing', persona.stuffedAt, pieces);
}

/**
 * A persona new to a mature account (a network or country it never used) that
 * acts like an intruder: sensitive actions right away, an anonymous network on
 * an account that never used one, the owner still active far away at the same
 * time, or the owner gone quiet since it came.
 */
function takeoverVerdict(candidate: Persona, recent: readonly Persona[], now: number): Verdict | null {
  const { arrival } = candidate;
  if (arrival.baseline < TAKEOVER_MIN_BASELINE || !(arrival.newNetwork || arrival.newCountry)) return null;
  const owners = recent.filter((persona) => persona !== candidate && persona.firstAt < candidate.firstAt);
  if (owners.length === 0) return null;
  const pieces: Piece[] = [];
  const baseline = { baselineEvents: arrival.baseline };
  if (candidate.sensitiveAt !== null && candidate.sensitiveAt - candidate.firstAt <= SENSITIVE_WINDOW_MS) {
    const hours = round((candidate.sensitiveAt - candidate.firstAt) / 3_600_000, 1);
    pieces.push({
      weight: WEIGHTS.sensitiveSoon,
      message: `Sensitive actions (${candidate.sensitive.join(', ')}) ${hours} h after ${describe(candidate)} first appeared`,
      values: { sensitive: candidate.sensitive.join(','), hoursAfterFirstSeen: hours, ...personaValues(candidate) },
    });
  }
  if (isFirstAnonymous(candidate)) {
    pieces.push({
      weight: WEIGHTS.newAnonymousNetwork,
      message: `First ${candidate.networkType} network (${candidate.network}) on an account that never used an anonymous network`,
      values: { anonymousShareBefore: arrival.anonymousShare, ...baseline, ...personaValues(candidate) },
    });
  }
  if (arrival.newCountry && !isAnonymous(candidate.networkType)) {
    pieces.push({
      weight: WEIGHTS.newCountry,
      message: `First login from ${candidate.country} after ${arrival.baseline} events elsewhere`,
      values: { country: candidate.country, ...baseline },
    });
  }
  // The owner still at home, far away, the day after it came (a traveller's
  // home stays quiet while away), or back within hours the day it came. A
  // mobile network's address says little about where its user is (roaming).
  const firstDay = dayOf(now) - dayOf(candidate.firstAt);
  const elsewhere = owners.find(
    (owner) =>
      owner.networkType !== 'mobile' &&
      !isAnonymous(owner.networkType) &&
      farApart(owner, candidate) &&
      owner.lastAt > candidate.firstAt &&
      (bitAt(owner.days, firstDay - 1) || bitAt(owner.crossings, firstDay)),
  );
  if (elsewhere !== undefined && !isAnonymous(candidate.networkType)) {
    pieces.push({
      weight: WEIGHTS.ownerElsewhere,
      message: `The owner's ${describe(elsewhere)} was still active far away, that day or the next`,
      values: personaValues(elsewhere, 'owner'),
    });
  }
  const quietSince = owners.every((owner) => owner.lastAt < candidate.firstAt);
  if (quietSince && arrival.newDevice && firstDay >= 2 && bitCount(candidate.days) >= 2) {
    pieces.push({
      weight: WEIGHTS.ownerQuiet,
      message: `The owner's devices have been quiet since ${describe(candidate)} appeared`,
      values: { quietDays: firstDay, ...personaValues(candidate) },
    });
  }
  // A newcomer that takes turns with the owner day after day is a second user: sharing tells it, so neither
  // an impossible arrival nor a stranger's arrival speaks for takeover then.
  const secondUser = alternates(candidate, owners);
  const travelled = candidate.travelledAt;
  if (travelled !== null && travelled - candidate.firstAt <= SENSITIVE_WINDOW_MS && !secondUser) {
    pieces.push({
      weight: WEIGHTS.impossibleArrival,
      message: `${describe(candidate)} came by a trip no airliner could make from the owner's last place`,
      values: { signal: 'impossible_travel', at: new Date(travelled).toISOString(), ...personaValues(candidate) },
    });
  }
  if (pieces.length === 0) return null;
  if (arrival.failures >= 2) {
    pieces.push({
      weight: arrival.failures >= 5 ? WEIGHTS.manyFailuresBefore : WEIGHTS.failuresBefore,
      message: `${arrival.failures} failed logins in the hour before it first got in`,
      values: { failuresBefore: arrival.failures },
    });
  }
  if (arrival.newDevice && arrival.newNetwork) {
    const stranger = arrival.newCountry && !isAnonymous(candidate.networkType) && !secondUser;
    pieces.push({
      weight: stranger ? WEIGHTS.stranger : WEIGHTS.newDeviceAndNetwork,
      message: stranger
        ? 'A device, a network and a country all new to the account'
        : 'A device and a network both new to the account',
      values: { newDevice: true, newNetwork: true, ...(stranger ? { newCountry: true } : {}), ...baseline },
    });
  }
  return verdict('takeover', candidate.firstAt, pieces);
}

/** Whether a persona and the owner's personas take turns on the account often enough to be two users. */
function alternates(candidate: Persona, owners: readonly Persona[]): boolean {
  let ownerMask = 0;
  for (const owner of owners) ownerMask |= owner.days;
  return (together(ownerMask, candidate.days)?.switches ?? 0) >= SHARING_MIN_SWITCHES;
}

/**
 * Two personas that keep coming back over the same weeks, alternating, as two
 * people would: on different devices, and in different places or on two home
 * lines. One person's laptop at home and phone on mobile data, or a laptop
 * taken between home and office, are bridged by a device seen on both
 * networks, and a mobile or anonymous network says nothing about place.
 */
function sharingVerdict(recent: readonly Persona[], now: number): Verdict | null {
  let best: { verdict: Verdict; days: number } | null = null;
  const groups = devicesInPlaces(recent);
  const steady = [...groups.keys()].filter((persona) => bitCount(persona.days) >= EARLY_MIN_DAYS);
  for (let i = 0; i < steady.length; i += 1) {
    for (let j = i + 1; j < steady.length; j += 1) {
      const [first, second] = [steady[i] as Persona, steady[j] as Persona].sort((a, b) => a.firstAt - b.firstAt) as [
        Persona,
        Persona,
      ];
      const found = sharedPair(first, second, recent, now, groups);
      if (found === null) continue;
      // Of equally confident pairs, the one seen on the most days speaks best for it.
      const [a, b] = [bitCount(first.days), bitCount(second.days)];
      const days = Math.min(a, b) * 100 + a + b;
      if (
        best === null ||
        found.confidence > best.verdict.confidence ||
        (found.confidence === best.verdict.confidence && days > best.days)
      )
        best = { verdict: found, days };
    }
  }
  for (const other of recent.filter((persona) => bitCount(persona.days) >= EARLY_MIN_DAYS)) {
    const found = besideAnonymousOwner(other, recent, now);
    if (found !== null && (best === null || found.confidence > best.verdict.confidence))
      best = { verdict: found, days: 0 };
  }
  return best?.verdict ?? null;
}

/**
 * One device in one country on fixed lines (or on mobile data), however many
 * networks it used there, is one person's: a second person's home line and
 * the carrier or café beside it would otherwise each count only part of
 * their days. Each group is one persona with the days, hours and crossings of
 * all its members, the place of its latest located member, the arrival of its
 * first; mapped to its members. Anonymous networks say nothing of place and
 * are left out.
 */
function devicesInPlaces(recent: readonly Persona[]): Map<Persona, Persona[]> {
  const byKey = new Map<string, Persona[]>();
  for (const persona of recent) {
    if (isAnonymous(persona.networkType)) continue;
    const key = `${persona.device}|${persona.country}|${persona.networkType === 'mobile'}`;
    const members = byKey.get(key);
    if (members === undefined) byKey.set(key, [persona]);
    else members.push(persona);
  }
  const groups = new Map<Persona, Persona[]>();
  for (const members of byKey.values()) {
    if (members.length === 1) {
      groups.set(members[0] as Persona, members);
      continue;
    }
    const heaviest = members.reduce((a, b) => (b.weight > a.weight ? b : a));
    const first = members.reduce((a, b) => (b.firstAt < a.firstAt ? b : a));
    const located = members
      .filter((member) => member.lat !== null)
      .reduce<Persona | null>((a, b) => (a === null || b.lastAt > a.lastAt ? b : a), null);
    const group: Persona = { ...heaviest, arrival: first.arrival, firstAt: first.firstAt };
    for (const member of members) {
      group.lastAt = Math.max(group.lastAt, member.lastAt);
      group.days |= member.days;
      group.crossings |= member.crossings;
      group.hours |= member.hours;
    }
    if (located !== null) [group.city, group.lat, group.lon] = [located.city, located.lat, located.lon];
    groups.set(group, members);
  }
  return groups;
}

function sharedPair(
  owner: Persona,
  other: Persona,
  all: readonly Persona[],
  now: number,
  groups: ReadonlyMap<Persona, readonly Persona[]> = new Map(),
): Verdict | null {
  const overlap = together(owner.days, other.days);
  if (overlap === null) return null;
  const { span, ownerDays, otherDays, switches } = overlap;
  if (switches < SHARING_MIN_SWITCHES) return null;
  const long = span >= SHARING_MIN_SPAN_DAYS && ownerDays >= SHARING_MIN_DAYS && otherDays >= SHARING_MIN_DAYS;
  const early = span >= EARLY_MIN_SPAN_DAYS && ownerDays >= EARLY_MIN_DAYS && otherDays >= EARLY_MIN_DAYS;
  if (!long && !early) return null;

  const pieces: Piece[] = [];
  const far = farApart(owner, other);
  // Either side switching in from far away within hours, day after day, is two people at once.
  const crossingDays = far ? Math.max(bitCount(owner.crossings), bitCount(other.crossings)) : 0;
  // A roaming phone keeps its home carrier's addresses: beside one, the far persona must come and go
  // between the phone's days (three separate runs of days at least), not stay for a trip or two.
  const mobiles = (owner.networkType === 'mobile' ? 1 : 0) + (other.networkType === 'mobile' ? 1 : 0);
  const fixed = owner.networkType === 'mobile' ? other : owner;
  const bridged = owner.device === other.device || bridges(owner, other, all, groups);
  // A device the account never had, never seen on the owner's networks: not the owner travelling with
  // their own, so its place speaks from its first days, beside a roaming phone too. Only an account with a
  // baseline can never have had a device: in its first days every device is new, the owner's own too.
  const otherMembers = groups.get(other) ?? [other];
  const ownDevice =
    !bridged &&
    all.some((persona) => !otherMembers.includes(persona) && persona.firstAt <= other.firstAt - BASELINE_MS) &&
    !all.some(
      (persona) =>
        !otherMembers.includes(persona) && persona.device === other.device && persona.firstAt < other.firstAt,
    );
  const apart =
    far && (mobiles === 0 || (mobiles === 1 && ((long && runsOf(fixed.days) >= SHARING_MIN_RUNS) || ownDevice)));
  // Back and forth within hours on several days is never a trip, whatever the devices.
  if (!long && !(apart && ownDevice) && crossingDays < SHARING_MIN_SWITCHES) return null;
  // One person's device, or a third persona, can bridge two places only by travelling: a trip is one run
  // of days away while the home line rests. Two fixed lines far apart, the later one coming and going in
  // several runs between the other's days, are two people however alike their devices.
  const runs = runsOf(other.days);
  const interleaved = far && mobiles === 0 && runs >= SHARING_MIN_RUNS && switches >= 2 * SHARING_MIN_RUNS - 1;
  if (bridged && crossingDays < SHARING_MIN_SWITCHES && !interleaved) return null;
  if (apart) {
    pieces.push({
      weight: WEIGHTS.apartPlaces,
      message: `Used from two places: ${describe(owner)} and ${describe(other)}`,
      values: { ...personaValues(owner, 'first'), ...personaValues(other, 'second') },
    });
  } else if (
    owner.networkType === 'isp' &&
    other.networkType === 'isp' &&
    owner.network !== other.network &&
    bitCount(owner.hours & other.hours) >= 2
  ) {
    pieces.push({
      weight: WEIGHTS.secondHome,
      message: `Two home lines at the same hours of the day: ${describe(owner)} and ${describe(other)}`,
      values: {
        sharedHours: bitCount(owner.hours & other.hours),
        ...personaValues(owner, 'first'),
        ...personaValues(other, 'second'),
      },
    });
  }
  if (crossingDays >= SHARING_MIN_SWITCHES) {
    pieces.push({
      weight: WEIGHTS.crossings,
      message: `Back and forth between far places within hours on ${crossingDays} days`,
      values: { crossingDays },
    });
  }
  if (pieces.length === 0) return null;
  pieces.push(recurring(span, ownerDays, otherDays, switches));
  const since = Math.max(other.firstAt, rememberedFrom(now));
  return verdict('sharing', since, pieces);
}

/**
 * A second household on the owner's own provider: one of the account's home
 * lines keeps coming back, at the hours the others are used, while the
 * account's other addresses there move on as a provider reassigns them, with
 * a device never seen on those. One household shares one address at a time,
 * and a reassigned address does not come back, so the two lines are in use
 * side by side. Someone who takes their laptop between home and office uses
 * both at different hours, with the same devices. A device the account never
 * had before the line came, on an account with a baseline, is told sooner,
 * as a newcomer's own device in a far place is.
 */
function secondHousehold(lines: readonly Line[], personas: readonly Persona[], now: number): Verdict | null {
  let best: Verdict | null = null;
  for (const line of lines) {
    if (bitCount(line.days) < EARLY_MIN_DAYS) continue;
    let days = 0;
    let hours = 0;
    const devices = new Set<string>();
    for (const other of lines) {
      if (other === line || other.network !== line.network) continue;
      days |= other.days;
      hours |= other.hours;
      for (const device of other.devices) devices.add(device);
    }
    const overlap = together(days, line.days);
    if (overlap === null) continue;
    const { span, ownerDays, otherDays, switches } = overlap;
    if (switches < SHARING_MIN_SWITCHES || bitCount(hours & line.hours) < 2) continue;
    const own = line.devices.filter((device) => !devices.has(device));
    if (own.length === 0) continue;
    const long = span >= SHARING_MIN_SPAN_DAYS && ownerDays >= SHARING_MIN_DAYS && otherDays >= SHARING_MIN_DAYS;
    const newcomer =
      own.some((device) => !personas.some((persona) => persona.device === device && persona.firstAt < line.firstAt)) &&
      personas.some((persona) => persona.firstAt <= line.firstAt - BASELINE_MS);
    const early = newcomer && span >= EARLY_MIN_SPAN_DAYS && ownerDays >= EARLY_MIN_DAYS && otherDays >= EARLY_MIN_DAYS;
    if (!long && !early) continue;
    const found = verdict('sharing', Math.max(line.firstAt, rememberedFrom(now)), [
      {
        weight: WEIGHTS.secondLine,
        message: `A second home line on ${line.network}: ${line.address} keeps coming back at the same hours as the account's other addresses there, with a device never seen on them (${own.join(', ')})`,
        values: {
          network: line.network,
          secondAddress: line.address,
          secondDevices: own.join(','),
          sharedHours: bitCount(hours & line.hours),
          secondFirstSeen: new Date(line.firstAt).toISOString(),
        },
      },
      recurring(span, ownerDays, otherDays, switches),
    ]);
    if (found !== null && (best === null || found.confidence > best.confidence)) best = found;
  }
  return best;
}

/**
 * An owner who only ever shows up through VPN or hosting networks says
 * nothing of where they are, and their personas split by exit. Taken
 * together as one owner, a persona on an ordinary line that arrived on such
 * an established account and then recurs alongside it is someone else when
 * it is on a device the owner never used (and never crosses to the owner's
 * networks), or when producer coordinates put the two far apart. A new phone
 * that replaced the owner's old one displaced it: the owner's personas of
 * the same kind of device must still be active after it came.
 */
function besideAnonymousOwner(other: Persona, all: readonly Persona[], now: number): Verdict | null {
  const { arrival } = other;
  if (isAnonymous(other.networkType) || arrival.baseline < SHARING_MIN_BASELINE || arrival.anonymousShare < 0.5)
    return null;
  const owners = all.filter((persona) => isAnonymous(persona.networkType) && persona.firstAt < other.firstAt);
  if (owners.length === 0) return null;
  let ownerMask = 0;
  for (const owner of owners) ownerMask |= owner.days;
  const overlap = together(ownerMask, other.days);
  if (overlap === null) return null;
  const { span, ownerDays, otherDays, switches } = overlap;
  if (span < EARLY_MIN_SPAN_DAYS || ownerDays < EARLY_MIN_DAYS || otherDays < EARLY_MIN_DAYS) return null;
  if (switches < SHARING_MIN_SWITCHES) return null;
  const located = owners.find((owner) => farByCoordinates(owner, other));
  const ownDevice = !owners.some((owner) => owner.device === other.device || bridges(owner, other, all));
  if (located === undefined && !ownDevice) return null;
  const kind = deviceKind(other.device);
  const displaced = all.some(
    (persona) =>
      persona !== other &&
      persona.firstAt < other.firstAt &&
      deviceKind(persona.device) === kind &&
      dayOf(persona.lastAt) <= dayOf(other.firstAt),
  );
  if (displaced) return null;
  const owner = located ?? (owners[0] as Persona);
  const pieces: Piece[] = [
    {
      weight: WEIGHTS.besideAnonymous,
      message:
        located === undefined
          ? `A device the owner never used, ${describe(other)}, beside the owner's anonymous networks (${owners.length} personas)`
          : `${describe(other)} far from where the owner's ${describe(located)} is`,
      values: {
        ...personaValues(owner, 'first'),
        ...personaValues(other, 'second'),
        ...(located === undefined ? {} : { distanceKm: Math.round(distanceOf(located, other)) }),
        baselineEvents: arrival.baseline,
        anonymousShareBefore: arrival.anonymousShare,
      },
    },
    recurring(span, ownerDays, otherDays, switches),
  ];
  const since = Math.max(other.firstAt, rememberedFrom(now));
  return verdict('sharing', since, pieces);
}

/** Two personas both active over the same days, taking turns: the core of every sharing verdict. */
function recurring(span: number, ownerDays: number, otherDays: number, switches: number): Piece {
  return {
    weight:
      otherDays >= 2 * SHARING_MIN_DAYS && ownerDays >= 2 * SHARING_MIN_DAYS
        ? WEIGHTS.recurringLong
        : WEIGHTS.recurring,
    message: `Both active over the same ${span} days (${ownerDays} and ${otherDays} days), alternating ${switches} times`,
    values: { spanDays: span, firstActiveDays: ownerDays, secondActiveDays: otherDays, switches },
  };
}

/** Whether both have coordinates (never a country's centre) more than FAR_KM apart. */
function farByCoordinates(a: Persona, b: Persona): boolean {
  return a.lat !== null && b.lat !== null && distanceOf(a, b) > FAR_KM;
}

function distanceOf(a: Persona, b: Persona): number {
  if (a.lat === null || a.lon === null || b.lat === null || b.lon === null) return Number.NaN;
  return distanceKm({ lat: a.lat, lon: a.lon }, { lat: b.lat, lon: b.lon });
}

/** The kind of device (`laptop`, `phone`, `mobile`, `desktop`), without its OS and browser. */
function deviceKind(device: string | null): string | null {
  return device === null ? null : (device.split('/')[0] as string);
}

/** The start of the oldest day personas remember. */
function rememberedFrom(now: number): number {
  return (dayOf(now) - (PERSONA_DAYS - 1)) * DAY_MS;
}

/** A third persona puts one of the pair's devices on the other's network: one person moving about. */
function bridges(
  a: Persona,
  b: Persona,
  all: readonly Persona[],
  groups: ReadonlyMap<Persona, readonly Persona[]> = new Map(),
): boolean {
  const membersA = groups.get(a) ?? [a];
  const membersB = groups.get(b) ?? [b];
  const networksA = new Set(membersA.map((persona) => persona.network));
  const networksB = new Set(membersB.map((persona) => persona.network));
  // Within a group, one of them on a network the other used is the same thing.
  if (membersA.length > 1 || membersB.length > 1)
    for (const network of networksA) if (networksB.has(network)) return true;
  return all.some(
    (persona) =>
      !membersA.includes(persona) &&
      !membersB.includes(persona) &&
      ((persona.device === a.device && networksB.has(persona.network)) ||
        (persona.device === b.device && networksA.has(persona.network))),
  );
}

/**
 * How two day masks (bit d = d days ago) overlap: the span from the later
 * first day to the earlier last day, each one's active days within it, and
 * how often the active one changes from day to day (a day both are active
 * counts as a change).
 */
export function together(
  a: number,
  b: number,
): { span: number; ownerDays: number; otherDays: number; switches: number } | null {
  if (a === 0 || b === 0) return null;
  const oldest = (mask: number) => 31 - Math.clz32(mask);
  const newest = (mask: number) => 31 - Math.clz32(mask & -mask);
  const from = Math.min(oldest(a), oldest(b));
  const to = Math.max(newest(a), newest(b));
  if (from < to) return null;
  const window = (2 ** (from + 1) - 1) & ~(2 ** to - 1);
  let switches = 0;
  let last: 'a' | 'b' | null = null;
  for (let day = from; day >= to; day -= 1) {
    const inA = bitAt(a, day);
    const inB = bitAt(b, day);
    if (inA && inB) {
      switches += 1;
      last = null;
    } else if (inA || inB) {
      const now = inA ? 'a' : 'b';
      if (last !== null && last !== now) switches += 1;
      last = now;
    }
  }
  return { span: from - to + 1, ownerDays: bitCount(a & window), otherDays: bitCount(b & window), switches };
}

/** How many separate runs of consecutive active days a day mask holds. */
function runsOf(mask: number): number {
  return bitCount(mask & ~(mask >>> 1));
}

function bitAt(mask: number, day: number): boolean {
  return day >= 0 && day < 32 && (mask & (1 << day)) !== 0;
}

function isoOrNull(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}
