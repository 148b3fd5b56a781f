import type { TimelineCursor } from '../domain/timeline-cursor.ts';
import type { Event, Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from '../storage/prisma.ts';

export type Direction = 'asc' | 'desc';

/** What a GraphQL selection asks of a read (plugin-prisma's `query`): relations loaded in the same statements. */
export type EventSelection = Pick<Prisma.EventFindUniqueArgs, 'select' | 'include'>;

export interface TimelineEvent {
  id: number;
  userId: string;
  eventId: string | null;
  kind: string;
  timestamp: Date;
  receivedAt: Date;
  meta: Record<string, unknown>;
}

export interface EventFilter {
  kind?: string | null;
  /** At or after. */
  since?: Date | null;
  /** Before. */
  until?: Date | null;
}

/** A user's events in time order, arrival breaking ties: the order of every event list. */
function timeOrder(direction: Direction) {
  return [{ timestamp: direction }, { id: direction }] satisfies Prisma.EventOrderByWithRelationInput[];
}

/** `where` and `orderBy` of a user's event list (`User.events`), for plugin-prisma to page. */
export function userEventsQuery(filter: EventFilter, direction: Direction) {
  const since = filter.since ?? undefined;
  const until = filter.until ?? undefined;
  return {
    where: {
      ...(filter.kind == null ? {} : { kind: filter.kind }),
      ...(since || until ? { timestamp: { ...(since && { gte: since }), ...(until && { lt: until }) } } : {}),
    },
    orderBy: timeOrder(direction),
  };
}

/** Reads of stored events. */
export class EventReads {
  readonly #prisma: PrismaClient;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  byId(id: number, selection: EventSelection = {}): Promise<Event | null> {
    return this.#prisma.event.findUnique({ ...selection, where: { id } });
  }

  /** Many events in one `WHERE id IN (…)` statement. */
  async byIds(ids: readonly number[]): Promise<Map<number, Event>> {
    const rows = await this.#prisma.event.findMany({ where: { id: { in: [...ids] } } });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The event a producer stored under its own id (a retry finds the original). */
  byProducerId(userId: string, eventId: string): Promise<Event> {
    return this.#prisma.event.findUniqueOrThrow({ where: { userId_eventId: { userId, eventId } } });
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
      orderBy: timeOrder('asc'),
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
}
