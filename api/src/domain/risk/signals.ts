import { distanceKm } from './geo.ts';
import type { Observation } from './observation.ts';
import { placeOf } from './observation.ts';
import {
  HOURS_PER_WEEK,
  hourOfWeek,
  NOVELTY_DIMENSIONS,
  type NoveltyDimension,
  noveltyValues,
  profileWeight,
  RECENT_WINDOW_MS,
  type RecentEvent,
  type RiskProfile,
  type Tally,
  totalWeight,
  WEIGHT_UNIT,
  weightOf,
} from './profile.ts';

export type Evidence = Record<string, string | number | boolean | null>;

/** One reason an event looks risky: its contribution (0–1) to the event's risk and what it saw. */
export interface Signal {
  name: SignalName;
  score: number;
  message: string;
  evidence: Evidence;
}

export type SignalName =
  | `new_${NoveltyDimension}`
  | 'new_device_on_new_network'
  | 'impossible_travel'
  | 'burst'
  | 'session_sharing'
  | 'unusual_hour'
  | 'failed_logins'
  | 'credential_stuffing';

/** What other users' events say about the observation's network (credential stuffing). */
export interface NetworkActivity {
  /** Distinct users seen from this IP in the attack window, this event's user included. */
  usersOnIp: number;
  /** The same for the IP's subnet. */
  usersOnSubnet: number;
  /** Failed logins from this IP in the window, across users. */
  failuresOnIp: number;
  windowMs: number;
}

/** How much each never-seen value weighs on an established baseline. */
export const NOVELTY_WEIGHTS: Record<NoveltyDimension, number> = {
  device: 0.3,
  browser: 0.12,
  os: 0.2,
  subnet: 0.12,
  asn: 0.25,
  country: 0.4,
};

/**
 * How established a baseline is, 0–1: nothing after no events, half after 4
 * (decayed) events, 0.9 after 13. A user's first logins are not alarms.
 */
export function maturity(profile: RiskProfile): number {
  return 1 - 2 ** (-profileWeight(profile) / 4);
}

/** A value making up at least this share of a dimension's history is fully familiar. */
const FAMILIAR_SHARE = 0.2;

/** How new the value is to the user: 1 if never seen, up to 0.5 if seen but rare or long ago, 0 if habitual. */
export function novelty(tally: Tally, value: string): number {
  const seen = weightOf(tally, value);
  if (seen === undefined) return 1;
  const total = totalWeight(tally);
  const share = total === 0 ? 1 : seen / total;
  return share >= FAMILIAR_SHARE ? 0 : 0.5 * (1 - share / FAMILIAR_SHARE);
}

const NOVELTY_LABELS: Record<NoveltyDimension, string> = {
  device: 'device',
  browser: 'browser',
  os: 'operating system',
  subnet: 'network (subnet)',
  asn: 'network operator (ASN)',
  country: 'country',
};

/** Never-seen (or rarely seen) values, weighted by how established the baseline is. */
export function noveltySignals(profile: RiskProfile, observation: Observation): Signal[] {
  const established = maturity(profile);
  if (established === 0) return [];
  const values = noveltyValues(observation);
  const signals: Signal[] = [];
  for (const dimension of NOVELTY_DIMENSIONS) {
    const value = values[dimension];
    if (value === null) continue;
    const tally = profile.values[dimension];
    const score = NOVELTY_WEIGHTS[dimension] * established * novelty(tally, value);
    if (score < 0.01) continue;
    const known = tally.length;
    const seen = weightOf(tally, value);
    const organization = dimension === 'asn' ? observation.network.asnOrganization : null;
    const shown = organization === null ? value : `${value} (${organization})`;
    signals.push({
      name: `new_${dimension}`,
      score,
      message:
        seen === undefined
          ? `First ${NOVELTY_LABELS[dimension]} ${shown} (${known} known)`
          : `Rarely used ${NOVELTY_LABELS[dimension]} ${shown}`,
      evidence: {
        value,
        ...(organization === null ? {} : { organization }),
        known,
        seenWeight: round(seen ?? 0, 2),
        baseline: round(established, 2),
      },
    });
  }
  return signals;
}

