import type { AlertRecord, AlertStatus } from '../domain/risk/alert-export.ts';
import type { RiskLevel } from '../domain/risk/score.ts';
import type { Signal } from '../domain/risk/signals.ts';
import type { Alert } from '../generated/prisma/client.ts';
import type { EventStore } from '../storage/event-store.ts';
import type { PrismaClient } from '../storage/prisma.ts';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const satisfies readonly AlertStatus[];

export function isAlertStatus(value: string): value is AlertStatus {
  return (ALERT_STATUSES as readonly string[]).includes(value);
}

export function toAlertRecord(row: Alert): AlertRecord {
  return {
    id: row.id,
    userId: row.userId,
    status: row.status as AlertStatus,
    score: row.score,
    level: row.level as RiskLevel,
    signals: JSON.parse(row.signals) as Signal[],
    firstEventId: row.firstEventId,
    lastEventId: row.lastEventId,
    firstAt: row.firstAt.getTime(),
    lastAt: row.lastAt.getTime(),
    events: row.events,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  };
}

export interface AlertFilter {
  statuses?: readonly AlertStatus[];
  userId?: string;
  /** Newest first; only alerts with a smaller id (for paging). */
  beforeId?: number;
  limit: number;
}

type StatusListener = (alert: { id: number; userId: string }) => void;

/** Alert reads and triage. Status changes go through the single writer connection, like every write. */
export class AlertService {
  readonly #prisma: PrismaClient;
  readonly #store: EventStore;
  readonly #listeners = new Set<StatusListener>();

  constructor(prisma: PrismaClient, store: EventStore) {
    this.#prisma = prisma;
    this.#store = store;
  }

  async list(filter: AlertFilter): Promise<AlertRecord[]> {
    const rows = await this.#prisma.alert.findMany({
      where: {
        ...(filter.statuses === undefined ? {} : { status: { in: [...filter.statuses] } }),
        ...(filter.userId === undefined ? {} : { userId: filter.userId }),
        ...(filter.beforeId === undefined ? {} : { id: { lt: filter.beforeId } }),
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
    });
    return rows.map(toAlertRecord);
  }

  async get(id: number): Promise<AlertRecord | null> {
    const row = await this.#prisma.alert.findUnique({ where: { id } });
    return row === null ? null : toAlertRecord(row);
  }

  /** Moves an alert to a status; false when there is no such alert. */
  setStatus(id: number, status: AlertStatus): boolean {
    const changed = this.#store.setAlertStatus(id, status, Date.now());
    if (changed === null) return false;
    for (const listener of this.#listeners) listener({ id, userId: changed.userId });
    return true;
  }

  /** Hears every triage change (ingest-side changes come with the ingest outcome). */
  onStatusChanged(listener: StatusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
