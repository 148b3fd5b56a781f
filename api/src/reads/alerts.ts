import type { AlertRecord, AlertStatus } from '../domain/risk/alert-export.ts';
import type { RiskLevel } from '../domain/risk/score.ts';
import type { Signal } from '../domain/risk/signals.ts';
import { levelOfRank, levelRank } from '../domain/risk/standing.ts';
import type { VerdictKind } from '../domain/risk/verdict.ts';
import type { Alert, Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from '../storage/prisma.ts';

/** What a GraphQL selection asks of a read (plugin-prisma's `query`): relations loaded in the same statements. */
export type AlertSelection = Pick<Prisma.AlertFindUniqueArgs, 'select' | 'include'>;
/** A page: plugin-prisma's connection `query` (cursor, size, selection), or just a size. */
export type AlertPage = Pick<Prisma.AlertFindManyArgs, 'include' | 'cursor' | 'take' | 'skip'>;

/** How alert lists are ordered: newest first, or highest score first (then newest). */
export type AlertOrder = 'newest' | 'highest';

/** Which alerts a list holds. */
export interface AlertFilter {
  statuses?: readonly AlertStatus[] | null;
  levels?: readonly RiskLevel[] | null;
  /** Alerts of users whose verdict now is one of these. */
  verdicts?: readonly VerdictKind[] | null;
  userId?: string | null;
  minScore?: number | null;
  /** Only alerts older than this one (REST's paging by `before`). */
  beforeId?: number | null;
}

function alertsWhere(filter: AlertFilter): Prisma.AlertWhereInput {
  return {
    ...(filter.statuses == null ? {} : { status: { in: [...filter.statuses] } }),
    ...(filter.levels == null ? {} : { level: { in: [...filter.levels] } }),
    ...(filter.verdicts == null ? {} : { user: { verdict: { in: [...filter.verdicts] } } }),
    ...(filter.userId == null ? {} : { userId: filter.userId }),
    ...(filter.minScore == null ? {} : { score: { gte: filter.minScore } }),
    ...(filter.beforeId == null ? {} : { id: { lt: filter.beforeId } }),
  };
}

/** The most recent stuffing alerts incidents are built from. */
const MAX_INCIDENT_ALERTS = 5000;

/** Many accounts' alerts with one cause: today, one credential-stuffing source. */
export interface Incident {
  /** `stuffing:<scope>:<network>`. */
  id: string;
  kind: 'stuffing';
  /** The source network: an IP, a subnet or an AS. */
  source: string;
  /** ip, subnet or asn. */
  scope: string;
  /** The highest level among its alerts. */
  level: RiskLevel;
  /** Newest first. */
  alertIds: number[];
  userIds: string[];
  firstAt: Date;
  lastAt: Date;
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

  /** A page of the alerts `filter` selects. */
  page(filter: AlertFilter, page: AlertPage, order: AlertOrder = 'newest'): Promise<Alert[]> {
    return this.#prisma.alert.findMany({
      ...page,
      where: alertsWhere(filter),
      orderBy: order === 'newest' ? { id: 'desc' } : [{ score: 'desc' }, { id: 'desc' }],
    });
  }

  /** These alerts, in the order of `ids`. */
  async byIds(ids: readonly number[], selection: AlertSelection = {}): Promise<Alert[]> {
    const rows = await this.#prisma.alert.findMany({ ...selection, where: { id: { in: [...ids] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Credential-stuffing campaigns: alerts raised by a stuffing signal,
   * grouped by the source network the signal names, one incident per source
   * that reached at least two accounts; the largest and latest first.
   */
  async incidents(statuses: readonly AlertStatus[] | null): Promise<Incident[]> {
    const rows = await this.#prisma.alert.findMany({
      where: {
        ...(statuses == null ? {} : { status: { in: [...statuses] } }),
        signals: { contains: '"credential_stuffing"' },
      },
      orderBy: { id: 'desc' },
      take: MAX_INCIDENT_ALERTS,
    });
    const bySource = new Map<string, Incident>();
    for (const row of rows) {
      const signal = (JSON.parse(row.signals) as Signal[]).find((s) => s.name === 'credential_stuffing');
      const network = signal?.evidence.network;
      if (typeof network !== 'string') continue;
      const scope = String(signal?.evidence.source ?? 'ip');
      const key = `stuffing:${scope}:${network}`;
      const incident = bySource.get(key) ?? {
        id: key,
        kind: 'stuffing' as const,
        source: network,
        scope,
        level: 'low' as RiskLevel,
        alertIds: [],
        userIds: [],
        firstAt: row.firstAt,
        lastAt: row.lastAt,
      };
      incident.alertIds.push(row.id);
      if (!incident.userIds.includes(row.userId)) incident.userIds.push(row.userId);
      incident.level = levelOfRank(Math.max(levelRank(incident.level), levelRank(row.level as RiskLevel))) ?? 'low';
      if (row.firstAt < incident.firstAt) incident.firstAt = row.firstAt;
      if (row.lastAt > incident.lastAt) incident.lastAt = row.lastAt;
      bySource.set(key, incident);
    }
    return [...bySource.values()]
      .filter((incident) => incident.userIds.length >= 2)
      .sort((a, b) => b.userIds.length - a.userIds.length || b.lastAt.getTime() - a.lastAt.getTime());
  }

  count(filter: AlertFilter): Promise<number> {
    return this.#prisma.alert.count({ where: alertsWhere(filter) });
  }
}