/**
 * A never-seen device on a never-seen network together: the shape of a
 * takeover. Each alone is common (a new phone at home, a laptop abroad).
 */
export function deviceAndNetworkSignal(profile: RiskProfile, observation: Observation): Signal | null {
  const established = maturity(profile);
  const values = noveltyValues(observation);
  const newDevice = values.device !== null && weightOf(profile.values.device, values.device) === undefined;
  const newNetwork = (['asn', 'country'] as const).find(
    (dimension) =>
      values[dimension] !== null && weightOf(profile.values[dimension], values[dimension] as string) === undefined,
  );
  if (!newDevice || newNetwork === undefined || established === 0) return null;
  return {
    name: 'new_device_on_new_network',
    score: 0.45 * established,
    message: `First device ${values.device} from a first ${NOVELTY_LABELS[newNetwork]} ${values[newNetwork]}`,
    evidence: { device: values.device, [newNetwork]: values[newNetwork], baseline: round(established, 2) },
  };
}

/** Faster than an airliner between two located events. */
export const TRAVEL_SPEED_KMH = 900;
/** Geolocation is city-level at best: closer places are never "travel". */
const MIN_TRAVEL_KM = 150;

export function impossibleTravelSignal(profile: RiskProfile, observation: Observation): Signal | null {
  const from = profile.lastPlace;
  const to = placeOf(observation.network);
  if (from === null || to === null) return null;
  const km = distanceKm(from, to);
  if (km < MIN_TRAVEL_KM) return null;
  const hours = Math.abs(observation.at - from.at) / 3_600_000;
  const kmh = hours === 0 ? Number.POSITIVE_INFINITY : km / hours;
  if (kmh <= TRAVEL_SPEED_KMH) return null;
  const name = (place: { city: string | null; country: string | null }) =>
    [place.city, place.country].filter(Boolean).join(', ') || 'unknown place';
  return {
    name: 'impossible_travel',
    score: kmh > 2 * TRAVEL_SPEED_KMH ? 0.7 : 0.5,
    message: `${Math.round(km)} km from ${name(from)} to ${name(to)} in ${formatHours(hours)} (${Number.isFinite(kmh) ? `${Math.round(kmh)} km/h` : 'no time at all'})`,
    evidence: {
      km: Math.round(km),
      hours: round(hours, 2),
      kmh: Number.isFinite(kmh) ? Math.round(kmh) : null,
      from: name(from),
      to: name(to),
      fromLat: from.lat,
      fromLon: from.lon,
      toLat: to.lat,
      toLon: to.lon,
      fromAt: new Date(from.at).toISOString(),
    },
  };
}

/** Events closer together than this count towards a burst. */
export const BURST_WINDOW_MS = 10 * 60 * 1000;
const BURST_EVENTS = 10;
/** Device/network switches within this window suggest two people on one account. */
export const SHARING_WINDOW_MS = RECENT_WINDOW_MS;
const SHARING_SWITCHES = 3;

/** Bursts of events, and several devices on several networks taking turns within the hour. */
export function velocitySignals(profile: RiskProfile, observation: Observation): Signal[] {
  const signals: Signal[] = [];
  const { at } = observation;
  let burst = 1;
  for (const event of profile.recent) if (Math.abs(at - event.at) <= BURST_WINDOW_MS) burst += 1;
  if (burst >= BURST_EVENTS) {
    signals.push({
      name: 'burst',
      score: burst >= 2 * BURST_EVENTS ? 0.35 : 0.2,
      message: `${burst} events within ${BURST_WINDOW_MS / 60_000} minutes`,
      evidence: { events: burst, windowMinutes: BURST_WINDOW_MS / 60_000 },
    });
  }
  // Alternation, not mere variety: a phone on mobile data and a laptop on
  // Wi-Fi in the same hour is one person; A, B, A, B is more likely two.
  const window = [
    ...profile.recent.filter((event) => at - event.at <= SHARING_WINDOW_MS && event.at <= at),
    { at, device: observation.client.device, subnet: observation.network.subnet },
  ];
  let switches = 0;
  for (let index = 1; index < window.length; index += 1) {
    const before = window[index - 1] as RecentEvent;
    const after = window[index] as RecentEvent;
    if (before.device !== after.device || before.subnet !== after.subnet) switches += 1;
  }
  const devices = new Set(window.map((event) => event.device).filter((device) => device !== null)).size;
  const subnets = new Set(window.map((event) => event.subnet).filter((subnet) => subnet !== null)).size;
  if (switches >= SHARING_SWITCHES && devices >= 2 && subnets >= 2) {
    signals.push({
      name: 'session_sharing',
      score: switches >= 2 * SHARING_SWITCHES ? 0.5 : 0.3,
      message: `${switches} switches between ${devices} devices on ${subnets} networks within the hour`,
      evidence: { switches, devices, subnets, events: window.length },
    });
  }
  return signals;
}

