/**
 * Two independently parameterised population families. A detection rule
 * tuned on one can be checked on the other: they differ in where users live
 * (and so time zones, networks and IP ranges), how crowded shared networks
 * are, the mix of benign lives, device vocabularies, what producers send, and
 * when and how attacks happen.
 */

export interface City {
  name: string;
  country: string;
  lat: number;
  lon: number;
  /** Hours from UTC (standard time; the evaluation ignores daylight saving). */
  utcOffset: number;
}

export type BenignType =
  | 'home evenings'
  | 'mobile only'
  | 'office hours'
  | 'rotating home subnet'
  | 'traveller'
  | 'new phone'
  | 'always VPN'
  | 'corporate VPN';

export type AttackType = 'takeover: new country' | 'takeover: stealth VPN/hosting' | 'sharing' | 'stuffing';

export const ATTACK_TYPES: readonly AttackType[] = [
  'takeover: new country',
  'takeover: stealth VPN/hosting',
  'sharing',
  'stuffing',
];

/** Event kinds besides `login`: what attackers do once in, and benign users now and then. */
export const SENSITIVE_KINDS = ['password_change', 'mfa_change', 'payout_added'] as const;

export interface Family {
  name: string;
  description: string;
  /** Where users live, with relative weights. */
  cities: Array<{ city: City; weight: number }>;
  /** About how many users' homes share one ISP /24. */
  usersPerHomeSubnet: number;
  /** CGNAT /24s per mobile carrier: every subscriber's traffic leaves through these. */
  cgnatSubnetsPerCarrier: number;
  /** Users behind one office NAT, [min, max]. */
  officeSize: [number, number];
  /** Share of each benign life among users. */
  mix: Record<BenignType, number>;
  /** Share of users per incident (stuffing is counted in rigs instead). */
  attacks: { newCountry: number; stealth: number; sharing: number };
  /**
   * Credential stuffing rigs: each tries a share of the users' accounts plus as many again times
   * `unknownPerKnown` account names that do not exist; `successRate` of the real ones get in.
   */
  stuffing: { rigs: number; accountShare: number; unknownPerKnown: number; successRate: number };
  /** Attacks start within this span of the run, as fractions of it. */
  attackWindow: [number, number];
  /** Probability a taken-over account sees password, MFA or payout changes. */
  sensitiveAfterTakeover: number;
  /** Logins per user per weekday, [min, max]. */
  eventsPerDay: [number, number];
  /** Days between DHCP address changes at home, [min, max]. */
  dhcpDays: [number, number];
  /** Whether producers send browser/os/device tokens besides the user agent. */
  sendsTokens: boolean;
  /** Share of events whose producer adds the city's coordinates. */
  coordinatesShare: number;
  desktopAgents: string[];
  mobileAgents: string[];
  /** The day of the week the run starts (0 = Sunday). */
  startWeekday: number;
}

const city = (name: string, country: string, lat: number, lon: number, utcOffset: number): City => ({
  name,
  country,
  lat,
  lon,
  utcOffset,
});

export const CITIES = {
  berlin: city('Berlin', 'DE', 52.52, 13.405, 1),
  munich: city('Munich', 'DE', 48.137, 11.575, 1),
  london: city('London', 'GB', 51.507, -0.128, 0),
  manchester: city('Manchester', 'GB', 53.48, -2.243, 0),
  paris: city('Paris', 'FR', 48.857, 2.352, 1),
  lyon: city('Lyon', 'FR', 45.764, 4.836, 1),
  amsterdam: city('Amsterdam', 'NL', 52.368, 4.904, 1),
  madrid: city('Madrid', 'ES', 40.417, -3.704, 1),
  barcelona: city('Barcelona', 'ES', 41.385, 2.173, 1),
  newYork: city('New York', 'US', 40.713, -74.006, -5),
  boston: city('Boston', 'US', 42.36, -71.059, -5),
  losAngeles: city('Los Angeles', 'US', 34.052, -118.244, -8),
  chicago: city('Chicago', 'US', 41.878, -87.63, -6),
  toronto: city('Toronto', 'CA', 43.653, -79.383, -5),
  vancouver: city('Vancouver', 'CA', 49.283, -123.121, -8),
  saoPaulo: city('São Paulo', 'BR', -23.551, -46.633, -3),
  tokyo: city('Tokyo', 'JP', 35.676, 139.65, 9),
  osaka: city('Osaka', 'JP', 34.694, 135.502, 9),
  sydney: city('Sydney', 'AU', -33.869, 151.209, 10),
  melbourne: city('Melbourne', 'AU', -37.814, 144.963, 10),
  mumbai: city('Mumbai', 'IN', 19.076, 72.878, 5.5),
  delhi: city('Delhi', 'IN', 28.704, 77.102, 5.5),
  mexicoCity: city('Mexico City', 'MX', 19.433, -99.133, -6),
} as const;

