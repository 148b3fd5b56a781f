import type { Event } from '../generated/prisma/client.ts';
import { prisma } from '../storage/db.ts';
import { createBatchLoader } from './batch-loader.ts';

export type EventRow = Event;

/** Loads events by id, one `WHERE id IN (…)` query per tick. */
export function createEventLoader(): (id: number) => Promise<EventRow | null> {
  return createBatchLoader<number, EventRow | null>(async (ids) => {
    const rows = await prisma().event.findMany({ where: { id: { in: ids } } });
    return new Map(rows.map((row) => [row.id, row]));
  }, null);
}
