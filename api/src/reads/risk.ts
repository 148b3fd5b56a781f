import type { DriftReasonCode } from '../domain/drift.ts';
import { currentRisk } from '../domain/risk/score.ts';
import { DAY_MS } from '../domain/timestamp.ts';
import type { ActivityDay, PersonaRows } from '../storage/ports.ts';

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

export interface RiskNow {
  /** Decayed to now. */
  score: number;
  /** As last raised, before decay. */
  peak: number;
  /** When it was last raised; null before the first v2-scored event. */
  at: number | null;
}

/** A user's v2 risk now, from the stored peak and when it was raised. */
export function riskNow(user: { risk: number; riskAt: Date | null }, now: number): RiskNow {
  const at = user.riskAt?.getTime() ?? null;
  const score = at === null ? 0 : currentRisk({ score: user.risk, at }, now);
  return { score, peak: user.risk, at };
}

const FACTOR_ORDER = [
  'MULTIPLE_IPS',
  'MULTIPLE_OS',
  'MULTIPLE_BROWSERS',
  'MULTIPLE_DEVICE_TYPES',
  'ABRUPT_DEVICE_SWITCH',
] as const satisfies readonly DriftReasonCode[];

function riskDay(day: number, activity: ActivityDay | undefined): RiskDay {
  return {
    day: new Date(day * DAY_MS).toISOString().slice(0, 10),
    events: activity?.events ?? 0,
    maxDriftScore: activity?.maxDriftScore ?? null,
    maxRisk: activity?.maxRisk ?? null,
    factors: FACTOR_ORDER.map((code) => ({ code, count: activity?.factors[code] ?? 0 })),
  };
}

/** Reads of a user's risk over time. */
export class RiskReads {
  readonly #rows: PersonaRows;

  constructor(rows: PersonaRows) {
    this.#rows = rows;
  }

  /**
   * Per-day risk for one user over the `days` days ending with the day of their
   * newest event (or `until`). Days without events are included, so charts see gaps.
   */
  async byDay(userId: string, lastSeen: Date, days: number, until?: Date | null): Promise<RiskDay[]> {
    const end = Math.floor((until ?? lastSeen).getTime() / DAY_MS) + 1;
    const start = end - days;
    const activity = await this.#rows.activityByDay(userId, start, end);
    const byDay = new Map(activity.map((day) => [day.day, day]));
    const out: RiskDay[] = [];
    for (let day = start; day < end; day++) out.push(riskDay(day, byDay.get(day)));
    return out;
  }
}