/** Below this share of the expected (uniform) weight, an hour of the week is unusual. */
const UNUSUAL_HOUR_RATIO = 0.15;
/** Hour-of-week habits need more history than value habits. */
const HOUR_BASELINE_WEIGHT = 20;

/** A login at an hour of the week the user is (almost) never active, in UTC, with the neighbouring hours counted. */
export function unusualHourSignal(profile: RiskProfile, observation: Observation): Signal | null {
  const weight = profileWeight(profile);
  if (weight < HOUR_BASELINE_WEIGHT) return null;
  const hour = hourOfWeek(observation.at);
  let around = 0;
  for (const [seen, seenWeight] of profile.hours) {
    const distance = Math.abs(seen - hour);
    if (distance <= 1 || distance === HOURS_PER_WEEK - 1) around += seenWeight;
  }
  const observed = around / WEIGHT_UNIT / 3;
  const expected = weight / HOURS_PER_WEEK;
  const ratio = observed / expected;
  if (ratio >= UNUSUAL_HOUR_RATIO) return null;
  return {
    name: 'unusual_hour',
    score: 0.15,
    message: `Active at an unusual hour for this user (${weekdayHour(hour)} UTC)`,
    evidence: { hourOfWeek: hour, when: `${weekdayHour(hour)} UTC`, share: round(ratio, 3) },
  };
}

const FAILURE_WINDOW_MS = 60 * 60 * 1000;

/** A success right after a run of failed logins (password guessing that worked). */
export function failedLoginsSignal(profile: RiskProfile, observation: Observation): Signal | null {
  if (observation.outcome !== 'success') return null;
  const recent = profile.failures.filter((at) => at <= observation.at && observation.at - at <= FAILURE_WINDOW_MS);
  if (recent.length < 3) return null;
  return {
    name: 'failed_logins',
    score: recent.length >= 10 ? 0.6 : 0.35,
    message: `Successful login after ${recent.length} failed attempts within the hour`,
    evidence: { failures: recent.length, since: new Date(recent[0] as number).toISOString() },
  };
}

const STUFFING_USERS_PER_IP = 5;
const STUFFING_USERS_PER_SUBNET = 10;

/** One IP or subnet touching many accounts in a short window. */
export function credentialStuffingSignal(activity: NetworkActivity, observation: Observation): Signal | null {
  const { ip, subnet } = observation.network;
  const onIp = ip !== null && activity.usersOnIp >= STUFFING_USERS_PER_IP;
  const onSubnet = subnet !== null && activity.usersOnSubnet >= STUFFING_USERS_PER_SUBNET;
  if (!onIp && !onSubnet) return null;
  const users = onIp ? activity.usersOnIp : activity.usersOnSubnet;
  return {
    name: 'credential_stuffing',
    score: users >= 4 * STUFFING_USERS_PER_IP || activity.failuresOnIp >= 10 ? 0.75 : 0.5,
    message: `${onIp ? `IP ${ip}` : `Subnet ${subnet}`} used by ${users} accounts within ${activity.windowMs / 60_000} minutes`,
    evidence: {
      ip,
      subnet,
      usersOnIp: activity.usersOnIp,
      usersOnSubnet: activity.usersOnSubnet,
      failuresOnIp: activity.failuresOnIp,
      windowMinutes: activity.windowMs / 60_000,
    },
  };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
function weekdayHour(hour: number): string {
  return `${WEEKDAYS[Math.floor(hour / 24)]} ${String(hour % 24).padStart(2, '0')}:00`;
}

function formatHours(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${round(hours, 1)} h`;
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
