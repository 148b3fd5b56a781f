// A deterministic demo population for the dashboard: mostly steady users, some
// with a phone beside their laptop, travellers, shared accounts and takeovers.
import { seededRandom } from './seeded-random.ts';

interface Device {
  device: string;
  browser: string;
  os: string;
  networks: string[];
}
const LAPTOPS = [
  { device: 'laptop', browser: 'chrome', os: 'windows' },
  { device: 'laptop', browser: 'safari', os: 'macos' },
  { device: 'desktop', browser: 'edge', os: 'windows' },
  { device: 'laptop', browser: 'firefox', os: 'linux' },
];
const PHONES = [
  { device: 'phone', browser: 'safari', os: 'ios' },
  { device: 'phone', browser: 'chrome', os: 'android' },
];
const FIRST = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'yara',
];

type Persona = 'steady' | 'two-devices' | 'traveller' | 'takeover' | 'shared';
function personaOf(index: number): Persona {
  if (index % 16 === 3) return 'takeover';
  if (index % 16 === 7) return 'shared';
  if (index % 16 === 11) return 'traveller';
  return index % 3 === 0 ? 'two-devices' : 'steady';
}

export interface SeedEvent {
  user_id: string;
  kind: string;
  timestamp: string;
  event_id: string;
  meta: Record<string, string>;
}

/** Events for `userCount` users over the `days` days before `now`, oldest first; ids make re-sending safe. */
export function demoEvents(userCount: number, days: number, now: number): SeedEvent[] {
  const random = seededRandom(20261123);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const network = () =>
    `${Math.floor(random() * 180) + 20}.${Math.floor(random() * 250)}.${Math.floor(random() * 250)}`;
  const host = (net: string) => `${net}.${Math.floor(random() * 250) + 2}`;
  const start = now - days * 86_400_000;
  const events: SeedEvent[] = [];

  for (let index = 0; index < userCount; index++) {
    const userId = `${FIRST[index % FIRST.length]}${index >= FIRST.length ? Math.floor(index / FIRST.length) + 1 : ''}`;
    const persona = personaOf(index);
    const home: Device = { ...pick(LAPTOPS), networks: [network()] };
    const phone: Device = { ...pick(PHONES), networks: [network(), network()] };
    const intruder: Device = { device: 'desktop', browser: 'firefox', os: 'linux', networks: [network()] };
    let n = 0;
    for (let day = 0; day < days; day++) {
      const logins = persona === 'shared' ? 3 + Math.floor(random() * 3) : 1 + Math.floor(random() * 3);
      for (let i = 0; i < logins; i++) {
        let device = home;
        if (persona === 'two-devices' && random() < 0.4) device = phone;
        if (persona === 'shared') device = random() < 0.5 ? phone : home;
        if (persona === 'takeover' && day >= days - 4 && random() < 0.7) device = intruder;
        const net =
          persona === 'traveller' && day >= days - 10 && day < days - 6 ? `${network()}` : pick(device.networks);
        const at =
          start + day * 86_400_000 + (8 + Math.floor(random() * 12)) * 3_600_000 + Math.floor(random() * 3_600_000);
        if (at > now) continue;
        const kind = i === 0 ? 'login' : pick(['login', 'action', 'action', 'logout', 'purchase']);
        events.push({
          user_id: userId,
          kind: persona === 'takeover' && device === intruder && i === 1 ? 'password_change' : kind,
          timestamp: new Date(at).toISOString(),
          event_id: `seed-${userId}-${n++}`,
          meta: { browser: device.browser, os: device.os, ip: host(net), device: device.device, source: 'seed' },
        });
      }
    }
  }
  return events.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