/** Every city a traveller may fly to. */
export const DESTINATIONS: City[] = Object.values(CITIES);

const FAMILY_A: Family = {
  name: 'a',
  description:
    'Europe and the US east coast; crowded ISP /24s, many office workers, corporate VPNs, producers send tokens',
  cities: [
    { city: CITIES.berlin, weight: 12 },
    { city: CITIES.munich, weight: 6 },
    { city: CITIES.london, weight: 14 },
    { city: CITIES.manchester, weight: 6 },
    { city: CITIES.paris, weight: 10 },
    { city: CITIES.lyon, weight: 4 },
    { city: CITIES.amsterdam, weight: 6 },
    { city: CITIES.madrid, weight: 7 },
    { city: CITIES.barcelona, weight: 5 },
    { city: CITIES.newYork, weight: 12 },
    { city: CITIES.boston, weight: 5 },
  ],
  usersPerHomeSubnet: 120,
  cgnatSubnetsPerCarrier: 3,
  officeSize: [30, 200],
  mix: {
    'home evenings': 30,
    'mobile only': 10,
    'office hours': 20,
    'rotating home subnet': 10,
    traveller: 8,
    'new phone': 8,
    'always VPN': 6,
    'corporate VPN': 8,
  },
  attacks: { newCountry: 0.02, stealth: 0.02, sharing: 0.02 },
  stuffing: { rigs: 2, accountShare: 0.04, unknownPerKnown: 2, successRate: 0.04 },
  attackWindow: [0.4, 0.95],
  sensitiveAfterTakeover: 0.8,
  eventsPerDay: [0.8, 3],
  dhcpDays: [3, 10],
  sendsTokens: true,
  coordinatesShare: 0,
  desktopAgents: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  ],
  mobileAgents: [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  ],
  startWeekday: 1,
};

const FAMILY_B: Family = {
  name: 'b',
  description:
    'the Americas, Japan, Australia and India; carrier CGNAT-heavy, fewer offices, consumer VPNs, user agent only, some coordinates',
  cities: [
    { city: CITIES.losAngeles, weight: 8 },
    { city: CITIES.chicago, weight: 6 },
    { city: CITIES.toronto, weight: 6 },
    { city: CITIES.vancouver, weight: 3 },
    { city: CITIES.saoPaulo, weight: 10 },
    { city: CITIES.tokyo, weight: 10 },
    { city: CITIES.osaka, weight: 4 },
    { city: CITIES.sydney, weight: 6 },
    { city: CITIES.melbourne, weight: 4 },
    { city: CITIES.mumbai, weight: 10 },
    { city: CITIES.delhi, weight: 8 },
    { city: CITIES.mexicoCity, weight: 7 },
  ],
  usersPerHomeSubnet: 220,
  cgnatSubnetsPerCarrier: 2,
  officeSize: [15, 80],
  mix: {
    'home evenings': 22,
    'mobile only': 24,
    'office hours': 10,
    'rotating home subnet': 14,
    traveller: 10,
    'new phone': 10,
    'always VPN': 10,
    'corporate VPN': 0,
  },
  attacks: { newCountry: 0.015, stealth: 0.03, sharing: 0.03 },
  stuffing: { rigs: 3, accountShare: 0.025, unknownPerKnown: 4, successRate: 0.06 },
  attackWindow: [0.5, 0.97],
  sensitiveAfterTakeover: 0.6,
  eventsPerDay: [0.5, 4],
  dhcpDays: [1, 6],
  sendsTokens: false,
  coordinatesShare: 0.3,
  desktopAgents: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  ],
  mobileAgents: [
    'Mozilla/5.0 (Linux; Android 14; 23127PN0CG) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Linux; Android 13; moto g84 5G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  ],
  startWeekday: 4,
};

export const FAMILIES: Record<string, Family> = { a: FAMILY_A, b: FAMILY_B };
