import type { PersonaRows, ProfileReads, RankWalks } from '../storage/ports.ts';
import type { PrismaClient } from '../storage/prisma.ts';
import { AlertRecordReads } from './alert-records.ts';
import { AlertReads } from './alerts.ts';
import { EventNetworkReads, type EventNetworkSources } from './event-networks.ts';
import { EventReads } from './events.ts';
import { PersonaReads } from './persona.ts';
import { RiskReads } from './risk.ts';
import { type SearchMode, UserReads } from './users.ts';
import { VerdictReads } from './verdicts.ts';

/** The read layer: REST handlers and GraphQL resolvers alike read through it. */
export interface Reads {
  users: UserReads;
  events: EventReads;
  eventNetworks: EventNetworkReads;
  persona: PersonaReads;
  alerts: AlertReads;
  /** Alerts with their last event's source, as exports and webhooks send them. */
  alertRecords: AlertRecordReads;
  risk: RiskReads;
  verdicts: VerdictReads;
}

export function createReads(
  prisma: PrismaClient,
  rows: PersonaRows,
  profiles: ProfileReads,
  ranks: RankWalks,
  networks?: EventNetworkSources,
  searchMode: SearchMode = 'default',
): Reads {
  const events = new EventReads(prisma);
  const eventNetworks = new EventNetworkReads(networks);
  const alerts = new AlertReads(prisma);
  return {
    users: new UserReads(prisma, ranks, searchMode),
    events,
    eventNetworks,
    persona: new PersonaReads(rows),
    alerts,
    alertRecords: new AlertRecordReads(alerts, events, eventNetworks),
    risk: new RiskReads(rows),
    verdicts: new VerdictReads(profiles, rows),
  };
}
