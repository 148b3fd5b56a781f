import { driftFacts, habitTokens } from '../domain/aggregate.ts';
import { type Drift, legacyDrift } from '../domain/drift.ts';
import type { TimelineCursor } from '../domain/timeline-cursor.ts';
import { tokenStrings } from '../domain/tokens.ts';
import type { PrismaClient } from '../storage/prisma.ts';
import type { ReadStore } from '../storage/read-store.ts';
import { fromUserRow, type UserRow } from '../storage/user-row.ts';

export interface UserDrift {
  events: number;
  drift: Drift;
}

export interface FingerprintView {
  hash: string;
  stability: number;
  /** The habitual tokens the hash is computed from. */
  habitualTokens: string[];
  /** The latest event's tokens. */
  latestTokens: string[];
}

export interface UserFingerprint extends FingerprintView {
  events: number;
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

export interface TimelineEvent {
  id: number;
  userId: string;
  eventId: string | null;
  kind: string;
  timestamp: Date;
  receivedAt: Date;
  meta: Record<string, unknown>;
}

/**
 * Read models over the per-user aggregates. Every read here is a primary-key
 * or index lookup; none scans a user's history except the timeline, which is
 * the history.
 */
export class PersonaReader {
  readonly #prisma: PrismaClient;
  readonly #rows: ReadStore;

  constructor(prisma: PrismaClient, rows: ReadStore) {
    this.#prisma = prisma;
    this.#rows = rows;
  }

  drift(userId: string): UserDrift | null {
    const user = this.#rows.user(userId);
    if (user === undefined) return null;
    return { events: user.eventCount, drift: legacyDrift(driftFacts(fromUserRow(user))) };
  }

  fingerprint(userId: string): UserFingerprint | null {
    const user = this.#rows.user(userId);
    if (user === undefined) return null;
    return { ...fingerprintOf(user), events: user.eventCount };
  }

  /**
   * A page of the user's events oldest first (by timestamp, then arrival),
   * starting after `after`; null for an unknown user. `next` is where the
   * following page starts, null on the last page.
   */
  async timeline(
    userId: string,
    page: { limit: number; after: TimelineCursor | null },
  ): Promise<{ events: TimelineEvent[]; next: TimelineCursor | null } | null> {
    const user = await this.#prisma.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (user === null) return null;
    const { after } = page;
    const rows = await this.#prisma.event.findMany({
      where: {
        userId,
        // The range on timestamp lets the (userId, timestamp, id) index start at the cursor.
        ...(after === null
          ? {}
          : {
              timestamp: { gte: new Date(after.timestamp) },
              OR: [{ timestamp: { gt: new Date(after.timestamp) } }, { id: { gt: after.id } }],
            }),
      },
      orderBy: [{ timestamp: 'asc' }, { id: 'asc' }],
      // One more than the page: whether it exists says whether there is a next page.
      take: page.limit + 1,
      select: { id: true, userId: true, eventId: true, kind: true, timestamp: true, receivedAt: true, meta: true },
    });
    const events = rows
      .slice(0, page.limit)
      .map((row) => ({ ...row, meta: JSON.parse(row.meta) as Record<string, unknown> }));
    const last = events.at(-1);
    const next =
      rows.length > page.limit && last !== undefined ? { timestamp: last.timestamp.getTime(), id: last.id } : null;
    return { events, next };
  }

  /** Event count per user, ordered by user id. */
  async profiles(): Promise<Array<{ id: string; eventCount: number }>> {
    return this.#prisma.user.findMany({ select: { id: true, eventCount: true }, orderBy: { id: 'asc' } });
  }
}
