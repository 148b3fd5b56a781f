import { z } from 'zod';
import { DEFAULT_ALERT_THRESHOLD } from './domain/alert-policy.ts';
import { DEFAULT_MAX_META_BYTES } from './domain/event-input.ts';
import { type BaselineSettings, DEFAULT_BASELINE } from './domain/risk/baseline.ts';
import { secretBytes } from './domain/webhook-signature.ts';
import { checkWebhookUrl } from './domain/webhook-url.ts';
import { LOG_LEVELS, type LogLevel } from './logger.ts';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** Whether DATABASE_URL names a PostgreSQL database rather than an SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\/[^/]/.test(url);
}

const configSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  // Any other URL must be refused, not taken for a file name.
  DATABASE_URL: z
    .string()
    .min(1)
    .refine((url) => url.startsWith('file:') || isPostgresUrl(url), {
      error: (issue) => {
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(String(issue.input))?.[1];
        return `must be file:<path> (embedded SQLite) or postgresql://host/database (PostgreSQL)${scheme ? `; ${scheme}: databases are not supported` : ''}`;
      },
    })
    .default('file:./data/persona-drift.db'),
  REDIS_URL: z
    .string()
    .refine((url) => /^rediss?:\/\/[^/]/.test(url), { error: 'must be redis://host[:port] or rediss://host[:port]' })
    .optional(),
  CORS_ORIGIN: z.string().min(1).default('*'),
  ALLOWED_HOSTS: z.string().default(''),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  MAX_BODY_BYTES: positiveInt.default(1024 * 1024),
  MAX_BATCH_EVENTS: positiveInt.default(1000),
  MAX_META_BYTES: positiveInt.default(DEFAULT_MAX_META_BYTES),
  MAX_QUEUED_EVENTS: positiveInt.default(20_000),
  MAX_IN_FLIGHT: positiveInt.default(256),
  MAX_IN_FLIGHT_BYTES: positiveInt.default(16 * 1024 * 1024),
  MAX_RESPONSE_BYTES: positiveInt.default(8 * 1024 * 1024),
  MAX_STREAMS: positiveInt.default(1000),
  ALERT_THRESHOLD: positiveInt.max(100).default(DEFAULT_ALERT_THRESHOLD),
  BASELINE_MIN_EVENTS: z.coerce.number().int().min(0).default(DEFAULT_BASELINE.minEvents),
  BASELINE_MIN_DAYS: z.coerce.number().min(0).default(DEFAULT_BASELINE.minDays),
  GEOIP: flag.default(true),
  WEBHOOK_URLS: z.string().optional(),
  WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_ALLOW_PRIVATE: flag.default(false),
  ALLOW_OPEN_ACCESS: flag.default(false),
  RETENTION_DAYS: positiveInt.optional(),
  RETENTION_INTERVAL_MINUTES: positiveInt.default(60),
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).default(5000),
  AUTH_FAILURES_PER_IP: positiveInt.default(30),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(10_000),
  TRUSTED_PROXIES: z.string().default('127.0.0.1,::1'),
  REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  GRAPHQL_INTROSPECTION: flag.default(true),
  GRAPHIQL: flag.default(true),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** Redis that several API nodes share (live updates, cache drops, rate limits, the attack context); null for one node alone. */
  redisUrl: string | null;
  /** `*`, or a comma-separated list of allowed origins. */
  corsOrigin: string;
  /** Host names (besides IP literals and localhost) answered while the API runs without keys. */
  allowedHosts: string[];
  logLevel: LogLevel;
  maxBodyBytes: number;
  maxBatchEvents: number;
  /** UTF-8 bytes of an event's meta as JSON; a larger one is refused (422, or a ValidationError). */
  maxMetaBytes: number;
  /** Events waiting for a commit past which ingest answers 503 + Retry-After instead of queueing. */
  maxQueuedEvents: number;
  /** Requests served at once; past it new ones are answered 503 + Retry-After. */
  maxInFlight: number;
  /** Request body bytes being served at once; past it new requests are answered 503 + Retry-After. */
  maxInFlightBytes: number;
  /** About how many bytes one GraphQL response (or subscription event) may take; past it, RESPONSE_TOO_LARGE. */
  maxResponseBytes: number;
  /** Live streams (SSE, incremental delivery, WebSocket) open at once; past it new ones are answered 503. */
  maxStreams: number;
  /** An event at or above this v2 risk (1–100) opens or extends an alert. */
  alertThreshold: number;
  /** History a user needs before novelty and time of day are judged: at least this many events over this many days. */
  baseline: BaselineSettings;
  /** Look public IPs up in the bundled DB-IP country database. */
  geoip: boolean;
  /** Where alert webhooks go (none: no webhooks), signed with `webhookSecret` (Standard Webhooks). */
  webhookUrls: string[];
  webhookSecret: Buffer | null;
  /** Allow webhook URLs that resolve to private, loopback or reserved addresses. */
  webhookAllowPrivate: boolean;
  /**
   * Run without API keys on a non-loopback address. Without keys the API is
   * open to whoever reaches it, so by default that is allowed on loopback only.
   */
  allowOpenAccess: boolean;
  /** Events older than this many days are purged (null: kept forever). */
  retentionDays: number | null;
  /** How often the retention purge runs. */
  retentionIntervalMinutes: number;
  /** Requests per second per API key (bursts up to twice that); 0 turns the limit off. */
  rateLimitPerKey: number;
  /** Failed authentications per minute per client address before it gets 429. */
  authFailuresPerIp: number;
  /** Requests per second per client address (bursts up to twice that); 0 turns the limit off. */
  rateLimitPerIp: number;
  /** Peers whose X-Forwarded-For names the real client (the dashboard on this machine, a reverse proxy). */
  trustedProxies: string[];
  /** Time a client has to send a whole request (headers and body). */
  requestTimeoutMs: number;
  /** Serve GraphQL introspection. */
  introspection: boolean;
  /** Serve the GraphiQL IDE at /graphql. */
  graphiql: boolean;
}

