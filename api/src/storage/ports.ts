import type { UserAggregate } from '../domain/aggregate.ts';
import type { ActiveAlert, AlertFindings } from '../domain/alert-policy.ts';
import type { Role } from '../domain/api-key.ts';
import type { DriftReasonCode } from '../domain/drift.ts';
import type { NormalizedEvent } from '../domain/event-input.ts';
import type { AlertStatus } from '../domain/risk/alert-export.ts';
import type { RiskProfile } from '../domain/risk/profile.ts';
import type { UserRisk } from '../domain/risk/score.ts';
import type { Signal } from '../domain/risk/signals.ts';
import type { Standing } from '../domain/risk/standing.ts';
import type { Dimension, TokenSet } from '../domain/tokens.ts';
import type { RankHistory, RankValues } from './rank-history.ts';
import type { UserRow } from './user-row.ts';

/** A value now (SQLite, read on the event loop) or later (PostgreSQL, over the network). */
export type Awaitable<T> = T | Promise<T>;

/** A user's token as drift evidence: one value of one dimension. */
export interface EvidenceToken {
  dimension: string;
  value: string;
}

/** One UTC day of a user's events. */
export interface ActivityDay {
  /** Days since 1970-01-01 (UTC). */
  day: number;
  events: number;
  maxDriftScore: number | null;
  /** The highest v2 event risk; null when no event that day was scored by v2. */
  maxRisk: number | null;
  /** How many events that day raised each legacy drift factor. */
  factors: Record<DriftReasonCode, number>;
}

/**
 * The read side's reads that are not plain Prisma queries: one user's aggregate
 * row by key (`GET /drift`, `GET /fingerprint`), drift evidence and risk per
 * day, whose SQL differs between engines. The rest of the read side goes
 * through the Prisma client, which every engine shares.
 */
export interface PersonaRows {
  /** The user's aggregate row, or undefined for an unknown user. */
  user(id: string): Awaitable<UserRow | undefined>;
  /** Each user's `perDimension` most frequent values per dimension, most frequent first; one statement. */
  evidence(userIds: readonly string[], perDimension: number): Awaitable<Map<string, EvidenceToken[]>>;
  /** The user's events grouped by UTC day, for days `from` to `to` (exclusive); days without events are absent. */
  activityByDay(userId: string, from: number, to: number): Awaitable<ActivityDay[]>;
}

/** An event as it was committed. */
export interface StoredEvent {
  id: number;
  userId: string;
  eventId: string | null;
  kind: string;
  timestamp: number;
  receivedAt: number;
  ip: string | null;
  tokens: TokenSet;
  meta: Record<string, unknown>;
  /** The user's legacy drift score right after this event. */
  driftScore: number;
  /** Bitmask of the legacy risk factors this event raised (domain/factors.ts). */
  factors: number;
  /** v2 risk of this event, 0–100, and the signals behind it (strongest first). */
  risk: number;
  signals: Signal[];
}

/** A user as the write path loads it: the aggregate, the v2 risk (null until the first v2-scored event) and the standing. */
export interface WriterUser {
  aggregate: UserAggregate;
  risk: UserRisk | null;
  standing: Standing;
}

/** One event row to insert: the event with its time and the scores the pipeline gave it. */
export interface EventWrite {
  event: NormalizedEvent;
  at: number;
  receivedAt: number;
  driftScore: number;
  factors: number;
  risk: number;
  signals: readonly Signal[];
}

/** The stored event an alert change is about. */
export interface AlertEvent {
  id: number;
  at: number;
}

/**
 * What the ingest pipeline reads and writes inside one write transaction.
 * Only valid within `WriteStore.transaction`; nothing here commits on its own.
 */
