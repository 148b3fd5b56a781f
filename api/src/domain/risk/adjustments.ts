import ipaddr from 'ipaddr.js';
import { COUNTRY_CENTROIDS } from './country-centroids.ts';
import { decayFactor } from './decay.ts';
import type { Observation } from './observation.ts';
import { combine, riskLevel, type Score } from './score.ts';
import { round, type Signal, type SignalName } from './signals.ts';

/**
 * Analysts' corrections to scoring: a user's trusted devices and networks,
 * the organisation's allow-list, and false-positive feedback on alerts. A
 * trusted or allow-listed match drops the signals it vouches for to 0; a
 * false positive at most halves the same signal on similar events, fading
 * with time. Attack evidence (failed logins, stuffing, sensitive actions) is
 * never lowered: no standing decision about a network or device says that a
 * password being guessed, a stuffing run or a payout change is benign.
 */

/** A network as an entry names it: an address range (IPv4 CIDR or IPv6 prefix) or an operator (ASN). */
export type NetworkMatch =
  | { kind: 'cidr'; version: 4 | 6; range: [ipaddr.IPv4 | ipaddr.IPv6, number]; text: string }
  | { kind: 'asn'; asn: number; text: string };

/** A client token as the profile knows it: `device` (`laptop/windows`), `browser` (`chrome`) or `os` (`windows`). */
export type ClientDimension = 'device' | 'browser' | 'os';

export type AdjustmentTarget =
  | { kind: 'network'; network: NetworkMatch }
  | { kind: 'client'; dimension: ClientDimension; value: string }
  | { kind: 'country'; country: string };

/** A user's trust entry or an organisation allow-list entry, as scoring matches it. */
export interface AdjustmentRule {
  id: number;
  source: 'trust' | 'allow';
  /** What an affected signal's evidence says lowered it, e.g. `allow:12 corp VPN 10.0.0.0/8`. */
  label: string;
  target: AdjustmentTarget;
  /** Epoch ms; the rule lowers nothing from then on. */
  expiresAt: number;
}

/** One signal a false positive lowers: its name and what tells a similar event (`similarityKey`). */
export interface Lowering {
  signal: SignalName;
  key: string;
}

/** False-positive feedback on one alert of one user. */
export interface Feedback {
  id: number;
  alertId: number;
  label: string;
  lowers: readonly Lowering[];
  createdAt: number;
  /** Epoch ms; CREATED + FEEDBACK_LIFETIME_MS. */
  until: number;
}

/** The most a false positive takes off a signal: half, right after it is marked. */
export const FEEDBACK_MAX_LOWERING = 0.5;
/** How fast a false positive's lowering fades. */
export const FEEDBACK_HALF_LIFE_MS = 30 * 86_400_000;
/** After four half-lives (a lowering of 3%) a false positive lapses. */
export const FEEDBACK_LIFETIME_MS = 4 * FEEDBACK_HALF_LIFE_MS;

/** Never lowered by trust, allow-lists or feedback. */
export const NEVER_LOWERED: ReadonlySet<SignalName> = new Set([
  'failed_logins',
  'credential_stuffing',
  'sensitive_action',
]);

const NETWORK_SIGNALS: readonly SignalName[] = [
  'new_subnet',
  'new_asn',
  'new_country',
  'anonymous_network',
  'impossible_travel',
  'new_device_on_new_network',
];

/** The signals a trust or allow-list entry's match drops to 0. */
export function signalsLoweredBy(target: AdjustmentTarget): readonly SignalName[] {
  switch (target.kind) {
    case 'network':
      return NETWORK_SIGNALS;
    case 'country':
      return ['new_country'];
    case 'client':
      // A device names its OS family (`laptop/windows`), so a trusted device vouches for its OS too.
      return target.dimension === 'device'
        ? ['new_device', 'new_os', 'new_device_on_new_network']
        : [target.dimension === 'browser' ? 'new_browser' : 'new_os'];
  }
}

