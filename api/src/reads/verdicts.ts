import type { Evidence } from '../domain/risk/signals.ts';
import { type VerdictKind, verdictOf } from '../domain/risk/verdict.ts';
import type { PersonaRows, ProfileReads } from '../storage/ports.ts';

/** A user's verdict as every interface shows it. */
export interface UserVerdict {
  kind: VerdictKind;
  confidence: number;
  since: Date;
  evidence: Array<{ message: string; values: Evidence }>;
}

/**
 * Users' verdicts (takeover, sharing, stuffing), decided when read from the
 * risk profile as of the last commit: the profile already holds everything a
 * verdict needs, and a verdict read this way can never be older than the
 * events the response cache was last cleared for.
 */
export class VerdictReads {
  readonly #profiles: ProfileReads;
  readonly #rows: PersonaRows;

  constructor(profiles: ProfileReads, rows: PersonaRows) {
    this.#profiles = profiles;
    this.#rows = rows;
  }

  /** The verdict of a user known to exist; null when there is none. */
  async of(userId: string): Promise<UserVerdict | null> {
    const verdict = verdictOf(await this.#profiles.read(userId));
    return verdict === null ? null : { ...verdict, since: new Date(verdict.since) };
  }

  /** The user's verdict, or null for an unknown user (`{ verdict: null }` when there is none). */
  async forUser(userId: string): Promise<{ verdict: UserVerdict | null } | null> {
    if ((await this.#rows.user(userId)) === undefined) return null;
    return { verdict: await this.of(userId) };
  }
}
