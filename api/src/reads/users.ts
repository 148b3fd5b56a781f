import type { VerdictKind } from '../domain/risk/verdict.ts';
import type { Prisma, User } from '../generated/prisma/client.ts';
import type { RankWalks } from '../storage/ports.ts';
import type { PrismaClient } from '../storage/prisma.ts';
import type { RankValues } from '../storage/rank-history.ts';
import type { Direction } from './events.ts';

/** What a GraphQL selection asks of a read (plugin-prisma's `query`): relations loaded in the same statements. */
export type UserSelection = Pick<Prisma.UserFindUniqueArgs, 'select' | 'include'>;

/** What users are ranked by; ties are broken by user id. */
export type UserRanking = 'risk' | 'driftScore' | 'lastSeen' | 'eventCount';

export interface UserFilter {
  minDriftScore?: number | null;
  /** Part of the user id, any case. */
  search?: string | null;
  /** Only users with one of these verdicts. */
  verdicts?: readonly VerdictKind[] | null;
}

/** The stored columns each ranking orders by, before the user id. */
const RANK_COLUMNS = {
  risk: ['attention', 'riskKey'],
  driftScore: ['driftScore'],
  lastSeen: ['lastSeen'],
  eventCount: ['eventCount'],
} as const satisfies Record<UserRanking, ReadonlyArray<keyof RankValues>>;

/** Where a walk through a ranking is: its order, the values and id of the last user seen, and what it sees as of. */
interface WalkCursor {
  by: UserRanking;
  direction: Direction;
  values: number[];
  id: string;
  asOf: number;
  epoch: string;
}

/** Which page of a ranking: `size` users after a cursor or from the start, or before one or from the end (`backward`). */
export interface RankedPageRequest {
  by: UserRanking;
  direction: Direction;
  size: number;
  backward?: boolean;
  after?: string | null;
  before?: string | null;
}

export interface RankedPage {
  users: User[];
  /** One cursor per user, in the same order. */
  cursors: string[];
  /** Whether users follow the page in the direction it was read. */
  hasMore: boolean;
}

/** A cursor that is not one, or one for another ranking: the field it came in is wrong. */
export class BadCursor extends Error {
  constructor(readonly field: 'after' | 'before') {
    super(`'${field}' is not a cursor of this ranking`);
  }
}

/** A walk begun too long ago, or on another node or run: it must start again from the first page. */
export class CursorExpired extends Error {
  constructor() {
    super('this walk through the ranking began too long ago; start again from the first page');
  }
}

export interface Overview {
  users: number;
  events: number;
  driftingUsers: number;
  averageDriftScore: number;
  lastEventAt: Date | null;
}

function usersWhere(filter: UserFilter, searchMode: SearchMode): Prisma.UserWhereInput {
  return {
    ...(filter.minDriftScore == null ? {} : { driftScore: { gte: filter.minDriftScore } }),
    // Ids are stored composed (NFC): a decomposed search finds them too.
    ...(filter.search ? { id: containing(filter.search.normalize('NFC'), searchMode) } : {}),
    ...(filter.verdicts == null ? {} : { verdict: { in: [...filter.verdicts] } }),
  };
}

/** The filter as a test of a user's values as a walk sees them (those of a user changed since it began). */
function passes(filter: UserFilter, id: string, values: RankValues): boolean {
  if (filter.minDriftScore != null && values.driftScore < filter.minDriftScore) return false;
  if (filter.search && !likeContains(filter.search.normalize('NFC')).test(id)) return false;
  if (filter.verdicts != null && (values.verdict === null || !filter.verdicts.includes(values.verdict as VerdictKind)))
    return false;
  return true;
}

/**
 * How an id search ignores case: SQLite's LIKE already ignores it for ASCII
 * letters; PostgreSQL's LIKE does not, so there it asks for Prisma's
 * insensitive mode (ILIKE), which does the same in the C collation.
 */
export type SearchMode = 'default' | 'insensitive';

function containing(text: string, searchMode: SearchMode): Prisma.StringFilter {
  // SQLite's client has no `mode`: it is only given where the engine has it.
  return (
    searchMode === 'insensitive' ? { contains: text, mode: searchMode } : { contains: text }
  ) as Prisma.StringFilter;
}

/**
 * Prisma's `contains` as SQLite runs it: LIKE '%text%', where `%` and `_` in
 * the text are wildcards and only ASCII letters ignore case.
 */
