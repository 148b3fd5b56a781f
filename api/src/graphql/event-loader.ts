import type { Event } from '../generated/prisma/client.ts';
import { prisma } from '../storage/db.ts';

export type EventRow = Event;

interface Waiter {
  resolve: (row: EventRow | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Loads events by id, batching every request made in the same tick into one
 * `WHERE id IN (…)` query: a page of users asking for their latest event costs
 * one statement, not one per user.
 */
export function createEventLoader(): (id: number) => Promise<EventRow | null> {
  let batch: Map<number, Waiter[]> | null = null;

  async function flush(waiting: Map<number, Waiter[]>): Promise<void> {
    try {
      const rows = await prisma().event.findMany({ where: { id: { in: [...waiting.keys()] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const [id, waiters] of waiting) for (const w of waiters) w.resolve(byId.get(id) ?? null);
    } catch (error) {
      for (const waiters of waiting.values()) for (const w of waiters) w.reject(error);
    }
  }

  return (id) =>
    new Promise((resolve, reject) => {
      if (batch === null) {
        const waiting = new Map<number, Waiter[]>();
        batch = waiting;
        queueMicrotask(() => {
          batch = null;
          void flush(waiting);
        });
      }
      batch.set(id, [...(batch.get(id) ?? []), { resolve, reject }]);
    });
}
