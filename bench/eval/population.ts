import { parseUserAgent } from '../../api/src/domain/risk/user-agent.ts';
import { seededRandom } from '../../scripts/seeded-random.ts';

/**
 * A seeded, labeled population of login events for measuring the risk models.
 * Benign change is common (new phones, second devices, holidays abroad, cafés,
 * mobile networks, browser switches); incidents are labeled event by event:
 * account takeovers, shared accounts, credential stuffing. Attackers often use
 * the most common browser, and some take over from the victim's own country.
 */

export type Label = 'benign' | 'takeover' | 'sharing' | 'stuffing';

export interface LabeledEvent {
  body: {
    user_id: string;
    kind: string;
    event_id: string;
    timestamp: number;
    meta: Record<string, unknown>;
  };
  label: Label;
  /** What happened to this user, for the per-scenario breakdown. */
  scenario: string;
}

export interface PopulationOptions {
  users: number;
  days: number;
  seed: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

interface Country {
  code: string;
  city: string;
  lat: number;
  lon: number;
  /** Residential and mobile operators. */
  asns: number[];
}

const COUNTRIES: Country[] = [
  { code: 'DE', city: 'Berlin', lat: 52.52, lon: 13.4, asns: [3320, 3209, 6805, 8881] },
  { code: 'US', city: 'Chicago', lat: 41.88, lon: -87.63, asns: [7922, 7018, 701, 22773, 20115] },
  { code: 'GB', city: 'London', lat: 51.51, lon: -0.13, asns: [2856, 5089, 5607, 12576] },
  { code: 'FR', city: 'Paris', lat: 48.86, lon: 2.35, asns: [3215, 12322, 5410, 15557] },
  { code: 'IN', city: 'Mumbai', lat: 19.08, lon: 72.88, asns: [55836, 24560, 45609, 9829] },
  { code: 'BR', city: 'São Paulo', lat: -23.55, lon: -46.63, asns: [28573, 18881, 26599, 7738] },
  { code: 'ES', city: 'Madrid', lat: 40.42, lon: -3.7, asns: [3352, 12479, 12430] },
  { code: 'NL', city: 'Amsterdam', lat: 52.37, lon: 4.9, asns: [1136, 33915, 50266] },
];
/** Where attackers and proxies come from, besides the victim's own country. */
const ATTACK_COUNTRIES: Country[] = [
  { code: 'NG', city: 'Lagos', lat: 6.45, lon: 3.39, asns: [37148, 29465, 36873] },
  { code: 'RU', city: 'Moscow', lat: 55.76, lon: 37.62, asns: [12389, 8402, 31213] },
  { code: 'VN', city: 'Hanoi', lat: 21.03, lon: 105.85, asns: [45899, 7552, 18403] },
  { code: 'RO', city: 'Bucharest', lat: 44.43, lon: 26.1, asns: [8708, 9050] },
  ...COUNTRIES,
];
/** Hosting networks: VPNs and stuffing rigs live there. */
const HOSTING_ASNS = [16509, 14061, 24940, 16276, 9009];

interface Agent {
  ua: string;
  weight: number;
}

const DESKTOP_AGENTS: Agent[] = [
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    weight: 50,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
    weight: 12,
  },
  { ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0', weight: 8 },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    weight: 15,
  },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    weight: 10,
  },
  { ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', weight: 5 },
];
const MOBILE_AGENTS: Agent[] = [
  {
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    weight: 45,
  },
  {
    ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
    weight: 25,
  },
  {
    ua: 'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
    weight: 30,
  },
];
const TABLET_AGENT =
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

interface Network {
  /** First three octets of a public /24. */
  prefix: string;
  asn: number;
  country: Country;
}

interface Device {
  ua: string;
}

