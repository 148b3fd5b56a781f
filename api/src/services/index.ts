import { DEFAULT_INGEST_LIMITS } from '../ingest/admit.ts';
import type { IngestWriter } from '../ingest/group-commit.ts';
import { IngestPipeline } from '../ingest/pipeline.ts';
import type { EventNetworkSources } from '../reads/event-networks.ts';
import { createReads, type Reads } from '../reads/index.ts';
import type { SearchMode } from '../reads/users.ts';
import type { PersonaRows, ProfileReads, RankWalks, Triage } from '../storage/ports.ts';
import type { PrismaClient } from '../storage/prisma.ts';
import type { AccessControl } from './access.ts';
import type { AdjustmentService } from './adjustments.ts';
import { AdminService } from './admin.ts';
import { AlertService } from './alerts.ts';
import { HealthService } from './health.ts';
import { Metrics } from './metrics.ts';

/** The services and the read layer every interface (REST, GraphQL) goes through. */
export interface Services {
  ingest: IngestPipeline;
  reads: Reads;
  health: HealthService;
  alerts: AlertService;
  access: AccessControl;
  admin: AdminService;
  adjustments: AdjustmentService;
  metrics: Metrics;
}

export function createServices(deps: {
  writer: IngestWriter;
  triage: Triage;
  prisma: PrismaClient;
  rows: PersonaRows;
  profiles: ProfileReads;
  ranks: RankWalks;
  access: AccessControl;
  /** Built before the writer, which scores with its adjustments. */
  adjustments: AdjustmentService;
  version: string;
  maxQueuedEvents?: number;
  /** Where events' network types and places are looked up (none when absent). */
  networks?: EventNetworkSources;
  /** How the engine's id search ignores case (reads/users.ts). */
  searchMode?: SearchMode;
  onListenerError?: (error: unknown) => void;
}): Services {
  const metrics = new Metrics();
  const ingest = new IngestPipeline(
    deps.writer,
    {
      ...DEFAULT_INGEST_LIMITS,
      maxQueuedEvents: deps.maxQueuedEvents ?? DEFAULT_INGEST_LIMITS.maxQueuedEvents,
    },
    { onListenerError: deps.onListenerError },
  );
  ingest.onIngested((outcome) => {
    metrics.eventsStored.inc({}, outcome.stored.length);
    if (outcome.duplicates > 0) metrics.eventsDuplicate.inc({}, outcome.duplicates);
    for (const alert of outcome.alerts) metrics.alerts.inc({ change: alert.opened ? 'opened' : 'extended' });
  });
  return {
    ingest,
    metrics,
    reads: createReads(deps.prisma, deps.rows, deps.profiles, deps.ranks, deps.networks, deps.searchMode),
    health: new HealthService(deps.triage, deps.prisma, deps.access, deps.version),
    alerts: new AlertService(deps.triage, deps.access.keys),
    access: deps.access,
    admin: new AdminService(deps.access, deps.triage, deps.writer.writer),
    adjustments: deps.adjustments,
  };
}