/**
 * What makes an event similar to a false positive's, for a signal: the value
 * its evidence names (a novelty's device, network or country, an anonymous
 * network's operator, the place travel went to, the verdict persona's
 * network, the hour). Null for signals that name none (burst, session
 * sharing) and for those never lowered.
 */
export function similarityKey(signal: Pick<Signal, 'name' | 'evidence'>): string | null {
  const { evidence } = signal;
  switch (signal.name) {
    case 'new_device':
    case 'new_browser':
    case 'new_os':
    case 'new_subnet':
    case 'new_asn':
    case 'new_country':
      return keyOf('value', evidence.value);
    case 'new_device_on_new_network':
      return keyOf('device', evidence.device);
    case 'anonymous_network':
      return evidence.asn == null ? keyOf('type', evidence.type) : keyOf('asn', evidence.asn);
    case 'impossible_travel':
      return keyOf('to', evidence.to);
    case 'shared_account':
    case 'taken_over_account':
      return evidence.network == null ? null : `network:${evidence.network} ${evidence.country ?? ''}`.trimEnd();
    case 'unusual_hour':
      return keyOf('hour', evidence.hourOfDay);
    default:
      return null;
  }
}

function keyOf(prefix: string, value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : `${prefix}:${String(value)}`;
}

/** What a false positive on an alert with these signals lowers: each lowerable signal that counted, once. */
export function loweringsOf(signals: readonly Pick<Signal, 'name' | 'score' | 'evidence'>[]): Lowering[] {
  const lowerings: Lowering[] = [];
  for (const signal of signals) {
    if (signal.score <= 0 || NEVER_LOWERED.has(signal.name)) continue;
    const key = similarityKey(signal);
    if (key === null || lowerings.some((l) => l.signal === signal.name && l.key === key)) continue;
    lowerings.push({ signal: signal.name, key });
  }
  return lowerings;
}

/** The factor a false positive multiplies a similar signal by at `now`: 0.5 when marked, back towards 1. */
export function feedbackFactor(feedback: Pick<Feedback, 'createdAt' | 'until'>, now: number): number {
  if (now >= feedback.until) return 1;
  return 1 - FEEDBACK_MAX_LOWERING * decayFactor(Math.max(0, now - feedback.createdAt), FEEDBACK_HALF_LIFE_MS);
}

/** What one user's events are checked against. */
export interface UserAdjustments {
  rules: readonly AdjustmentRule[];
  feedback: readonly Feedback[];
}

const NONE: UserAdjustments = { rules: [], feedback: [] };

/**
 * The entries scoring applies, in memory: the write path looks a user's up
 * by Map for each event and never reads the database. The service keeps it
 * in step with each change it commits.
 */
export class Adjustments {
  #allow: AdjustmentRule[] = [];
  readonly #trust = new Map<string, AdjustmentRule[]>();
  readonly #feedback = new Map<string, Feedback[]>();

  /** No entries at all: scoring is left exactly as it is. */
  get empty(): boolean {
    return this.#allow.length === 0 && this.#trust.size === 0 && this.#feedback.size === 0;
  }

  addAllow(rule: AdjustmentRule): void {
    this.#allow = [...this.#allow.filter((r) => r.id !== rule.id), rule];
  }

  removeAllow(id: number): void {
    this.#allow = this.#allow.filter((r) => r.id !== id);
  }

