import type { ActivityDay } from './ports.ts';

/** A day of a user's events as both engines' queries return it: the legacy factors counted one column each. */
export interface DayRow {
  day: number;
  events: number;
  maxDriftScore: number | null;
  maxRisk: number | null;
  ips: number;
  os: number;
  browsers: number;
  devices: number;
  switches: number;
}

export function activityDayOf(row: DayRow): ActivityDay {
  return {
    day: row.day,
    events: row.events,
    maxDriftScore: row.maxDriftScore,
    maxRisk: row.maxRisk,
    factors: {
      MULTIPLE_IPS: row.ips,
      MULTIPLE_OS: row.os,
      MULTIPLE_BROWSERS: row.browsers,
      MULTIPLE_DEVICE_TYPES: row.devices,
      ABRUPT_DEVICE_SWITCH: row.switches,
    },
  };
}
