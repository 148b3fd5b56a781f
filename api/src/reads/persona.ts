import { driftFacts, habitTokens, type UserAggregate } from '../domain/aggregate.ts';
import { type DriftEvidence, type ExplainedReason, explainDrift, legacyDrift } from '../domain/drift.ts';
import { tokenStrings } from '../domain/tokens.ts';
import type { Awaitable, EvidenceToken, PersonaRows } from '../storage/ports.ts';
import { fromUserRow, type UserRow } from '../storage/user-row.ts';

export interface ExplainedDrift {
  score: number;
  reasons: ExplainedReason[];
}

export interface FingerprintView {
  hash: string;
  stability: number;
  /** The habitual tokens the hash is computed from. */
  habitualTokens: string[];
  /** The latest event's tokens. */
  latestTokens: string[];
}

/** The most values listed as evidence for one reason. */
export const MAX_EVIDENCE = 20;

function evidenceFrom(tokens: readonly EvidenceToken[]): DriftEvidence {
  const of = (dimension: string) =>
    tokens
      .filter((t) => t.dimension === dimension)
      .slice(0, MAX_EVIDENCE)
      .map((t) => t.value);
  return { ipClasses: of('ipClass'), os: of('os'), browsers: of('browser'), devices: of('device') };
}

/**
 * A user's legacy drift, each reason with what it saw: the user's most
 * frequent tokens (see `PersonaReads.evidence`), or the device pair of a switch.
 */
export function driftOf(aggregate: UserAggregate, tokens: readonly EvidenceToken[] = []): ExplainedDrift {
  const facts = driftFacts(aggregate);
  const drift = legacyDrift(facts);
  return { score: drift.score, reasons: explainDrift(drift, facts, evidenceFrom(tokens)) };
}

/** A stored user's fingerprint as every interface shows it. */
export function fingerprintOf(row: UserRow): FingerprintView {
  const aggregate = fromUserRow(row);
  return {
    hash: aggregate.fingerprint,
    stability: aggregate.stability,
    habitualTokens: tokenStrings(habitTokens(aggregate.habitual)),
    latestTokens: aggregate.latest === null ? [] : tokenStrings(aggregate.latest.tokens),
  };
}

/**
 * A user's persona from the aggregate row written at ingest: a primary-key
 * lookup, never a scan of the user's history.
 */
export class PersonaReads {
  readonly #rows: PersonaRows;

  constructor(rows: PersonaRows) {
    this.#rows = rows;
  }

  /** The user's drift and event count, without token evidence; null for an unknown user. */
  async drift(userId: string): Promise<{ events: number; drift: ExplainedDrift } | null> {
    const user = await this.#rows.user(userId);
    return user === undefined ? null : { events: user.eventCount, drift: driftOf(fromUserRow(user)) };
  }

  /** The user's fingerprint and event count; null for an unknown user. */
  async fingerprint(userId: string): Promise<(FingerprintView & { events: number }) | null> {
    const user = await this.#rows.user(userId);
    return user === undefined ? null : { ...fingerprintOf(user), events: user.eventCount };
  }

  /** Drift evidence for many users in one statement (a page of users batches into it). */
  evidence(userIds: readonly string[]): Awaitable<Map<string, EvidenceToken[]>> {
    return this.#rows.evidence(userIds, MAX_EVIDENCE);
  }
}
