import type { UserAggregate } from '../domain/aggregate.ts';

type Moment = number | Date;

function ms(value: Moment): number {
  return typeof value === 'number' ? value : value.getTime();
}

/** The User table's columns; DateTime columns read as numbers (raw) or Dates (Prisma). */
export interface UserRow {
  id: string;
  eventCount: number;
  firstSeen: Moment;
  lastSeen: Moment;
  ipClassCount: number;
  osCount: number;
  browserCount: number;
  deviceCount: number;
  habitualBrowser: string | null;
  habitualBrowserCount: number;
  habitualOs: string | null;
  habitualOsCount: number;
  habitualDevice: string | null;
  habitualDeviceCount: number;
  habitualIpClass: string | null;
  habitualIpClassCount: number;
  fingerprint: string;
  stability: number;
  latestEventId: number | null;
  latestAt: Moment | null;
  latestBrowser: string | null;
  latestOs: string | null;
  latestDevice: string | null;
  latestIpClass: string | null;
  previousEventId: number | null;
  previousAt: Moment | null;
  previousDevice: string | null;
  driftScore: number;
}

function habit(value: string | null, count: number) {
  return value === null ? null : { value, count };
}

/** Rebuilds the aggregate from a stored row. */
export function fromUserRow(row: UserRow): UserAggregate {
  return {
    userId: row.id,
    eventCount: row.eventCount,
    firstSeen: ms(row.firstSeen),
    lastSeen: ms(row.lastSeen),
    distinct: { browser: row.browserCount, os: row.osCount, device: row.deviceCount, ipClass: row.ipClassCount },
    habitual: {
      browser: habit(row.habitualBrowser, row.habitualBrowserCount),
      os: habit(row.habitualOs, row.habitualOsCount),
      device: habit(row.habitualDevice, row.habitualDeviceCount),
      ipClass: habit(row.habitualIpClass, row.habitualIpClassCount),
    },
    latest:
      row.latestEventId === null || row.latestAt === null
        ? null
        : {
            id: row.latestEventId,
            at: ms(row.latestAt),
            tokens: {
              browser: row.latestBrowser,
              os: row.latestOs,
              device: row.latestDevice,
              ipClass: row.latestIpClass,
            },
          },
    // Only the previous event's device is kept: it is all the drift rules read.
    previous:
      row.previousEventId === null || row.previousAt === null
        ? null
        : {
            id: row.previousEventId,
            at: ms(row.previousAt),
            tokens: { browser: null, os: null, device: row.previousDevice, ipClass: null },
          },
    fingerprint: row.fingerprint,
    stability: row.stability,
    driftScore: row.driftScore,
  };
}

/** Named parameters for the writer's UPDATE of a User row. */
export function toUserParams(a: UserAggregate): Record<string, unknown> {
  return {
    id: a.userId,
    eventCount: a.eventCount,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    ipClassCount: a.distinct.ipClass,
    osCount: a.distinct.os,
    browserCount: a.distinct.browser,
    deviceCount: a.distinct.device,
    habitualBrowser: a.habitual.browser?.value ?? null,
    habitualBrowserCount: a.habitual.browser?.count ?? 0,
    habitualOs: a.habitual.os?.value ?? null,
    habitualOsCount: a.habitual.os?.count ?? 0,
    habitualDevice: a.habitual.device?.value ?? null,
    habitualDeviceCount: a.habitual.device?.count ?? 0,
    habitualIpClass: a.habitual.ipClass?.value ?? null,
    habitualIpClassCount: a.habitual.ipClass?.count ?? 0,
    fingerprint: a.fingerprint,
    stability: a.stability,
    latestEventId: a.latest?.id ?? null,
    latestAt: a.latest?.at ?? null,
    latestBrowser: a.latest?.tokens.browser ?? null,
    latestOs: a.latest?.tokens.os ?? null,
    latestDevice: a.latest?.tokens.device ?? null,
    latestIpClass: a.latest?.tokens.ipClass ?? null,
    previousEventId: a.previous?.id ?? null,
    previousAt: a.previous?.at ?? null,
    previousDevice: a.previous?.tokens.device ?? null,
    driftScore: a.driftScore,
  };
}