export interface IngestTransaction {
  hasEvent(userId: string, eventId: string): boolean;
  loadUser(userId: string): WriterUser | null;
  insertUser(aggregate: UserAggregate): void;
  /** Counts one more event with each present token; returns each token's count after it. */
  countTokens(userId: string, tokens: TokenSet, at: number): Partial<Record<Dimension, number>>;
  /** Returns the new event's id. */
  insertEvent(write: EventWrite): number;
  saveUser(aggregate: UserAggregate, risk: UserRisk | null, standing: Standing): void;
  /** The user's newest alert that is not resolved, or null. */
  activeAlert(userId: string): ActiveAlert | null;
  /** Returns the new alert's id. */
  insertAlert(userId: string, alert: AlertFindings, event: AlertEvent, now: number): number;
  updateAlert(id: number, alert: AlertFindings, event: AlertEvent, now: number): void;
}

/** The v2 risk profiles as the read side sees them: as of the last commit, whether written back yet or not. */
export interface ProfileReads {
  /** The user's profile (an empty one for a user without), a copy the caller may keep. */
  read(userId: string): Awaitable<RiskProfile>;
}

/** The v2 risk profiles as the write path sees them (storage may hold them in memory between write-backs). */
export interface ProfileWrites {
  /** The user's profile as of the last commit, a copy the caller may advance. */
  read(userId: string): RiskProfile;
  /** After a commit: the profiles it moved, by user. */
  committed(profiles: ReadonlyMap<string, RiskProfile>): void;
}

/** What an asynchronous ingest transaction is told before it starts: each event's user, event_id and tokens. */
export type IngestBatch = ReadonlyArray<Pick<NormalizedEvent, 'userId' | 'eventId' | 'tokens'>>;

/**
 * The ingest transaction of a store reached asynchronously (PostgreSQL, which
 * several API nodes share). It serialises the batch's users across nodes and
 * reads up front everything `work` can ask about them, so that `work` (the
 * same synchronous scoring as on SQLite) runs in between against that state.
 */
export interface AsyncIngestStore {
  /**
   * Runs `work` in one transaction over the batch's users: every write it
   * made, and every profile it left in `profiles` (those it moved), commit
   * together or, if anything throws, none of it (the error is rethrown).
   * `tx` answers only about the batch's users, events and tokens.
   */
  transactionAsync<T>(
    batch: IngestBatch,
    work: (tx: IngestTransaction, profiles: Map<string, RiskProfile>) => T,
  ): Promise<T>;
  /** Whether an error fails every write alike (database unreachable or busy) rather than one request's. */
  failsEveryWrite(error: unknown): boolean;
  /** Inside `work` only: a user's profile as its transaction read it, a copy the caller may advance. */
  readonly profiles: Pick<ProfileWrites, 'read'>;
}

/**
 * What a walk through the ranked users reads (reads/users.ts): the walks
 * going on, and each user whose ranking values changed since one began, with
 * the values they had then. SQLite's is the process's own (RankHistory);
 * PostgreSQL's is kept in the database, where each commit writes its moves
 * in its own transaction, so a walk's cursors are good on every node.
 */
export interface RankWalks {
  /** Tells this history's cursors from another's (another process's or engine's). */
  readonly epoch: string;
  /** Starts a walk; returns the point it sees the users as of. */
  begin(now: number): Awaitable<number>;
  /** Continues a walk begun at `asOf`; false when it has expired. */
  resume(asOf: number, now: number): Awaitable<boolean>;
  /** Every user changed since `asOf`, with the values they had then (null: created since); null once the walk has expired. */
  changedSince(asOf: number): Awaitable<ReadonlyMap<string, RankValues | null> | null>;
}

/** A stored event with an IP, as the attack-context window is rebuilt from at start. */
export type RecentAddressEvent = [
  userId: string,
  eventId: string | null,
  kind: string,
  timestamp: number,
  meta: string,
];

