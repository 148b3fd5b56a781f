import { LEVEL_FLOORS, type RiskLevel, riskLevel, USER_RISK_HALF_LIFE_MS, type UserRisk } from './score.ts';
import type { VerdictKind } from './verdict.ts';

/**
 * Where a user stands for an analyst: one severity on the product's one scale
 * (low / medium / high / critical), and the order of the "at risk" list.
 *
 * An unresolved alert or a verdict outranks any decayed score: they stay until
 * an analyst acts or the evidence changes, while event risk halves every day.
 */

/** A level as a number that orders: 0 for none, then low 1 … critical 4. */
export type LevelRank = 0 | 1 | 2 | 3 | 4;

/** Lowest first. */
const LEVELS: readonly RiskLevel[] = LEVEL_FLOORS.map(([level]) => level).reverse();

export function levelRank(level: RiskLevel | null): LevelRank {
  return level === null ? 0 : ((LEVELS.indexOf(level) + 1) as LevelRank);
}

/** The rank of the highest of these levels (a user's unresolved alerts); 0 for none. */
export function highestLevel(levels: readonly RiskLevel[]): LevelRank {
  return Math.max(0, ...levels.map(levelRank)) as LevelRank;
}

export function levelOfRank(rank: number): RiskLevel | null {
  return rank <= 0 ? null : (LEVELS[Math.min(rank, LEVELS.length) - 1] ?? null);
}

/**
 * How serious each verdict is. A takeover is an intruder in the account; a
 * login from a stuffing source means the password is known to attackers;
 * sharing breaks policy but nobody is locked out.
 */
export const VERDICT_LEVELS: Readonly<Record<VerdictKind, RiskLevel>> = {
  takeover: 'critical',
  stuffing: 'high',
  sharing: 'medium',
};

/** What the user's standing is made of, as stored on the user. */
export interface Standing {
  /** The level of the user's highest unresolved (open or acknowledged) alert; 0 when none. */
  alertLevel: LevelRank;
  verdict: VerdictKind | null;
}

export const NO_STANDING: Standing = { alertLevel: 0, verdict: null };

/** The first key of the "at risk" order: the higher of the alert's and the verdict's level. */
export function attention(standing: Standing): LevelRank {
  const verdict = standing.verdict === null ? 0 : levelRank(VERDICT_LEVELS[standing.verdict]);
  return Math.max(standing.alertLevel, verdict) as LevelRank;
}

/** The key of a user without any risk: below every risen one. */
export const NO_RISK_KEY = -1_000_000_000;

/**
 * Orders users by decayed risk without the clock: risk·2^(−(now−at)/halfLife)
 * compares like log2(risk) + at/halfLife for every `now`, because every
 * user's risk halves on the same clock. So the order is stored, and only a
 * riskier event (or triage) moves a user in it.
 */
export function riskKey(risk: UserRisk | null): number {
  if (risk === null || risk.score <= 0) return NO_RISK_KEY;
  return Math.log2(risk.score) + risk.at / USER_RISK_HALF_LIFE_MS;
}

export type SeverityBasis = 'score' | 'open_alert' | 'verdict';

export interface Severity {
  /** The user's level now: the highest of the score's band, the unresolved alert's level and the verdict's. */
  level: RiskLevel;
  /** The band of the decayed score alone. */
  scoreLevel: RiskLevel;
  /** What sets `level`; the alert before the verdict before the score when they agree. */
  basis: SeverityBasis;
}

/** One severity per user, so no badge says "low" while an open critical alert waits. */
export function severity(score: number, standing: Standing): Severity {
  const scoreLevel = riskLevel(score);
  const candidates: Array<[SeverityBasis, LevelRank]> = [
    ['open_alert', standing.alertLevel],
    ['verdict', standing.verdict === null ? 0 : levelRank(VERDICT_LEVELS[standing.verdict])],
    ['score', levelRank(scoreLevel)],
  ];
  let [basis, rank] = candidates[0] as [SeverityBasis, LevelRank];
  for (const [candidate, candidateRank] of candidates) {
    if (candidateRank > rank) [basis, rank] = [candidate, candidateRank];
  }
  return { level: levelOfRank(rank) ?? scoreLevel, scoreLevel, basis };
}
