import type { UserAggregate } from '../domain/aggregate.ts';
import type { UserRisk } from '../domain/risk/score.ts';
import { attention, type LevelRank, riskKey, type Standing } from '../domain/risk/standing.ts';
import type { VerdictKind } from '../domain/risk/verdict.ts';
import type { WriterUser } from './ports.ts';

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

/**
 * The User columns the writer reads and writes, in one fixed order: the hot
 * path binds and reads them positionally (better-sqlite3 builds and reads
 * named objects column by column in native code, several times slower).
 */
export const USER_COLUMNS = [
  'id',
  'eventCount',
  'firstSeen',
  'lastSeen',
  'ipClassCount',
  'osCount',
  'browserCount',
  'deviceCount',
  'habitualBrowser',
  'habitualBrowserCount',
  'habitualOs',
  'habitualOsCount',
  'habitualDevice',
  'habitualDeviceCount',
  'habitualIpClass',
  'habitualIpClassCount',
  'fingerprint',
  'stability',
  'latestEventId',
  'latestAt',
  'latestBrowser',
  'latestOs',
  'latestDevice',
  'latestIpClass',
  'previousEventId',
  'previousAt',
  'previousDevice',
  'driftScore',
] as const satisfies readonly (keyof UserRow)[];

/** A row read positionally in USER_COLUMNS order. */
export function fromUserValues(values: readonly unknown[]): UserRow {
  const row: Record<string, unknown> = {};
  USER_COLUMNS.forEach((column, index) => {
    row[column] = values[index];
  });
  return row as unknown as UserRow;
}

/** The aggregate as values in USER_COLUMNS order, for the writer's positional UPDATE. */
export function toUserValues(a: UserAggregate): unknown[] {
  return [
    a.userId,
    a.eventCount,
    a.firstSeen,
    a.lastSeen,
    a.distinct.ipClass,
    a.distinct.os,
    a.distinct.browser,
    a.distinct.device,
    a.habitual.browser?.value ?? null,
    a.habitual.browser?.count ?? 0,
    a.habitual.os?.value ?? null,
    a.habitual.os?.count ?? 0,
    a.habitual.device?.value ?? null,
    a.habitual.device?.count ?? 0,
    a.habitual.ipClass?.value ?? null,
    a.habitual.ipClass?.count ?? 0,
    a.fingerprint,
    a.stability,
    a.latest?.id ?? null,
    a.latest?.at ?? null,
    a.latest?.tokens.browser ?? null,
    a.latest?.tokens.os ?? null,
    a.latest?.tokens.device ?? null,
    a.latest?.tokens.ipClass ?? null,
    a.previous?.id ?? null,
    a.previous?.at ?? null,
    a.previous?.tokens.device ?? null,
    a.driftScore,
  ];
}

/** The User columns the ingest writer reads and writes, in order: the aggregate's, then the risk and the standing. */
export const WRITER_USER_COLUMNS = [
  ...USER_COLUMNS,
  'risk',
  'riskAt',
  'alertLevel',
  'verdict',
  'attention',
  'riskKey',
] as const;

/** The writer's user from a row read positionally in WRITER_USER_COLUMNS order. */
export function writerUserOf(values: readonly unknown[]): WriterUser {
  const [risk, riskAt, alertLevel, verdict] = values.slice(USER_COLUMNS.length) as [
    number,
    number | null,
    LevelRank,
    VerdictKind | null,
  ];
  return {
    aggregate: fromUserRow(fromUserValues(values.slice(0, USER_COLUMNS.length))),
    risk: riskAt === null ? null : { score: risk, at: riskAt },
    standing: { alertLevel, verdict },
  };
}

/** What the writer saves of a user, in WRITER_USER_COLUMNS order. */
export function writerUserValues(aggregate: UserAggregate, risk: UserRisk | null, standing: Standing): unknown[] {
  return [
    ...toUserValues(aggregate),
    risk?.score ?? 0,
    risk?.at ?? null,
    standing.alertLevel,
    standing.verdict,
    attention(standing),
    riskKey(risk),
  ];
}
