import type { DriftReasonCode as Code } from '../../domain/drift.ts';
import { FACTOR_BITS } from '../../domain/factors.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { prisma } from '../../storage/db.ts';
import { builder } from '../builder.ts';
import { DriftReasonCode } from './drift.ts';

const DAY_MS = 86_400_000;
export const MAX_RISK_DAYS = 366;

export interface RiskDayShape {
  day: string;
  events: number;
  maxDriftScore: number | null;
  /** The highest v2 event risk that day; null when no event was scored. */
  maxRisk: number | null;
  factors: Array<{ code: Code; count: number }>;
}

/** Numbers reach SQLite as REAL through $queryRaw; integer arithmetic needs them as integers. */
const int = (value: number) => BigInt(value);

interface DayRow {
  day: number | bigint;
  events: number | bigint;
  maxDriftScore: number | bigint | null;
  maxRisk: number | bigint | null;
  ips: number | bigint;
  os: number | bigint;
  browsers: number | bigint;
  devices: number | bigint;
  switches: number | bigint;
}

const FactorCount = builder.objectRef<{ code: Code; count: number }>('FactorCount').implement({
  fields: (t) => ({
    code: t.field({ type: DriftReasonCode, resolve: (f) => f.code }),
    count: t.exposeInt('count', { description: 'Events that day that raised this factor.' }),
  }),
});

export const RiskDay = builder.objectRef<RiskDayShape>('RiskDay').implement({
  description:
    "One UTC day of a user's risk: how many events, the highest drift score and v2 event risk, and each drift factor's count.",
  fields: (t) => ({
    day: t.exposeString('day', { description: 'YYYY-MM-DD (UTC).' }),
    events: t.exposeInt('events'),
    maxDriftScore: t.exposeInt('maxDriftScore', { nullable: true, description: 'Null on a day without events.' }),
    maxRisk: t.exposeInt('maxRisk', {
      nullable: true,
      description: 'The highest v2 event risk (0–100) that day; null when no event that day was scored by v2.',
    }),
    factors: t.field({ type: [FactorCount], resolve: (d) => d.factors }),
  }),
});

/**
 * Per-day risk for one user over the `days` days ending with the day of their
 * newest event (or `until`): one grouped range scan of the user's events in the
 * window. Days without events are included, so charts see gaps.
 */
export async function riskByDay(
  userId: string,
  lastSeen: Date,
  days: number,
  until?: Date | null,
): Promise<RiskDayShape[]> {
  const end = Math.floor((until ?? lastSeen).getTime() / DAY_MS) + 1;
  const start = end - days;
  const rows = await prisma().$queryRaw<DayRow[]>(Prisma.sql`
    SELECT timestamp / ${int(DAY_MS)} AS day, count(*) AS events, max(driftScore) AS maxDriftScore,
      max(CASE WHEN signals IS NOT NULL THEN risk END) AS maxRisk,
      sum((factors & ${int(FACTOR_BITS.MULTIPLE_IPS)}) != 0) AS ips,
      sum((factors & ${int(FACTOR_BITS.MULTIPLE_OS)}) != 0) AS os,
      sum((factors & ${int(FACTOR_BITS.MULTIPLE_BROWSERS)}) != 0) AS browsers,
      sum((factors & ${int(FACTOR_BITS.MULTIPLE_DEVICE_TYPES)}) != 0) AS devices,
      sum((factors & ${int(FACTOR_BITS.ABRUPT_DEVICE_SWITCH)}) != 0) AS switches
    FROM "Event"
    WHERE userId = ${userId} AND timestamp >= ${int(start * DAY_MS)} AND timestamp < ${int(end * DAY_MS)}
    GROUP BY day`);
  const byDay = new Map(rows.map((row) => [Number(row.day), row]));
  const out: RiskDayShape[] = [];
  for (let day = start; day < end; day++) {
    const row = byDay.get(day);
    const n = (value: number | bigint | undefined) => Number(value ?? 0);
    out.push({
      day: new Date(day * DAY_MS).toISOString().slice(0, 10),
      events: n(row?.events),
      maxDriftScore: row?.maxDriftScore == null ? null : Number(row.maxDriftScore),
      maxRisk: row?.maxRisk == null ? null : Number(row.maxRisk),
      factors: [
        { code: 'MULTIPLE_IPS', count: n(row?.ips) },
        { code: 'MULTIPLE_OS', count: n(row?.os) },
        { code: 'MULTIPLE_BROWSERS', count: n(row?.browsers) },
        { code: 'MULTIPLE_DEVICE_TYPES', count: n(row?.devices) },
        { code: 'ABRUPT_DEVICE_SWITCH', count: n(row?.switches) },
      ],
    });
  }
  return out;
}

builder.prismaObject('UserToken', {
  name: 'TokenCount',
  description: 'How often a user has shown one value of one dimension.',
  fields: (t) => ({
    dimension: t.exposeString('dimension', { description: 'browser, os, device or ipClass.' }),
    value: t.exposeString('value'),
    count: t.exposeInt('count'),
    firstSeen: t.expose('firstSeen', { type: 'DateTime' }),
    lastSeen: t.expose('lastSeen', { type: 'DateTime' }),
  }),
});
