import { isHandheld, type Observation } from '../observation.ts';
import { RECENT_WINDOW_MS, type RecentEvent, type RiskProfile } from '../profile.ts';
import type { Signal } from '../signals.ts';

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
  const sharing = sessionSharing(profile, observation);
  if (sharing !== null) signals.push(sharing);
  return signals;
}

/**
 * Two computers on two networks taking turns within the hour (A, B, A, B),
 * each computer on its own network: the shape of two people in one account at
 * once. Phones and tablets are left out, as they carry their network with
 * them: one person's phone moves between Wi-Fi and mobile data, and beside
 * their laptop at home it is one place, not two. A computer seen on two
 * networks in the hour is one person moving, not two taking turns.
 */
function sessionSharing(profile: RiskProfile, observation: Observation): Signal | null {
  const { at } = observation;
  const window: RecentEvent[] = [];
  for (const event of profile.recent) if (at - event.at <= SHARING_WINDOW_MS && event.at <= at) window.push(event);
  window.push({ at, device: observation.client.device, subnet: observation.network.subnet });
  const turns = window.filter((event) => event.device !== null && event.subnet !== null && !isHandheld(event.device));
  const networkOf = new Map<string, string>();
  const devices = new Set<string>();
  for (const { device, subnet } of turns as Array<{ device: string; subnet: string }>) {
    if ((networkOf.get(device) ?? subnet) !== subnet) return null;
    networkOf.set(device, subnet);
    devices.add(device);
  }
  const subnets = new Set(networkOf.values()).size;
  if (devices.size < 2 || subnets < 2) return null;
  let switches = 0;
  for (let index = 1; index < turns.length; index += 1) {
    if ((turns[index - 1] as RecentEvent).device !== (turns[index] as RecentEvent).device) switches += 1;
  }
  if (switches < SHARING_SWITCHES) return null;
  return {
    name: 'session_sharing',
    score: switches >= 2 * SHARING_SWITCHES ? 0.5 : 0.3,
    message: `${switches} switches between ${devices.size} computers on ${subnets} networks within the hour`,
    evidence: { switches, devices: devices.size, subnets, events: turns.length },
  };
}