function likeContains(text: string): RegExp {
  const pattern = [...text]
    .map((c) => {
      if (c === '%') return '[\\s\\S]*';
      if (c === '_') return '[\\s\\S]';
      if (/[a-z]/i.test(c)) return `[${c.toLowerCase()}${c.toUpperCase()}]`;
      return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(pattern, 'u');
}

/** One key of a ranking: the sort values then the id; ties go by id, ascending, in either direction. */
interface Key {
  values: number[];
  id: string;
}

/**
 * Order of two keys: negative when `a` comes first reading the values in
 * `direction` and ties by id in `tieDirection`.
 */
function compareKeys(a: Key, b: Key, direction: Direction, tieDirection: Direction): number {
  for (let i = 0; i < a.values.length; i += 1) {
    const difference = (a.values[i] as number) - (b.values[i] as number);
    if (difference !== 0) return direction === 'desc' ? -difference : difference;
  }
  const byId = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return tieDirection === 'desc' ? -byId : byId;
}

function keyOfRow(by: UserRanking, row: User): Key {
  const values = RANK_COLUMNS[by].map((column) => {
    const value = row[column];
    return value instanceof Date ? value.getTime() : value;
  });
  return { values, id: row.id };
}

function keyOfValues(by: UserRanking, id: string, values: RankValues): Key {
  return { values: RANK_COLUMNS[by].map((column) => values[column]), id };
}

/** Users strictly after `key` reading the values in `direction` and ties by id in `tieDirection`. */
function afterKey(by: UserRanking, key: Key, direction: Direction, tieDirection: Direction): Prisma.UserWhereInput {
  const columns = RANK_COLUMNS[by];
  const beyond = direction === 'desc' ? 'lt' : 'gt';
  let where: Prisma.UserWhereInput = { id: { [tieDirection === 'desc' ? 'lt' : 'gt']: key.id } };
  for (let i = columns.length - 1; i >= 0; i -= 1) {
    const column = columns[i] as string;
    const value = column === 'lastSeen' ? new Date(key.values[i] as number) : key.values[i];
    where = { OR: [{ [column]: { [beyond]: value } }, { AND: [{ [column]: value }, where] }] };
  }
  return where;
}

const flip = (direction: Direction): Direction => (direction === 'desc' ? 'asc' : 'desc');

function encodeCursor(cursor: WalkCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, field: 'after' | 'before', request: RankedPageRequest): WalkCursor {
  let cursor: WalkCursor;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as WalkCursor;
  } catch {
    throw new BadCursor(field);
  }
  const width = RANK_COLUMNS[request.by].length;
  if (
    typeof cursor !== 'object' ||
    cursor === null ||
    cursor.by !== request.by ||
    cursor.direction !== request.direction ||
    !Array.isArray(cursor.values) ||
    cursor.values.length !== width ||
    !cursor.values.every((value) => typeof value === 'number' && Number.isFinite(value)) ||
    typeof cursor.id !== 'string' ||
    !Number.isSafeInteger(cursor.asOf) ||
    typeof cursor.epoch !== 'string'
  ) {
    throw new BadCursor(field);
  }
  return cursor;
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
  readonly #walks: RankWalks;
  readonly #searchMode: SearchMode;

  /** `walks`: the engine's ranking history, which pages read. */
  constructor(prisma: PrismaClient, walks: RankWalks, searchMode: SearchMode = 'default') {
    this.#prisma = prisma;
    this.#walks = walks;
    this.#searchMode = searchMode;
  }

  /** Null when no event was ever stored for the user. */
  byId(id: string, selection: UserSelection = {}): Promise<User | null> {
    return this.#prisma.user.findUnique({ ...selection, where: { id } });
  }

  /** These users, in the order of `ids`; unknown ids are left out. */
  async byIds(ids: readonly string[]): Promise<User[]> {
    const rows = await this.#prisma.user.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** For a user known to exist (just changed by a commit). */
  byIdOrThrow(id: string, selection: UserSelection = {}): Promise<User> {
    return this.#prisma.user.findUniqueOrThrow({ ...selection, where: { id } });
  }

  /**
   * A page of a ranking. Its cursors hold the sort values and the id, and the
   * point the walk sees users as of (its first page): a user whose values
   * change mid-walk keeps the place they had, so a walk meets every user who
   * existed when it began exactly once. Throws BadCursor, CursorExpired.
   */
  async ranked(filter: UserFilter, request: RankedPageRequest): Promise<RankedPage> {
    const now = Date.now();
    const { by, size } = request;
    const backward = request.backward === true || request.before != null;
    const cursorText = backward ? (request.before ?? null) : (request.after ?? null);
    let asOf: number;
    let from: Key | null = null;
    if (cursorText === null) {
      asOf = await this.#walks.begin(now);
    } else {
      const field = backward ? 'before' : 'after';
      const cursor = decodeCursor(cursorText, field, request);
      if (cursor.epoch !== this.#walks.epoch || !(await this.#walks.resume(cursor.asOf, now))) {
        throw new CursorExpired();
      }
      asOf = cursor.asOf;
      from = { values: cursor.values, id: cursor.id };
    }
    if (size === 0) return { users: [], cursors: [], hasMore: false };
    // Backward pages read the ranking reversed, from the cursor or the end, then turn round.
    const direction = backward ? flip(request.direction) : request.direction;
    const tieDirection: Direction = backward ? 'desc' : 'asc';
    const compare = (a: Key, b: Key) => compareKeys(a, b, direction, tieDirection);
    const where = usersWhere(filter, this.#searchMode);
    const orderBy = [
      ...RANK_COLUMNS[by].map((column) => ({ [column]: direction })),
      { id: tieDirection },
    ] as Prisma.UserOrderByWithRelationInput[];

    // Stored rows in order from the cursor. Which users changed since the walk
    // began is asked after each read: a commit's moves are recorded as it
    // commits (on PostgreSQL, in its own transaction), so every change a
    // finished read could see is known by then.
    const changedSince = async () => {
      const changed = await this.#walks.changedSince(asOf);
      // Expired mid-page: what it needs may be gone already.
      if (changed === null) throw new CursorExpired();
      return changed;
    };
    const wanted = size + 1;
    const read: User[] = [];
    let changed = await changedSince();
    let unchanged: User[] = [];
    for (let position = from; ; ) {
      const take = wanted + Math.min(changed.size, 500);
      const batch = await this.#prisma.user.findMany({
        where: position === null ? where : { AND: [where, afterKey(by, position, direction, tieDirection)] },
        orderBy,
        take,
      });
      read.push(...batch);
      changed = await changedSince();
      unchanged = read.filter((row) => !changed.has(row.id));
      if (unchanged.length >= wanted || batch.length < take) break;
      position = keyOfRow(by, batch[batch.length - 1] as User);
    }
    // Users changed since: at the place their values as of then give them
    // (none for users created since, or deleted since).
    const beyond: Array<{ id: string; key: Key }> = [];
    for (const [id, values] of changed) {
      if (values === null || !passes(filter, id, values)) continue;
      const key = keyOfValues(by, id, values);
      if (from === null || compare(key, from) > 0) beyond.push({ id, key });
    }
    beyond.sort((a, b) => compare(a.key, b.key));
    const moved: Array<{ row: User; key: Key }> = [];
    // Read in slices until enough of them still exist.
    for (let at = 0; at < beyond.length && moved.length < wanted; at += wanted) {
      const slice = beyond.slice(at, at + wanted);
      const rows = new Map(
        (await this.#prisma.user.findMany({ where: { id: { in: slice.map((user) => user.id) } } })).map((row) => [
          row.id,
          row,
        ]),
      );
      for (const { id, key } of slice) {
        const row = rows.get(id);
        if (row !== undefined) moved.push({ row, key });
      }
    }
    const merged = [...unchanged.slice(0, wanted).map((row) => ({ row, key: keyOfRow(by, row) })), ...moved].sort(
      (a, b) => compare(a.key, b.key),
    );
    const page = merged.slice(0, size);
    if (backward) page.reverse();
    return {
      users: page.map(({ row }) => row),
      cursors: page.map(({ key }) =>
        encodeCursor({
          by,
          direction: request.direction,
          values: key.values,
          id: key.id,
          asOf,
          epoch: this.#walks.epoch,
        }),
      ),
      hasMore: merged.length > size,
    };
  }

  count(filter: UserFilter): Promise<number> {
    return this.#prisma.user.count({ where: usersWhere(filter, this.#searchMode) });
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
