import type { AlertRecord, AlertStatus } from '../domain/risk/alert-export.ts';
import type { RiskLevel } from '../domain/risk/score.ts';
import type { Signal } from '../domain/risk/signals.ts';
import type { Alert, Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from '../storage/prisma.ts';

/** What a GraphQL selection asks of a read (plugin-prisma's `query`): relations loaded in the same statements. */
export type AlertSelection = Pick<Prisma.AlertFindUniqueArgs, 'select' | 'include'>;
/** A page: plugin-prisma's connection `query` (cursor, size, selection), or just a size. */
export type AlertPage = Pick<Prisma.AlertFindManyArgs, 'include' | 'cursor' | 'take' | 'skip'>;

/** Which alerts a list holds; every list is newest first. */
export interface AlertFilter {
  statuses?: readonly AlertStatus[] | null;
  userId?: string | null;
  minScore?: number | null;
  /** Only alerts older than this one (REST's paging by `before`). */
  beforeId?: number | null;
}

function alertsWhere(filter: AlertFilter) {
  return {
    ...(filter.statuses == null ? {} : { status: { in: [...filter.statuses] } }),
    ...(filter.userId == null ? {} : { userId: filter.userId }),
    ...(filter.minScore == null ? {} : { score: { gte: filter.minScore } }),
    ...(filter.beforeId == null ? {} : { id: { lt: filter.beforeId } }),
  };
}

/** A stored alert as the exports and the REST shape take it. */
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

/** Reads of alerts; triage (status changes) is a write and goes through the single writer. */
export class AlertReads {
  readonly #prisma: PrismaClient;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  byId(id: number, selection: AlertSelection = {}): Promise<Alert | null> {
    return this.#prisma.alert.findUnique({ ...selection, where: { id } });
  }

  /** For an alert known to exist (just triaged or announced). */
  byIdOrThrow(id: number, selection: AlertSelection = {}): Promise<Alert> {
    return this.#prisma.alert.findUniqueOrThrow({ ...selection, where: { id } });
  }

  async record(id: number): Promise<AlertRecord | null> {
    const row = await this.byId(id);
    return row === null ? null : toAlertRecord(row);
  }

  /** A page of the alerts `filter` selects, newest first. */
  page(filter: AlertFilter, page: AlertPage): Promise<Alert[]> {
    return this.#prisma.alert.findMany({ ...page, where: alertsWhere(filter), orderBy: { id: 'desc' } });
  }

  count(filter: AlertFilter): Promise<number> {
    return this.#prisma.alert.count({ where: alertsWhere(filter) });
  }
}
