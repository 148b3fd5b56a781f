/** How fast a user's history fades: a habit not seen for this long counts half. */
export const HABIT_HALF_LIFE_MS = 30 * 24 * 3600 * 1000;

/** The factor a weight recorded `elapsedMs` ago has decayed by. */
export function decayFactor(elapsedMs: number, halfLifeMs: number = HABIT_HALF_LIFE_MS): number {
  return elapsedMs <= 0 ? 1 : 2 ** (-elapsedMs / halfLifeMs);
}
