import { parseUserAgent } from '../../api/src/domain/risk/user-agent.ts';
import { seededRandom } from '../../scripts/seeded-random.ts';
import { type AttackType, type BenignType, type City, DESTINATIONS, type Family, SENSITIVE_KINDS } from './families.ts';
import {
  ATTACKER_RESIDENTIAL,
  type Block,
  BUSINESS,
  CORPORATE_VPN,
  HOSTING,
  MOBILE,
  RESIDENTIAL,
  subnetsOf,
  VPN,
} from './networks.ts';

/**
 * A seeded, labeled population of account events built to be hard: crowded
 * ISP /24s and carrier CGNAT ranges with evening peaks, office NATs, home
 * addresses that rotate, travellers on real flights, new phones, people who
 * always use a VPN; and takeovers (from a new country, or stealthily through
 * a VPN or hosting provider with the victim's own browser), shared accounts
 * and credential stuffing. Events come back sorted by time, interleaved
 * across users as producers send them. Every address is in a real block
 * whose operator and country the bundled databases agree with (networks.ts).
 */

export type Label = 'benign' | AttackType;

export interface LabeledEvent {
  body: {
    user_id: string;
    kind: string;
    event_id: string;
    timestamp: number;
    meta: Record<string, unknown>;
  };
  label: Label;
}

/** Who a generated user is: their benign life, and the incident that befalls them, if any. */
export interface UserTruth {
  userId: string;
  life: BenignType;
  incident: AttackType | null;
}

export interface Population {
  events: LabeledEvent[];
  users: UserTruth[];
  /** Epoch ms of the run's first day. */
  start: number;
  days: number;
}