/** The write side of storage: one writer, every change in a transaction of its own. */
export interface WriteStore {
  /**
   * Runs `work` in one write transaction: everything it wrote commits
   * together or, if it throws, none of it (and the error is rethrown).
   */
  transaction<T>(work: (tx: IngestTransaction) => T): T;
  /** Whether an error fails every write alike (database busy, full or broken) rather than one request's. */
  failsEveryWrite(error: unknown): boolean;
  readonly profiles: ProfileWrites;
  /**
   * Events that carry an IP whose timestamps fall within `windowMs` before the
   * newest event time (ignoring times after `latest`), oldest first: by event
   * time, not receive time. Looks among the newest 50,000 stored events.
   */
  recentAddressEvents(windowMs: number, latest: number): RecentAddressEvent[];
  /**
   * Deletes everything stored about one user and runs `alsoInTransaction`
   * (the audit entry) in the same transaction. Null when there is no such user.
   */
  deleteUser(userId: string, alsoInTransaction: (events: number) => void): { events: number } | null;
  /**
   * Triage: sets the status of each alert that exists and recomputes their
   * users' standing, in one transaction with `alsoInTransaction` (the audit
   * entry); returns the alerts changed.
   */
  setAlertStatus(
    ids: readonly number[],
    status: AlertStatus,
    now: number,
    alsoInTransaction?: (changed: ReadonlyArray<{ id: number; userId: string }>) => void,
  ): Array<{ id: number; userId: string }>;
  /** Triage: sets an alert's note and/or assignee (a key absent is left as is); null when there is no such alert. */
  annotateAlert(
    id: number,
    change: { note?: string | null; assignee?: string | null },
    now: number,
    alsoInTransaction?: (userId: string) => void,
  ): { userId: string } | null;
  /** What each commit changed in the users' ranking values. */
  readonly ranks: RankHistory;
  /** Whether the writer's connection answers a query at all. */
  ping(): boolean;
}

/** What one batch of retention's purge removed. */
export interface PurgeOutcome {
  /** Users whose old events were purged (their aggregates rebuilt, or the user removed). */
  users: string[];
  events: number;
  /** Users left with no event at all, removed with everything else of theirs. */
  removedUsers: number;
  alerts: number;
}

/** Retention's deletes: events older than a cutoff, and everything derived from them rebuilt. */
export interface EventPurge {
  /** One batch (one transaction): at most `maxUsers` users' old events. An outcome with no users means nothing is left to purge. */
  purgeBatch(cutoff: number, maxUsers?: number): Awaitable<PurgeOutcome>;
}

/**
 * The v2 risk profiles as a purge rebuilds them: written inside the purge's
 * own transaction, then told what committed.
 */
export interface ProfileRebuilds {
  /** Within the caller's transaction: stores every changed profile held in memory; returns their users. */
  writeBackWithin(): string[];
  /** Within the caller's transaction: stores profiles rebuilt from their users' remaining events. */
  storeRebuiltWithin(rebuilt: ReadonlyMap<string, RiskProfile>): void;
  /** After the commit: these users' held profiles are stored. */
  markWritten(userIds: readonly string[]): void;
  /** These users' profiles were deleted or rebuilt in storage: drops what is held of them. */
  forget(userIds: Iterable<string>): void;
}

/** An audit-log entry a change writes in its own transaction. */
export interface AuditNote {
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown> | null;
}

export type ChangedAlert = { id: number; userId: string };

/**
 * What analysts and admins change outside ingest, on either engine: alert
 * triage (the alerts' users' standing recomputed with it) and deleting a
 * user with everything of theirs (adjustments included), each with the audit
 * entries `audit` makes of what changed, in the same transaction.
 */
export interface Triage {
  /** Sets the status of each alert that exists; returns those changed, in the order asked. */
  setAlertStatus(
    ids: readonly number[],
    status: AlertStatus,
    now: number,
    audit: (changed: readonly ChangedAlert[]) => AuditNote[],
  ): Awaitable<ChangedAlert[]>;
  /** Sets an alert's note and/or assignee (a key absent is left as is); null when there is no such alert. */
  annotateAlert(
    id: number,
    change: { note?: string | null; assignee?: string | null },
    now: number,
    audit: (userId: string) => AuditNote[],
  ): Awaitable<{ userId: string } | null>;
  /** Null when there is no such user. */
  deleteUser(userId: string, audit: (events: number) => AuditNote[]): Awaitable<{ events: number } | null>;
  /** Whether the database answers a query at all. */
  ping(): Awaitable<boolean>;
}

