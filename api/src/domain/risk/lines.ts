import { householdAddress } from '../ip.ts';
import { bitCount, hourBit, shiftDays } from './day-mask.ts';
import type { Observation } from './observation.ts';

/**
 * A fixed home line: one public address of an ordinary ISP network (an IPv4
 * address, or an IPv6 /64) the account was used from. A household reaches
 * the internet through one router, so at any time all its devices share one
 * address; the provider moves it to a new address now and then, and the old
 * one does not come back to it. An address that keeps coming back while the
 * account's other addresses on the same provider move on is a second
 * household (verdict.ts).
 */
export interface Line {
  /** As personas name networks: `AS3320`. */
  network: string;
  address: string;
  firstAt: number;
  lastAt: number;
  /** Bit d set: used on the UTC day d days before the profile's newest day (as Persona.days). */
  days: number;
  /** Bit h set: used in UTC hour h. */
  hours: number;
  /** Devices seen on it, as personas name them (the first MAX_LINE_DEVICES). */
  devices: string[];
}

/**
 * Lines kept per user. The one used on the fewest days goes first (then the
 * one unused longest): a phone on a carrier that also runs fixed lines gets a
 * new address per session, and those must not push out the lines that last.
 */
export const MAX_LINES = 8;
const MAX_LINE_DEVICES = 4;

/** The line an observation was made on, or null when it is not a fixed line's public address. */
export function lineAddressOf(observation: Observation): string | null {
  const { ip, scope, type } = observation.network;
  if (ip === null || scope !== 'public' || type !== 'isp') return null;
  // The observation's address is already canonical: only an IPv6 one needs its /64.
  return ip.includes(':') ? householdAddress(ip) : ip;
}

/**
 * Moves the lines forward with one successful event: ages their day masks by
 * `shift` days (dropping lines no longer used in the remembered days), then
 * marks the event's line. Returns whether anything a verdict reads changed.
 */
export function advanceLines(
  lines: Line[],
  observation: Observation,
  network: string | null,
  device: string | null,
  shift: number,
  age: number,
  daysKept: number,
): boolean {
  let changed = false;
  if (shift > 0) {
    let kept = 0;
    for (const line of lines) {
      line.days = shiftDays(line.days, shift, daysKept);
      if (line.days !== 0) lines[kept++] = line;
    }
    if (kept !== lines.length) changed = true;
    lines.length = kept;
  }
  const address = lineAddressOf(observation);
  if (address === null || network === null) return changed;
  const { at } = observation;
  let line = lines.find((held) => held.address === address);
  if (line === undefined) {
    line = { network, address, firstAt: at, lastAt: at, days: 0, hours: 0, devices: [] };
    lines.push(line);
    if (lines.length > MAX_LINES) dropWeakest(lines, line);
    changed = true;
  }
  const { days, hours } = line;
  line.firstAt = Math.min(line.firstAt, at);
  line.lastAt = Math.max(line.lastAt, at);
  if (age < daysKept) line.days |= 1 << age;
  line.hours |= hourBit(at);
  if (device !== null && !line.devices.includes(device) && line.devices.length < MAX_LINE_DEVICES) {
    line.devices.push(device);
    changed = true;
  }
  return changed || days !== line.days || hours !== line.hours;
}

function dropWeakest(lines: Line[], current: Line): void {
  let weakest: Line | undefined;
  let weakestDays = 0;
  for (const line of lines) {
    if (line === current) continue;
    const days = bitCount(line.days);
    if (weakest === undefined || days < weakestDays || (days === weakestDays && line.lastAt < weakest.lastAt)) {
      weakest = line;
      weakestDays = days;
    }
  }
  if (weakest !== undefined) lines.splice(lines.indexOf(weakest), 1);
}

export function copyLine(line: Line): Line {
  return { ...line, devices: [...line.devices] };
}