export interface PopulationOptions {
  family: Family;
  users: number;
  days: number;
  seed: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** km/h a jet covers between cities, taxiing and climbing included. */
const FLIGHT_SPEED = 750;

interface Net {
  /** First three octets of a /24. */
  subnet: string;
  block: Block;
}

interface Place {
  city: City;
  /** Whether the producer adds coordinates to this user's events. */
  coordinates: boolean;
}

export function generatePopulation(options: PopulationOptions): Population {
  const { family, users, days, seed } = options;
  const random = seededRandom(seed * 7919 + family.name.charCodeAt(0));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = ([low, high]: [number, number]) => low + random() * (high - low);
  const chance = (p: number) => random() < p;
  const weightedPick = <T>(items: ReadonlyArray<{ item: T; weight: number }>): T => {
    let roll = random() * items.reduce((sum, entry) => sum + entry.weight, 0);
    for (const entry of items) {
      roll -= entry.weight;
      if (roll < 0) return entry.item;
    }
    return (items.at(-1) as { item: T }).item;
  };
  const host = () => 2 + Math.floor(random() * 252);
  const ipIn = (net: Net, fixedHost?: number) => `${net.subnet}.${fixedHost ?? host()}`;

  // Start on the family's weekday, at local midnight in UTC terms.
  let start = Date.UTC(2026, 6, 5);
  while (new Date(start).getUTCDay() !== family.startWeekday) start += DAY;
  const end = start + days * DAY;
  const [windowFrom, windowTo] = family.attackWindow;
  const attackDay = () => Math.floor(days * windowFrom + random() * days * (windowTo - windowFrom));

  // Shared networks: few /24s per ISP and carrier, so hundreds of unrelated users meet on them.
  const blocksIn = (list: Block[], country: string) => list.filter((b) => b.country === country);
  const poolCache = new Map<string, Net[]>();
  const pool = (b: Block, size: number): Net[] => {
    const key = `${b.cidr}:${size}`;
    let nets = poolCache.get(key);
    if (nets === undefined) {
      const subnets = subnetsOf(b);
      const first = Math.floor(random() * Math.max(1, subnets.length - size));
      nets = subnets.slice(first, first + size).map((subnet) => ({ subnet, block: b }));
      poolCache.set(key, nets);
    }
    return nets;
  };
  const countryUsers = new Map<string, number>();
  const homeCities = family.cities.map(({ city, weight }) => ({ item: city, weight }));
  const totalWeight = family.cities.reduce((sum, c) => sum + c.weight, 0);
  for (const { city, weight } of family.cities)
    countryUsers.set(city.country, (countryUsers.get(city.country) ?? 0) + (users * weight) / totalWeight);
  const homePool = (country: string): Net[] => {
    const isps = blocksIn(RESIDENTIAL, country);
    const perIsp = Math.max(1, Math.round((countryUsers.get(country) ?? 1) / family.usersPerHomeSubnet / isps.length));
    return isps.flatMap((b) => pool(b, perIsp));
  };
  const carrierPool = (country: string): Net[] | null => {
    const carriers = blocksIn(MOBILE, country);
    return carriers.length === 0 ? null : pool(pick(carriers), family.cgnatSubnetsPerCarrier);
  };
  const residentialNet = (country: string): Net => {
    const b = pick(blocksIn(RESIDENTIAL, country));
    return { subnet: pick(subnetsOf(b)), block: b };
  };
  const blockNet = (b: Block): Net => ({ subnet: pick(subnetsOf(b)), block: b });

  // Offices fill up as users join them.
  const offices = new Map<string, Array<{ net: Net; hosts: number[]; left: number }>>();
  const office = (country: string) => {
    const open = (offices.get(country) ?? []).filter((o) => o.left > 0);
    if (open.length > 0 && !chance(0.05)) {
      const chosen = pick(open);
      chosen.left -= 1;
      return chosen;
    }
    const business = blocksIn(BUSINESS, country);
    const net = business.length > 0 ? blockNet(pick(business)) : residentialNet(country);
    const created = { net, hosts: [host(), host()], left: Math.round(between(family.officeSize)) - 1 };
    offices.set(country, [...(offices.get(country) ?? []), created]);
    return created;
  };

  const events: LabeledEvent[] = [];
  const truths: UserTruth[] = [];
  let sequence = 0;
  const emit = (
    userId: string,
    at: number,
    ip: string,
    ua: string,
    label: Label,
    place: Place,
    kind = 'login',
    success: boolean | null = true,
  ) => {
    if (at < start || at >= end) return;
    sequence += 1;
    const meta: Record<string, unknown> = { ip, user_agent: ua };
    if (family.sendsTokens) Object.assign(meta, legacyTokens(ua));
    if (success !== null) meta.success = success;
    if (place.coordinates) {
      // City-level geolocation is only ever approximate.
      meta.lat = round(place.city.lat + (random() - 0.5) * 0.2);
      meta.lon = round(place.city.lon + (random() - 0.5) * 0.2);
    }
    events.push({
      body: {
        user_id: userId,
        kind,
        event_id: `eval-${family.name}${seed}-${sequence}`,
        timestamp: Math.round(at),
        meta,
      },
      label,
    });
  };
  /** UTC epoch ms of a local hour on a day, in a city. */
  const localTime = (day: number, hour: number, city: City) => start + day * DAY + (hour - city.utcOffset) * HOUR;
  /** When a flight that leaves `from` at 10:00 local time lands, plus time to get to a hotel or home. */
  const landing = (day: number, from: City, to: City) =>
    localTime(day, 10, from) + (distanceKm(from, to) / FLIGHT_SPEED + 1.5 + random() * 2) * HOUR;
  const weekdayOf = (day: number) => (family.startWeekday + day) % 7;

  const lives = Object.entries(family.mix)
    .filter(([, weight]) => weight > 0)
    .map(([life, weight]) => ({ item: life as BenignType, weight }));
  const userIds = Array.from({ length: users }, (_, n) => `${family.name}${String(n).padStart(5, '0')}`);
  const homes = new Map<string, City>();

  for (const userId of userIds) {
    const home = weightedPick(homeCities);
    homes.set(userId, home);
    const life = weightedPick(lives);
    const roll = random();
    const { newCountry, stealth, sharing } = family.attacks;
    const incident: AttackType | null =
      roll < newCountry
        ? 'takeover: new country'
        : roll < newCountry + stealth
          ? 'takeover: stealth VPN/hosting'
          : roll < newCountry + stealth + sharing
            ? 'sharing'
            : null;
    truths.push({ userId, life, incident });
    const place: Place = { city: home, coordinates: chance(family.coordinatesShare) };

    const homeNets = homePool(home.country);
    let homeNet = pick(homeNets);
    let homeHost = host();
    let nextRotation = between(family.dhcpDays);
    const rotationDays: [number, number] =
      life === 'rotating home subnet' ? [0.5, family.dhcpDays[0] + 1] : family.dhcpDays;
    const carrier = carrierPool(home.country);
    const laptopUa = pick(family.desktopAgents);
    const hasLaptop = life !== 'mobile only';
    let phoneUa: string | null = life === 'mobile only' || chance(0.75) ? pick(family.mobileAgents) : null;
    const newPhoneDay = life === 'new phone' ? Math.floor(days * (0.2 + random() * 0.7)) : -1;
    if (life === 'new phone' && phoneUa === null) phoneUa = pick(family.mobileAgents);
    const work = life === 'office hours' ? office(home.country) : null;
    const corporateExits = blocksIn(CORPORATE_VPN, home.country);
    const vpnExits =
      life === 'always VPN'
        ? (() => {
            const provider = pick(VPN).operator;
            const ofProvider = VPN.filter((b) => b.operator === provider);
            const domestic = ofProvider.filter((b) => b.country === home.country);
            return domestic.length > 0 && chance(0.7) ? domestic : ofProvider;
          })()
        : life === 'corporate VPN'
          ? corporateExits.length > 0
            ? corporateExits
            : [pick(CORPORATE_VPN)]
          : null;
    const perDay = between(family.eventsPerDay);
    const evening = 18.5 + random() * 3;

    // Trips: real city pairs, arriving no sooner than a jet could.
    const trips: Array<{ from: number; to: number; city: City; roaming: boolean; hotel: Net }> = [];
    if (life === 'traveller') {
      let day = Math.floor(random() * 6);
      while (day < days - 2) {
        const city = pick(DESTINATIONS.filter((c) => c.name !== home.name));
        const length = 2 + Math.floor(random() * 6);
        trips.push({
          from: day,
          to: Math.min(days, day + length),
          city,
          roaming: carrier !== null && chance(0.4),
          hotel: residentialNet(city.country),
        });
        day += length + 4 + Math.floor(random() * 10);
      }
    }

    for (let day = 0; day < days; day += 1) {
      if (day === newPhoneDay) phoneUa = pick(family.mobileAgents.filter((ua) => ua !== phoneUa));
      if (day >= nextRotation) {
        // DHCP: a new address, sometimes in another /24 of the same ISP.
        homeHost = host();
        if (chance(life === 'rotating home subnet' ? 0.7 : 0.2)) homeNet = pick(homeNets);
        nextRotation = day + between(rotationDays);
      }
      const weekday = weekdayOf(day);
      const workday = weekday >= 1 && weekday <= 5;
      const trip = trips.find((t) => day >= t.from && day < t.to);
      const count = poisson(perDay * (workday ? 1 : 0.6), random);
      for (let k = 0; k < count; k += 1) {
        const atOffice = work !== null && workday && chance(0.75);
        const here = trip?.city ?? home;
        const hour = atOffice ? 8.5 + random() * 9 : chance(0.7) ? evening + normal(random) : 7 + random() * 15;
        let at = localTime(day, clamp(hour, 0, 23.9), here);
        const devices = [hasLaptop ? laptopUa : null, phoneUa].filter((d): d is string => d !== null);
        const ua = atOffice && hasLaptop ? laptopUa : pick(devices);
        const onPhone = ua === phoneUa;
        let ip: string;
        if (trip !== undefined) {
          // Not before the plane lands: depart mid-morning from home, add the flight time.
          if (day === trip.from) at = Math.max(at, landing(day, home, trip.city));
          ip = onPhone && trip.roaming && carrier !== null ? ipIn(pick(carrier)) : ipIn(trip.hotel);
        } else if (vpnExits !== null) {
          ip = ipIn(blockNet(pick(vpnExits)));
        } else if (atOffice && work !== null) {
          ip = ipIn(work.net, pick(work.hosts));
        } else if (onPhone && carrier !== null && (life === 'mobile only' || chance(0.5))) {
          ip = ipIn(pick(carrier));
        } else if (chance(0.03)) {
          ip = ipIn(residentialNet(home.country)); // a café, a friend's Wi-Fi
        } else {
          ip = ipIn(homeNet, homeHost);
        }
        // Home again: the flight back leaves mid-morning too.
        const back = trips.find((t) => t.to === day);
        if (trip === undefined && back !== undefined) at = Math.max(at, landing(day, back.city, home));
        const tripPlace: Place = trip === undefined ? place : { city: trip.city, coordinates: place.coordinates };
        emit(userId, at, ip, ua, 'benign', tripPlace);
        // Benign users change passwords and payout details too, now and then.
        if (chance(0.004)) emit(userId, at + 2 * MINUTE, ip, ua, 'benign', tripPlace, pick(SENSITIVE_KINDS), null);
        // Mistyped passwords.
        if (chance(0.03)) emit(userId, at - MINUTE, ip, ua, 'benign', tripPlace, 'login', false);
      }
    }

    if (incident === 'sharing') {
      // Someone else in another city uses the account most days for weeks, on their own device and network.
      const otherCity = pick(family.cities.map((c) => c.city).filter((c) => c.name !== home.name));
      const otherPlace: Place = { city: otherCity, coordinates: place.coordinates };
      const otherUa = chance(0.5) ? pick(family.mobileAgents) : pick(family.desktopAgents);
      const otherHome = pick(homePool(otherCity.country));
      const otherHost = host();
      const otherCarrier = carrierPool(otherCity.country);
      const from = Math.min(attackDay(), Math.max(0, days - 21));
      const hour = 17 + random() * 5;
      for (let day = from; day < days; day += 1) {
        if (!chance(0.75)) continue;
        const at = localTime(day, clamp(hour + normal(random), 0, 23.9), otherCity);
        const ip = otherCarrier !== null && chance(0.3) ? ipIn(pick(otherCarrier)) : ipIn(otherHome, otherHost);
        emit(userId, at, ip, otherUa, 'sharing', otherPlace);
      }
    }

    if (incident === 'takeover: new country' || incident === 'takeover: stealth VPN/hosting') {
      const stealthy = incident === 'takeover: stealth VPN/hosting';
      let net: Net;
      let ua: string;
      let attackerPlace: Place;
      if (stealthy) {
        // Through a VPN or a cloud server near the victim, with the victim's own browser and OS.
        const nearby = [...VPN, ...HOSTING].filter((b) => b.country === home.country);
        const exit = nearby.length > 0 && chance(0.7) ? pick(nearby) : pick([...VPN, ...HOSTING]);
        net = blockNet(exit);
        ua = hasLaptop ? laptopUa : (phoneUa ?? laptopUa);
        attackerPlace = { city: home, coordinates: false };
      } else {
        const b = pick(ATTACKER_RESIDENTIAL);
        net = blockNet(b);
        ua = chance(0.4)
          ? (family.desktopAgents[0] as string)
          : pick([...family.desktopAgents, ...family.mobileAgents]);
        attackerPlace = { city: home, coordinates: false };
      }
      const attackerHost = host();
      let at = start + attackDay() * DAY + random() * DAY;
      if (chance(0.5)) {
        const guesses = 1 + Math.floor(random() * 5);
        for (let g = 0; g < guesses; g += 1) {
          emit(userId, at, ipIn(net, attackerHost), ua, incident, attackerPlace, 'login', false);
          at += (1 + random() * 3) * MINUTE;
        }
      }
      const sessions = 1 + Math.floor(random() * 4);
      for (let s = 0; s < sessions; s += 1) {
        emit(userId, at, ipIn(net, attackerHost), ua, incident, attackerPlace);
        if (s === 0 && chance(family.sensitiveAfterTakeover)) {
          const actions = 1 + Math.floor(random() * SENSITIVE_KINDS.length);
          for (const kind of SENSITIVE_KINDS.slice(0, actions)) {
            at += (1 + random() * 5) * MINUTE;
            emit(userId, at, ipIn(net, attackerHost), ua, incident, attackerPlace, kind, null);
          }
        }
        at += (20 + random() * 900) * MINUTE;
      }
    }
  }

  const truthOf = new Map(truths.map((t) => [t.userId, t]));
  // Credential stuffing: each rig tries many accounts from one source within an hour or two, mostly failing.
  for (let r = 0; r < family.stuffing.rigs; r += 1) {
    const source = blockNet(pick(chance(0.6) ? HOSTING : VPN));
    const hosts = [host(), host(), host()];
    const ua = pick(family.desktopAgents);
    let at = start + attackDay() * DAY + random() * DAY;
    const victims = new Set<string>();
    const known = Math.max(1, Math.round(users * family.stuffing.accountShare));
    while (victims.size < known) victims.add(pick(userIds));
    const unknown = Array.from(
      { length: known * family.stuffing.unknownPerKnown },
      (_, k) => `${family.name}-nobody-${r}-${k}-${Math.floor(random() * 1e6)}`,
    );
    // Real and made-up account names come mixed, as from a leaked list.
    const attempts = shuffle([...victims, ...unknown], random);
    for (const userId of attempts) {
      const truth = truthOf.get(userId);
      if (truth !== undefined && truth.incident === null) truth.incident = 'stuffing';
      const place: Place = { city: homes.get(userId) ?? pick(family.cities).city, coordinates: false };
      const success = truth !== undefined && chance(family.stuffing.successRate);
      const ip = ipIn(source, pick(hosts));
      emit(userId, at, ip, ua, 'stuffing', place, 'login', success);
      if (success && chance(0.5)) emit(userId, at + 3 * MINUTE, ip, ua, 'stuffing', place, pick(SENSITIVE_KINDS), null);
      at += (2 + random() * 20) * 1000;
    }
  }

  events.sort((a, b) => a.body.timestamp - b.body.timestamp);
  return { events, users: truths, start, days };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function poisson(mean: number, random: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Great-circle distance. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const round = (value: number) => Math.round(value * 1000) / 1000;

type Tokens = { browser: string | null; os: string | null; device: string | null };
const tokensByAgent = new Map<string, Tokens>();

/** The original contract's tokens, as a producer derives them from the user agent (parsed once per agent). */
function legacyTokens(ua: string): Tokens {
  let tokens = tokensByAgent.get(ua);
  if (tokens === undefined) {
    const { browser, os, device } = parseUserAgent(ua);
    tokens = { browser, os, device: device === 'mobile' ? 'phone' : device === 'desktop' ? 'laptop' : device };
    tokensByAgent.set(ua, tokens);
  }
  return tokens;
}
