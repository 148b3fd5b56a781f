import type { Event } from '../generated/prisma/client.ts';
import { prisma } from '../storage/db.ts';

export type EventRow = Event;

/**
 * Loads events by id, batching every request made in the same tick into one
 * `WHERE id IN (…)` query: a page of users asking for their latest event costs
 * one statement, not one per user.
 */
export function createEventLoader(): (id: number) => Promise<EventRow | null> {
  let pending: Map<number, Array<(row: EventRow | null) => void>> | null = null;
  let failures: Array<(error: unknown) => void> = [];

  async function flush(
    batch: Map<number, Array<(row: EventRow | null) => void>>,
    rejects: Array<(e: unknown) => void>,
  ) {
    try {
      const rows = await prisma().event.findMany({ where: { id: { in: [...batch.keys()] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const [id, waiters] of batch) for (const resolve of waiters) resolve(byId.get(id) ?? null);
    } catch (error) {
      for (const reject of rejects) reject(error);
    }
  }

  return (id) =>
    new Promise((resolve, reject) => {
      if (pending === null) {
        const batch = new Map<number, Array<(row: EventRow | null) => void>>();
        const rejects: Array<(e: unknown) => void> = [];
        pending = batch;
        failures = rejects;
        queueMicrotask(() => {
          pending = null;
          void flush(batch, rejects);
        });
      }
      const waiters = pending.get(id) ?? [];
      waiters.push(resolve);
      pending.set(id, waiters);
      failures.push(reject);
    });
}
