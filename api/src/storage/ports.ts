import type { UserRow } from './user-row.ts';

/** A user's token as drift evidence: one value of one dimension. */
export interface EvidenceToken {
  dimension: string;
  value: string;
}

/**
 * The read side's hot reads by key, outside Prisma: what an engine must answer
 * for `GET /drift`, `GET /fingerprint` and drift evidence. The rest of the read
 * side goes through the Prisma client, which every engine shares.
 */
export interface PersonaRows {
  /** The user's aggregate row, or undefined for an unknown user. */
  user(id: string): UserRow | undefined;
  /** Each user's `perDimension` most frequent values per dimension, most frequent first; one statement. */
  evidence(userIds: readonly string[], perDimension: number): Map<string, EvidenceToken[]>;
}
