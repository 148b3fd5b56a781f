import type { Triage } from '../storage/ports.ts';
import type { PrismaClient } from '../storage/prisma.ts';
import type { AccessControl, AuthMode } from './access.ts';

export interface HealthReport {
  ok: boolean;
  status: 'ok' | 'unavailable';
  database: 'ok' | 'unavailable';
  version: string;
  uptime_s: number;
  /** `open` (no key needed: loopback only, or explicitly allowed), `keys`, or `locked` (no active key). */
  auth: AuthMode;
  /** With REDIS_URL: whether this node hears the others. Not part of `ok`: without Redis a node still serves alone. */
  redis?: 'ok' | 'unreachable';
  warning?: string;
  error?: string;
}

export const OPEN_WARNING =
  'running without API keys: anyone who can reach this address has admin rights; create a key with `npm run keys -- create --role admin`';

/** Says whether both database connections (the writer and the readers) answer. */
export class HealthService {
  readonly #store: Pick<Triage, 'ping'>;
  readonly #prisma: PrismaClient;
  readonly #access: AccessControl;
  readonly #version: string;
  readonly #startedAt = Date.now();
  #hearing: (() => boolean) | null = null;

  constructor(store: Pick<Triage, 'ping'>, prisma: PrismaClient, access: AccessControl, version: string) {
    this.#store = store;
    this.#prisma = prisma;
    this.#access = access;
    this.#version = version;
  }

  /** Reports, from now on, whether this node hears the other nodes through Redis. */
  reportCluster(hearing: () => boolean): void {
    this.#hearing = hearing;
  }

  /** Liveness: the process answers. Says nothing about the database. */
  live(): { ok: true; status: 'alive'; uptime_s: number } {
    return { ok: true, status: 'alive', uptime_s: this.#uptime() };
  }

  #uptime(): number {
    return Math.round((Date.now() - this.#startedAt) / 1000);
  }

  /** Readiness: both database connections answer, so requests can be served. */
  async check(): Promise<HealthReport> {
    const auth = this.#access.mode();
    const base = {
      version: this.#version,
      uptime_s: this.#uptime(),
      auth,
      ...(this.#hearing === null ? {} : { redis: this.#hearing() ? ('ok' as const) : ('unreachable' as const) }),
      ...(auth === 'open' ? { warning: OPEN_WARNING } : {}),
    };
    try {
      if (!(await this.#store.ping())) throw new Error('the database does not answer');
      await this.#prisma.$queryRaw`SELECT 1`;
      return { ok: true, status: 'ok', database: 'ok', ...base };
    } catch (error) {
      return { ok: false, status: 'unavailable', database: 'unavailable', error: (error as Error).message, ...base };
    }
  }
}
