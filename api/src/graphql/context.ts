import type { PubSub } from 'graphql-yoga';
import type { Event } from '../generated/prisma/client.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { UserChange } from '../ingest/write.ts';
import type { Reads } from '../reads/index.ts';
import type { Principal } from '../services/access.ts';
import type { AdjustmentService } from '../services/adjustments.ts';
import type { AdminService } from '../services/admin.ts';
import type { AlertService } from '../services/alerts.ts';
import type { FeedbackRecord } from '../storage/adjustment-store.ts';
import type { EvidenceToken, StoredEvent } from '../storage/ports.ts';
import type { ResponseBudgets } from './response-budget.ts';

/** What each live subscription topic carries. */
export type Topics = {
  eventIngested: [StoredEvent];
  driftChanged: [UserChange];
  /** An alert opened, extended by a new event, or triaged. */
  alertChanged: [{ id: number; userId: string }];
};

export type LivePubSub = PubSub<Topics>;

/**
 * Per-request GraphQL context. The Prisma client stays out of it (see
 * storage/db.ts): resolvers read through `reads`, write through the services.
 */
export interface Context {
  /** Who is asking; null when nobody authenticated (only in-process calls while keys are required). */
  principal: Principal | null;
  reads: Reads;
  ingest: IngestPipeline;
  alerts: AlertService;
  admin: AdminService;
  /** Trust, the allow-list and false positives. */
  adjustments: AdjustmentService;
  pubsub: LivePubSub;
  /** Most events one `ingestEvents` call may carry (the REST batch limit). */
  maxBatchEvents: number;
  /** Most UTF-8 bytes of an event's meta as JSON (the REST limit). */
  maxMetaBytes: number;
  /** Per-request batch loader of events by id. */
  eventsById: (id: number) => Promise<Event | null>;
  /** Per-request batch loader of the false positive marked on an alert. */
  falsePositiveOf: (alertId: number) => Promise<FeedbackRecord | null>;
  /** Per-request batch loader of a user's drift evidence (top values per dimension). */
  evidenceOf: (userId: string) => Promise<EvidenceToken[]>;
  /** Bytes the response may still take (MAX_RESPONSE_BYTES), per subscription event for subscriptions. */
  responseBudget: ResponseBudgets;
}
