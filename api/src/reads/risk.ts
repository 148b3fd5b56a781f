import type { DriftReasonCode } from '../domain/drift.ts';
import { FACTOR_BITS } from '../domain/factors.ts';
import { currentRisk } from '../domain/risk/score.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from '../storage/prisma.ts';

const DAY_MS = 86_400_000;
/** The longest window `byDay` reads. */
export const MAX_RISK_DAYS = 366;

export interface RiskDay {
  day: string;
  events: number;
  maxDriftScore: number | null;
  /** The highest v2 event risk that day; null when no event was scored. */
  maxRisk: number | null;
  factors: Array<{ code: DriftReasonCode; count: number }>;
}

export interface UserRisk {
  /** Decayed to now. */
  score: number;
  /** As last raised, before decay. */
  peak: number;
  /** When it was last raised; null before the first v2-scored event. */
  at: number | null;
}

/** A user's v2 risk now, from the stored peak and when it was raised. */
export function userRisk(user: { risk: number; riskAt: Date | null }, now: number): UserRisk {
  const at = user.riskAt?.getTime() ?? null;
  const score = at === null ? 0 : currentRisk({ score: user.risk, at }, now);
  return { score, peak: user.risk, at };
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

/** Reads of a user's risk over time. */
export class RiskReads {
  readonly #prisma: PrismaClient;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  /**
   * Per-day risk for one user over the `days` days ending with the day of their
   * newest event (or `until`): one grouped range scan of the user's events in the
   * window. Days without events are included, so charts see gaps.
   */
  async byDay(userId: string, lastSeen: Date, days: number, until?: Date | null): Promise<RiskDay[]> {
    const end = Math.floor((until ?? lastSeen).getTime() / DAY_MS) + 1;
    const start = end - days;
    const rows = await this.#prisma.$queryRaw<DayRow[]>(Prisma.sql`
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
    const out: RiskDay[] = [];
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
}