/** The audit log: who did what to which thing. */
export interface AuditLog {
  audit(
    actor: string,
    action: string,
    target: string,
    details: Record<string, unknown> | null,
    now?: number,
  ): Awaitable<void>;
}

export interface ApiKeyRecord {
  id: number;
  prefix: string;
  role: Role;
  name: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface AuditRecord {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown> | null;
}

/**
 * API keys and the audit log. Another process (`npm run keys`, another API
 * node) may change them at any time. Requests are checked on the request's
 * own turn, so the lookups answer at once: SQLite's from the database,
 * PostgreSQL's from a copy of the (small) key table refreshed every second.
 */
export interface ApiKeys extends AuditLog {
  /** Creates a key and audits it; the returned `key` is the only time it exists in the clear. */
  create(role: Role, name: string | null, actor: string): Awaitable<{ key: string; record: ApiKeyRecord }>;
  /** Revokes a key and audits it; null when there is no such key, the record unchanged when it was already revoked. */
  revoke(id: number, actor: string): Awaitable<ApiKeyRecord | null>;
  /** The active key with this blake3 hash (`keyHash`), or null. */
  findByHash(hash: string): ApiKeyRecord | null;
  get(id: number): ApiKeyRecord | null;
  list(): Awaitable<ApiKeyRecord[]>;
  activeCount(): number;
  /** Keys ever created, revoked ones included. */
  totalCount(): number;
  touch(id: number, now: number): void;
  /** Newest first, `limit` entries older than `beforeId`. */
  auditLog(limit: number, beforeId?: number): Awaitable<AuditRecord[]>;
}

/** A webhook message for one destination, as the sender attempts it. */
export interface OutboxMessage {
  id: number;
  messageId: string;
  url: string;
  body: string;
  attempts: number;
}

/**
 * The webhook outbox: messages wait in storage until delivered or given up, so
 * a restart resumes their retries. Several senders (API nodes) may share it:
 * a message is taken for one attempt by `claim`, which leases it to one
 * caller, and an attempt's outcome is recorded only while that lease holds.
 */
export interface WebhookQueue {
  /** One message for every destination, due at once, in one transaction; one about an alert goes with the alert. */
  enqueue(
    messageId: string,
    urls: readonly string[],
    body: string,
    now: number,
    alertId?: number | null,
  ): Awaitable<void>;
  /**
   * Takes up to `limit` messages due by `now`, the longest waiting first, and
   * leases them to the caller in the same step: none is due again, for anyone,
   * until `leaseUntil`, so a post that never settles (or a node that dies
   * mid-post) only delays it. Concurrent callers never take the same message.
   */
  claim(now: number, limit: number, leaseUntil: number): Awaitable<OutboxMessage[]>;
  /** When the next pending message is due (leased ones when their lease ends); null when none is pending. */
  nextDue(): Awaitable<number | null>;
  pendingCount(): Awaitable<number>;
  /** Gives up messages older than `maxAgeMs` and those for destinations not configured; returns how many. */
  dropOutdated(now: number, maxAgeMs: number, configured: readonly string[]): Awaitable<number>;
  /**
   * An attempt's outcome, recorded only if the message is still leased until
   * `leaseUntil` (the claim's): once the lease has ended and another caller
   * took the message, or it was given up, the late outcome changes nothing.
   */
  delivered(id: number, leaseUntil: number, attempts: number, now: number): Awaitable<void>;
  retryAt(id: number, leaseUntil: number, attempts: number, at: number, error: string): Awaitable<void>;
  dropped(id: number, leaseUntil: number, attempts: number, now: number, error: string): Awaitable<void>;
  /** Deletes finished messages past the time they are kept for. */
  forgetFinished(now: number): Awaitable<void>;
}

/** The schema's migrations. */
export interface Migrations {
  /** Applies every migration not yet applied, in order; returns their names. Throws when an applied one was changed. */
  applyPending(): string[];
}