export function generatePopulation(options: PopulationOptions): LabeledEvent[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const weighted = (items: readonly Agent[]): string => {
    let roll = random() * items.reduce((sum, item) => sum + item.weight, 0);
    for (const item of items) {
      roll -= item.weight;
      if (roll <= 0) return item.ua;
    }
    return (items.at(-1) as Agent).ua;
  };
  const usedPrefixes = new Set<string>();
  const network = (country: Country, asn: number = pick(country.asns)): Network => {
    for (;;) {
      // Public unicast first octets only (no 10, 100, 127, 169, 172, 192, 198, 203, ≥ 224).
      const first = pick([
        2, 5, 24, 31, 37, 46, 62, 77, 78, 81, 82, 86, 88, 89, 91, 93, 95, 109, 151, 176, 185, 188, 212, 213, 217,
      ]);
      const prefix = `${first}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
      if (usedPrefixes.has(prefix)) continue;
      usedPrefixes.add(prefix);
      return { prefix, asn, country };
    }
  };
  const ip = (net: Network) => `${net.prefix}.${2 + Math.floor(random() * 250)}`;
  const start = Date.UTC(2026, 6, 6); // a Monday
  const end = start + options.days * DAY;
  const events: LabeledEvent[] = [];
  let sequence = 0;

  const emit = (
    userId: string,
    at: number,
    net: Network,
    ua: string,
    label: Label,
    scenario: string,
    success = true,
    place?: { country: Country },
  ) => {
    sequence += 1;
    const country = place?.country ?? net.country;
    events.push({
      body: {
        user_id: userId,
        kind: 'login',
        event_id: `eval-${sequence}`,
        timestamp: at,
        meta: {
          ip: ip(net),
          // Legacy producers send these tokens; the v2 model also reads the user agent.
          ...legacyTokens(ua),
          user_agent: ua,
          success,
          country: country.code,
          city: country.city,
          asn: net.asn,
          // City-level geolocation is only ever approximate.
          lat: round(country.lat + (random() - 0.5) * 0.3),
          lon: round(country.lon + (random() - 0.5) * 0.3),
        },
      },
      label,
      scenario,
    });
  };

  for (let n = 0; n < options.users; n += 1) {
    const userId = `u${String(n).padStart(5, '0')}`;
    const home = pick(COUNTRIES);
    const homeNet = network(home);
    const mobileNet = () => network(home, pick(home.asns)); // carrier-grade NAT hands out many /24s
    const workNet = random() < 0.5 ? network(home) : null;
    const laptop: Device = { ua: weighted(DESKTOP_AGENTS) };
    let phone: Device | null = random() < 0.7 ? { ua: weighted(MOBILE_AGENTS) } : null;
    const peakHour = 6 + Math.floor(random() * 12);
    const perDay = 0.5 + random() * 3;

    // Benign change, common on purpose.
    const newPhoneDay = random() < 0.12 ? Math.floor(random() * options.days) : -1;
    const secondDeviceDay = random() < 0.1 ? Math.floor(random() * options.days) : -1;
    const holiday =
      random() < 0.1 ? { from: Math.floor(random() * (options.days - 10)), days: 4 + Math.floor(random() * 8) } : null;
    const holidayCountry = pick(ATTACK_COUNTRIES.filter((c) => c.code !== home.code));
    const holidayNet = network(holidayCountry);
    const browserSwitchDay = random() < 0.05 ? Math.floor(random() * options.days) : -1;
    let tablet: Device | null = null;

    // Incidents.
    const roll = random();
    const takeoverDay = roll < 0.03 ? 20 + Math.floor(random() * (options.days - 21)) : -1;
    const sharingFrom = roll >= 0.03 && roll < 0.055 ? 10 + Math.floor(random() * (options.days - 20)) : -1;
    const scenario =
      takeoverDay >= 0
        ? 'takeover'
        : sharingFrom >= 0
          ? 'shared account'
          : holiday
            ? 'holiday abroad'
            : newPhoneDay >= 0
              ? 'new phone'
              : secondDeviceDay >= 0
                ? 'second device'
                : 'habitual';
    const sharer = {
      device: { ua: random() < 0.5 ? weighted(MOBILE_AGENTS) : weighted(DESKTOP_AGENTS) },
      net: network(random() < 0.6 ? home : pick(COUNTRIES)),
      hour: (peakHour + 6 + Math.floor(random() * 6)) % 24,
    };

    for (let day = 0; day < options.days; day += 1) {
      if (day === newPhoneDay) phone = { ua: weighted(MOBILE_AGENTS) };
      if (day === secondDeviceDay) tablet = { ua: TABLET_AGENT };
      if (day === browserSwitchDay) laptop.ua = weighted(DESKTOP_AGENTS);
      const weekday = new Date(start + day * DAY).getUTCDay();
      const factor = weekday === 0 || weekday === 6 ? 0.5 : 1;
      const count = poisson(perDay * factor, random);
      const abroad = holiday !== null && day >= holiday.from && day < holiday.from + holiday.days;
      for (let k = 0; k < count; k += 1) {
        const hour = clamp(peakHour + normal(random) * 2.5, 0, 23.9);
        const at = start + day * DAY + hour * HOUR;
        if (at >= end) continue;
        const devices = [laptop, phone, tablet].filter((d): d is Device => d !== null);
        const device = pick(devices);
        let net: Network;
        if (abroad) net = holidayNet;
        else if (device === phone && random() < 0.5) net = mobileNet();
        else if (workNet !== null && weekday > 0 && weekday < 6 && hour > 9 && hour < 17 && random() < 0.6)
          net = workNet;
        else if (random() < 0.04)
          net = network(home); // a café, a friend's Wi-Fi
        else net = homeNet;
        // The first day abroad starts after a flight.
        const when = abroad && day === holiday?.from ? at + 10 * HOUR : at;
        if (when < end) emit(userId, when, net, device.ua, 'benign', scenario);
      }
      // A shared account: someone else logs in most days, from their own device and network.
      if (sharingFrom >= 0 && day >= sharingFrom && random() < 0.7) {
        const at = start + day * DAY + clamp(sharer.hour + normal(random), 0, 23.9) * HOUR;
        emit(userId, at, sharer.net, sharer.device.ua, 'sharing', scenario);
      }
    }

    if (takeoverDay >= 0) {
      // Attackers: a third of them from the victim's own country (a residential proxy), a third on a
      // hosting network; often the commonest browser; some guess the password first.
      const domestic = random() < 0.33;
      const country = domestic ? home : pick(ATTACK_COUNTRIES.filter((c) => c.code !== home.code));
      const asn = random() < 0.33 ? pick(HOSTING_ASNS) : pick(country.asns);
      const net = network(country, asn);
      const ua = random() < 0.4 ? (DESKTOP_AGENTS[0] as Agent).ua : weighted([...DESKTOP_AGENTS, ...MOBILE_AGENTS]);
      let at = start + takeoverDay * DAY + random() * DAY;
      if (random() < 0.5) {
        const guesses = 1 + Math.floor(random() * 6);
        for (let g = 0; g < guesses; g += 1) {
          emit(userId, at, net, ua, 'takeover', scenario, false);
          at += (1 + random() * 3) * MINUTE;
        }
      }
      const sessions = 1 + Math.floor(random() * 4);
      for (let s = 0; s < sessions && at < end; s += 1) {
        emit(userId, at, net, ua, 'takeover', scenario);
        at += (10 + random() * 600) * MINUTE;
      }
    }
  }

  // Credential stuffing: a few rigs each try many accounts from one /24 within minutes.
  const rigs = Math.max(1, Math.round(options.users / 1000));
  for (let r = 0; r < rigs; r += 1) {
    const country = pick(ATTACK_COUNTRIES);
    const net = network(country, pick(HOSTING_ASNS));
    const ua = (DESKTOP_AGENTS[0] as Agent).ua;
    let at = start + (5 + random() * (options.days - 6)) * DAY;
    const targets = Math.min(options.users, 150);
    for (let t = 0; t < targets; t += 1) {
      const userId = `u${String(Math.floor(random() * options.users)).padStart(5, '0')}`;
      emit(userId, at, net, ua, 'stuffing', 'credential stuffing', random() < 0.05);
      at += random() * 4000;
    }
  }

  return events.sort((a, b) => a.body.timestamp - b.body.timestamp);
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

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const round = (value: number) => Math.round(value * 1000) / 1000;

/** The original contract's tokens, as a producer derives them from the user agent. */
function legacyTokens(ua: string): { browser: string | null; os: string | null; device: string | null } {
  const { browser, os, device } = parseUserAgent(ua);
  return { browser, os, device: device === 'mobile' ? 'phone' : device === 'desktop' ? 'laptop' : device };
}
