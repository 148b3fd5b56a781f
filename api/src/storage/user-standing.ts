import type { RiskLevel } from '../domain/risk/score.ts';
import { attention, highestLevel } from '../domain/risk/standing.ts';
import type { VerdictKind } from '../domain/risk/verdict.ts';
import type { RankValues } from './rank-history.ts';
import type { SqliteDatabase } from './sqlite.ts';

/**
 * A user's standing as stored (User.alertLevel, verdict, attention) kept
 * right outside ingest: after triage, and after retention purges alerts and
 * events. Runs inside the caller's transaction.
 */
export class UserStanding {
  readonly #values;
  readonly #unresolvedLevels;
  readonly #update;

  constructor(db: SqliteDatabase) {
    this.#values = db
      .prepare<[string], [number, number, number, number, number, string | null]>(
        'SELECT attention, riskKey, driftScore, lastSeen, eventCount, verdict FROM "User" WHERE id = ?',
      )
      .raw();
    this.#unresolvedLevels = db
      .prepare<[string], string>(`SELECT DISTINCT level FROM "Alert" WHERE userId = ? AND status != 'resolved'`)
      .pluck();
    this.#update = db.prepare<[number, string | null, number, string]>(
      'UPDATE "User" SET alertLevel = ?, verdict = ?, attention = ? WHERE id = ?',
    );
  }

  /** The user's values in every ranking; undefined for an unknown user. */
  rankValues(userId: string): RankValues | undefined {
    const row = this.#values.get(userId);
    if (row === undefined) return undefined;
    const [attentionRank, riskKey, driftScore, lastSeen, eventCount, verdict] = row;
    return { attention: attentionRank, riskKey, driftScore, lastSeen, eventCount, verdict };
  }

  /** Recomputes the level of the user's unresolved alerts, sets their verdict when given, and the attention they make. */
  refresh(userId: string, verdict?: VerdictKind | null): void {
    const current = this.rankValues(userId);
    if (current === undefined) return;
    const levels = this.#unresolvedLevels.all(userId) as RiskLevel[];
    const alertLevel = highestLevel(levels);
    const kept = verdict === undefined ? (current.verdict as VerdictKind | null) : verdict;
    this.#update.run(alertLevel, kept, attention({ alertLevel, verdict: kept }), userId);
  }
}

/** Whether any ranking value differs. */
export function rankMoved(before: RankValues, after: RankValues): boolean {
  return (
    before.attention !== after.attention ||
    before.riskKey !== after.riskKey ||
    before.driftScore !== after.driftScore ||
    before.lastSeen !== after.lastSeen ||
    before.eventCount !== after.eventCount ||
    before.verdict !== after.verdict
  );
}