/** 127.0.0.0/8, ::1 and `localhost`: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Reads the configuration from the environment; throws naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  const webhookUrls = (c.WEBHOOK_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  let webhookSecret: Buffer | null = null;
  try {
    for (const url of webhookUrls) checkWebhookUrl(url, c.WEBHOOK_ALLOW_PRIVATE);
    if (webhookUrls.length > 0 && c.WEBHOOK_SECRET === undefined)
      throw new Error('WEBHOOK_SECRET is required with WEBHOOK_URLS');
    webhookSecret = c.WEBHOOK_SECRET === undefined ? null : secretBytes(c.WEBHOOK_SECRET);
  } catch (error) {
    throw new Error(`invalid configuration: WEBHOOK_URLS/WEBHOOK_SECRET: ${(error as Error).message}`);
  }
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL ?? null,
    corsOrigin: c.CORS_ORIGIN,
    allowedHosts: c.ALLOWED_HOSTS.split(',')
      .map((host) => host.trim())
      .filter(Boolean),
    logLevel: c.LOG_LEVEL,
    maxBodyBytes: c.MAX_BODY_BYTES,
    maxBatchEvents: c.MAX_BATCH_EVENTS,
    maxMetaBytes: c.MAX_META_BYTES,
    maxQueuedEvents: c.MAX_QUEUED_EVENTS,
    maxInFlight: c.MAX_IN_FLIGHT,
    maxInFlightBytes: c.MAX_IN_FLIGHT_BYTES,
    maxResponseBytes: c.MAX_RESPONSE_BYTES,
    maxStreams: c.MAX_STREAMS,
    alertThreshold: c.ALERT_THRESHOLD,
    baseline: { minEvents: c.BASELINE_MIN_EVENTS, minDays: c.BASELINE_MIN_DAYS },
    geoip: c.GEOIP,
    webhookUrls,
    webhookSecret,
    webhookAllowPrivate: c.WEBHOOK_ALLOW_PRIVATE,
    allowOpenAccess: c.ALLOW_OPEN_ACCESS,
    retentionDays: c.RETENTION_DAYS ?? null,
    retentionIntervalMinutes: c.RETENTION_INTERVAL_MINUTES,
    rateLimitPerKey: c.RATE_LIMIT_PER_KEY,
    authFailuresPerIp: c.AUTH_FAILURES_PER_IP,
    rateLimitPerIp: c.RATE_LIMIT_PER_IP,
    trustedProxies: c.TRUSTED_PROXIES.split(',')
      .map((address) => address.trim())
      .filter(Boolean),
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    introspection: c.GRAPHQL_INTROSPECTION,
    graphiql: c.GRAPHIQL,
  };
}
