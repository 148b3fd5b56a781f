import type { EventStore } from '../storage/event-store.ts';
import type { PrismaClient } from '../storage/prisma.ts';

export interface HealthReport {
  ok: boolean;
  status: 'ok' | 'unavailable';
  database: 'ok' | 'unavailable';
  version: string;
  uptime_s: number;
  error?: string;
}

/** Says whether both database connections (the writer and the readers) answer. */
export class HealthService {
  readonly #store: EventStore;
  readonly #prisma: PrismaClient;
  readonly #version: string;
  readonly #startedAt = Date.now();

  constructor(store: EventStore, prisma: PrismaClient, version: string) {
    this.#store = store;
    this.#prisma = prisma;
    this.#version = version;
  }

  async check(): Promise<HealthReport> {
    const base = { version: this.#version, uptime_s: Math.round((Date.now() - this.#startedAt) / 1000) };
    try {
      this.#store.ping();
      await this.#prisma.$queryRaw`SELECT 1`;
      return { ok: true, status: 'ok', database: 'ok', ...base };
    } catch (error) {
      return { ok: false, status: 'unavailable', database: 'unavailable', error: (error as Error).message, ...base };
    }
  }
}