  addTrust(userId: string, rule: AdjustmentRule): void {
    add(this.#trust, userId, rule);
  }

  removeTrust(userId: string, id: number): void {
    remove(this.#trust, userId, id);
  }

  addFeedback(userId: string, feedback: Feedback): void {
    add(this.#feedback, userId, feedback);
  }

  removeFeedback(userId: string, id: number): void {
    remove(this.#feedback, userId, id);
  }

  /** Forgets everything of a user (their data was deleted). */
  forgetUser(userId: string): void {
    this.#trust.delete(userId);
    this.#feedback.delete(userId);
  }

  /** The user's trust entries first, then the organisation's allow-list; their feedback. */
  forUser(userId: string): UserAdjustments {
    const trust = this.#trust.get(userId);
    const feedback = this.#feedback.get(userId);
    if (trust === undefined && feedback === undefined && this.#allow.length === 0) return NONE;
    return { rules: trust === undefined ? this.#allow : [...trust, ...this.#allow], feedback: feedback ?? [] };
  }
}

function add<T extends { id: number }>(map: Map<string, T[]>, userId: string, entry: T): void {
  map.set(userId, [...(map.get(userId) ?? []).filter((e) => e.id !== entry.id), entry]);
}

function remove<T extends { id: number }>(map: Map<string, T[]>, userId: string, id: number): void {
  const left = (map.get(userId) ?? []).filter((e) => e.id !== id);
  if (left.length === 0) map.delete(userId);
  else map.set(userId, left);
}

/** Whether the rule's device, network or country is the observed event's. */
export function ruleMatches(
  target: AdjustmentTarget,
  observation: Observation,
  address: () => Address | null,
): boolean {
  switch (target.kind) {
    case 'client':
      return observation.client[target.dimension] === target.value;
    case 'country':
      return observation.network.country === target.country;
    case 'network': {
      const { network } = target;
      if (network.kind === 'asn') return observation.network.asn === network.asn;
      const ip = address();
      return ip !== null && ip.kind() === (network.version === 4 ? 'ipv4' : 'ipv6') && ip.match(network.range);
    }
  }
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

function parseAddress(ip: string | null): Address | null {
  if (ip === null || !ipaddr.isValid(ip)) return null;
  // An IPv4-mapped IPv6 address is the IPv4 it carries.
  return ipaddr.process(ip);
}

/**
 * The score with the user's adjustments applied at `now`: a signal a
 * matching trust or allow-list entry vouches for is kept at 0, a signal
 * similar to a false positive's is lowered by its fading factor, and each
 * lowered signal's evidence says by what (`loweredBy`) and from what
 * (`scoreBefore`). The same object when nothing applies.
 */
export function adjustScore(score: Score, observation: Observation, adjustments: UserAdjustments, now: number): Score {
  if (score.signals.length === 0 || (adjustments.rules.length === 0 && adjustments.feedback.length === 0)) return score;
  let address: Address | null | undefined;
  const addressOf = () => {
    address ??= parseAddress(observation.network.ip);
    return address;
  };
  const matched = new Map<AdjustmentRule, boolean>();
  let changed = false;
  const signals = score.signals.map((signal) => {
    if (signal.score <= 0 || NEVER_LOWERED.has(signal.name)) return signal;
    for (const rule of adjustments.rules) {
      if (rule.expiresAt <= now || !signalsLoweredBy(rule.target).includes(signal.name)) continue;
      let matches = matched.get(rule);
      if (matches === undefined) {
        matches = ruleMatches(rule.target, observation, addressOf);
        matched.set(rule, matches);
      }
      if (!matches) continue;
      changed = true;
      return lowered(signal, 0, rule.label);
    }
    let factor = 1;
    let by: Feedback | undefined;
    let key: string | null | undefined;
    for (const feedback of adjustments.feedback) {
      if (!feedback.lowers.some((l) => l.signal === signal.name)) continue;
      key ??= similarityKey(signal);
      if (key === null || !feedback.lowers.some((l) => l.signal === signal.name && l.key === key)) continue;
      const f = feedbackFactor(feedback, now);
      if (f < factor) [factor, by] = [f, feedback];
    }
    if (by === undefined) return signal;
    changed = true;
    return lowered(signal, signal.score * factor, by.label);
  });
  if (!changed) return score;
  signals.sort((a, b) => b.score - a.score);
  const risk = combine(signals);
  return { risk, level: riskLevel(risk), signals };
}

function lowered(signal: Signal, score: number, label: string): Signal {
  return {
    ...signal,
    score,
    message: `${signal.message}; lowered by ${label}`,
    evidence: { ...signal.evidence, loweredBy: label, scoreBefore: round(signal.score, 3) },
  };
}

/** A parsed value, or what is wrong with it. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ASN = /^(?:AS)?(\d{1,10})$/i;
const MAX_ASN = 4_294_967_295;

/** An ASN as `AS13335`, `as13335` or `13335`. */
export function parseAsn(raw: string): Parsed<NetworkMatch> {
  const digits = ASN.exec(raw.trim())?.[1];
  const asn = digits === undefined ? Number.NaN : Number(digits);
  if (!Number.isSafeInteger(asn) || asn < 1 || asn > MAX_ASN)
    return { ok: false, message: 'must be an ASN, e.g. AS13335 or 13335' };
  return { ok: true, value: { kind: 'asn', asn, text: `AS${asn}` } };
}

/** An IPv4 CIDR (`10.0.0.0/8`; a bare address is its /32), canonical as its network address. */
export function parseIpv4Cidr(raw: string): Parsed<NetworkMatch> {
  const text = raw.trim();
  const [address = '', prefix = '32', extra] = text.split('/');
  const bits = /^\d{1,2}$/.test(prefix) ? Number(prefix) : Number.NaN;
  if (extra !== undefined || !ipaddr.IPv4.isValidFourPartDecimal(address) || !(bits >= 0 && bits <= 32))
    return { ok: false, message: 'must be an IPv4 CIDR, e.g. 10.0.0.0/8' };
  const network = ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`);
  return { ok: true, value: { kind: 'cidr', version: 4, range: [network, bits], text: `${network}/${bits}` } };
}

/** An IPv6 prefix (`2001:db8::/32`; a bare address is its /128), canonical as its network address. */
export function parseIpv6Prefix(raw: string): Parsed<NetworkMatch> {
  const text = raw.trim();
  const [address = '', prefix = '128', extra] = text.split('/');
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
  if (extra !== undefined || !ipaddr.IPv6.isValid(address) || !(bits >= 0 && bits <= 128) || address.includes('%'))
    return { ok: false, message: 'must be an IPv6 prefix, e.g. 2001:db8::/32' };
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`);
  if (network.isIPv4MappedAddress()) return { ok: false, message: 'an IPv4-mapped prefix is an IPv4 CIDR' };
  return { ok: true, value: { kind: 'cidr', version: 6, range: [network, bits], text: `${network}/${bits}` } };
}

/** A network a user's trust names: an IPv4 CIDR, an IPv6 prefix or an ASN. */
export function parseNetwork(raw: string): Parsed<NetworkMatch> {
  const text = raw.trim();
  if (text.includes(':')) return parseIpv6Prefix(text);
  if (text.includes('.')) return parseIpv4Cidr(text);
  const asn = parseAsn(text);
  return asn.ok ? asn : { ok: false, message: 'must be an IPv4 CIDR, an IPv6 prefix or an ASN (AS13335)' };
}

/** An ISO 3166-1 alpha-2 country code, upper case. */
export function parseCountry(raw: string): Parsed<string> {
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || COUNTRY_CENTROIDS[code] === undefined)
    return { ok: false, message: 'must be an ISO 3166-1 alpha-2 country code, e.g. DE' };
  return { ok: true, value: code };
}

const CLIENT_TOKEN = /^[a-z0-9][a-z0-9 ._/+-]{0,99}$/;

/**
 * A client token as the profile knows it: `device:laptop/windows`,
 * `browser:chrome`, `os:windows`; without a prefix, a device.
 */
export function parseClient(raw: string): Parsed<{ dimension: ClientDimension; value: string }> {
  const text = raw.trim().toLowerCase();
  const prefix = /^(device|browser|os):/.exec(text)?.[1] as ClientDimension | undefined;
  const value = prefix === undefined ? text : text.slice(prefix.length + 1).trim();
  if (!CLIENT_TOKEN.test(value))
    return {
      ok: false,
      message: 'must be a device, browser or OS token as events carry it, e.g. laptop/windows, browser:chrome, os:ios',
    };
  return { ok: true, value: { dimension: prefix ?? 'device', value } };
}

/** How a target is written back: `10.0.0.0/8`, `AS13335`, `DE`, `device:laptop/windows`. */
export function targetText(target: AdjustmentTarget): string {
  switch (target.kind) {
    case 'network':
      return target.network.text;
    case 'country':
      return target.country;
    case 'client':
      return `${target.dimension}:${target.value}`;
  }
}

/** An entry's label in evidence: source, id, reason (shortened) and value. */
export function ruleLabel(source: 'trust' | 'allow', id: number, reason: string, target: AdjustmentTarget): string {
  return `${source}:${id} ${shorten(reason)} ${targetText(target)}`;
}

/** A false positive's label in evidence. */
export function feedbackLabel(id: number, alertId: number, reason: string): string {
  return `feedback:${id} false positive on alert ${alertId}: ${shorten(reason)}`;
}

function shorten(reason: string): string {
  const text = reason.replace(/\s+/g, ' ').trim();
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}

/** What an entry names: a user's trusted device or network, or an allow-list entry's kind. */
export type EntryKind = 'device' | 'network' | 'ipv4_cidr' | 'ipv6_prefix' | 'asn' | 'country';

/** An entry's value read for its kind. */
export function parseTarget(kind: EntryKind, raw: string): Parsed<AdjustmentTarget> {
  const network = (parsed: Parsed<NetworkMatch>): Parsed<AdjustmentTarget> =>
    parsed.ok ? { ok: true, value: { kind: 'network', network: parsed.value } } : parsed;
  switch (kind) {
    case 'device': {
      const client = parseClient(raw);
      return client.ok ? { ok: true, value: { kind: 'client', ...client.value } } : client;
    }
    case 'network':
      return network(parseNetwork(raw));
    case 'ipv4_cidr':
      return network(parseIpv4Cidr(raw));
    case 'ipv6_prefix':
      return network(parseIpv6Prefix(raw));
    case 'asn':
      return network(parseAsn(raw));
    case 'country': {
      const country = parseCountry(raw);
      return country.ok ? { ok: true, value: { kind: 'country', country: country.value } } : country;
    }
  }
}

/** A stored entry as scoring matches it; null if its value no longer reads (never for one this module wrote). */
export function ruleOf(
  source: 'trust' | 'allow',
  entry: { id: number; kind: EntryKind; value: string; reason: string; expiresAt: number },
): AdjustmentRule | null {
  const target = parseTarget(entry.kind, entry.value);
  if (!target.ok) return null;
  const { id, reason, expiresAt } = entry;
  return { id, source, label: ruleLabel(source, id, reason, target.value), target: target.value, expiresAt };
}

const DAY_MS = 86_400_000;
/** A user's trust lasts this long unless its expiry is given. */
export const DEFAULT_TRUST_MS = 90 * DAY_MS;
/** An allow-list entry lasts this long unless its expiry is given. */
export const DEFAULT_ALLOW_MS = 365 * DAY_MS;
/** No entry is made for longer: a standing exception must be looked at again. */
export const MAX_ENTRY_MS = 2 * 365 * DAY_MS;
export const MAX_REASON_LENGTH = 500;

/** An entry's expiry: the given time, in the future and at most MAX_ENTRY_MS away, or now + the default. */
export function parseExpiry(expiresAt: number | null, now: number, defaultMs: number): Parsed<number> {
  if (expiresAt === null) return { ok: true, value: now + defaultMs };
  if (!Number.isFinite(expiresAt) || expiresAt <= now) return { ok: false, message: 'must be in the future' };
  if (expiresAt > now + MAX_ENTRY_MS) return { ok: false, message: 'must be at most two years away' };
  return { ok: true, value: expiresAt };
}

/** Why an analyst made an entry: required, whitespace folded, at most MAX_REASON_LENGTH characters. */
export function parseReason(raw: string): Parsed<string> {
  const reason = raw.replace(/\s+/g, ' ').trim();
  if (reason === '') return { ok: false, message: 'is required' };
  if (reason.length > MAX_REASON_LENGTH)
    return { ok: false, message: `must be at most ${MAX_REASON_LENGTH} characters` };
  return { ok: true, value: reason };
}
