import type { Config } from '../config.ts';
import { isLoopbackHost } from '../config.ts';
import type { GeoLookup } from '../domain/risk/observe.ts';
import type { IngestWriter } from '../ingest/group-commit.ts';
import type { Logger } from '../logger.ts';
import type { SearchMode } from '../reads/users.ts';
import { AccessControl } from '../services/access.ts';
import type { AdjustmentService } from '../services/adjustments.ts';
import { OPEN_WARNING } from '../services/health.ts';
import type {
  ApiKeys,
  AuditLog,
  Awaitable,
  EventPurge,
  PersonaRows,
  ProfileReads,
  RankWalks,
  Triage,
  WebhookQueue,
} from '../storage/ports.ts';
import type { PrismaClient, QueryListener } from '../storage/prisma.ts';

/** The configuration is unsafe to start with; the message says why and what to do. */
export class StartupRefused extends Error {}

export interface EngineOptions {
  /** Hears every SQL statement the read side runs (tests count them). */
  onQuery?: QueryListener;
}

/** What the API runs on: one storage engine's stores, opened, migrated and ready. */
export interface Engine {
  /** What the log names as the database: the SQLite file, or the PostgreSQL server and database. */
  database: string;
  access: AccessControl;
  writer: IngestWriter;
  triage: Triage;
  prisma: PrismaClient;
  rows: PersonaRows;
  profiles: ProfileReads;
  ranks: RankWalks;
  /** How the id search ignores case on this engine. */
  searchMode: SearchMode;
  adjustments: AdjustmentService;
  geo: GeoLookup;
  outbox: WebhookQueue;
  purger: EventPurge;
  audit: AuditLog;
  /** After a user's deletion committed: what the engine keeps of them elsewhere goes. */
  userDeleted(userId: string): Awaitable<void>;
  /** After users' stored data was deleted or purged. */
  usersChanged(): void;
  /** Records the stored events of the attack-context window's span again (other nodes' included). */
  refreshNetworkActivity(): Promise<void>;
  /** After the last request: closes everything the engine opened. */
  close(): Promise<void>;
}

/**
 * Who may use the API, from its keys; refuses to start when nothing could get
 * in (every key revoked) or anybody could (a reachable address without keys).
 */
export function accessFor(keys: ApiKeys, config: Config, logger: Logger): AccessControl {
  const loopback = isLoopbackHost(config.host);
  const access = new AccessControl(keys, { loopback, allowOpenAccess: config.allowOpenAccess });
  const mode = access.mode();
  if (mode === 'locked') {
    throw new StartupRefused(
      loopback
        ? 'refusing to start: every API key has been revoked, and the API does not reopen by itself. ' +
            'Create one with `npm run keys -- create --role admin`, or set ALLOW_OPEN_ACCESS=true to run open on purpose.'
        : `refusing to start: HOST=${config.host} is reachable from other machines and no API key exists. ` +
            'Create one with `npm run keys -- create --role admin`, bind to 127.0.0.1, or set ALLOW_OPEN_ACCESS=true to run open on purpose.',
    );
  }
  if (mode === 'open') logger.warn('OPEN ACCESS', { host: config.host, warning: OPEN_WARNING });
  return access;
}
