import type { Observation } from '../observation.ts';
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
