import type { Prisma, User } from '../generated/prisma/client.ts';
import type { PrismaClient } from '../storage/prisma.ts';
import type { Direction } from './events.ts';

/** What a GraphQL selection asks of a read (plugin-prisma's `query`): relations loaded in the same statements. */
export type UserSelection = Pick<Prisma.UserFindUniqueArgs, 'select' | 'include'>;
/** A connection's page (plugin-prisma's `query` for `prismaConnection`): cursor, size and selection. */
export type UserPage = Pick<Prisma.UserFindManyArgs, 'include' | 'cursor' | 'take' | 'skip'>;

/** What users are ranked by; ties are broken by user id. */
export type UserRanking = 'driftScore' | 'lastSeen' | 'eventCount';

export interface UserFilter {
  minDriftScore?: number | null;
  /** Part of the user id, any case. */
  search?: string | null;
}

export interface Overview {
  users: number;
  events: number;
  driftingUsers: number;
  averageDriftScore: number;
  lastEventAt: Date | null;
}

function usersWhere(filter: UserFilter) {
  return {
    ...(filter.minDriftScore == null ? {} : { driftScore: { gte: filter.minDriftScore } }),
    // Ids are stored composed (NFC): a decomposed search finds them too.
    ...(filter.search ? { id: { contains: filter.search.normalize('NFC') } } : {}),
  };
}

/** A user's token counts most frequent first, the order drift evidence lists them in. */
const TOKENS_BY_FREQUENCY = [{ count: 'desc' }, { value: 'asc' }] as const;

/** `where` and `orderBy` of a user's token counts (`User.tokens`), optionally of one dimension. */
export function userTokensQuery(dimension: string | null | undefined) {
  return { where: dimension == null ? {} : { dimension }, orderBy: [...TOKENS_BY_FREQUENCY] };
}

/** Reads of users and totals over them. */
export class UserReads {
  readonly #prisma: PrismaClient;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  /** Null when no event was ever stored for the user. */
  byId(id: string, selection: UserSelection = {}): Promise<User | null> {
    return this.#prisma.user.findUnique({ ...selection, where: { id } });
  }

  /** For a user known to exist (just changed by a commit). */
  byIdOrThrow(id: string, selection: UserSelection = {}): Promise<User> {
    return this.#prisma.user.findUniqueOrThrow({ ...selection, where: { id } });
  }

  page(filter: UserFilter, ranking: { by: UserRanking; direction: Direction }, page: UserPage): Promise<User[]> {
    return this.#prisma.user.findMany({
      ...page,
      where: usersWhere(filter),
      orderBy: [{ [ranking.by]: ranking.direction }, { id: 'asc' }],
    });
  }

  count(filter: UserFilter): Promise<number> {
    return this.#prisma.user.count({ where: usersWhere(filter) });
  }

  /** Event count per user, ordered by user id. */
  profiles(): Promise<Array<{ id: string; eventCount: number }>> {
    return this.#prisma.user.findMany({ select: { id: true, eventCount: true }, orderBy: { id: 'asc' } });
  }

  /** Totals across all users, from the per-user aggregates. */
  async overview(): Promise<Overview> {
    const [totals, driftingUsers] = await Promise.all([
      this.#prisma.user.aggregate({
        _count: { _all: true },
        _sum: { eventCount: true },
        _avg: { driftScore: true },
        _max: { lastSeen: true },
      }),
      this.#prisma.user.count({ where: { driftScore: { gt: 0 } } }),
    ]);
    return {
      users: totals._count._all,
      events: totals._sum.eventCount ?? 0,
      driftingUsers,
      averageDriftScore: Math.round((totals._avg.driftScore ?? 0) * 10) / 10,
      lastEventAt: totals._max.lastSeen ?? null,
    };
  }
}
