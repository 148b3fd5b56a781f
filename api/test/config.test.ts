import { describe, expect, it } from 'vitest';
import { isLoopbackHost, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import type { AccessControl } from '../src/services/access.ts';
import { HealthService } from '../src/services/health.ts';
import type { WriteStore } from '../src/storage/ports.ts';
import type { PrismaClient } from '../src/storage/prisma.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'file:./data/persona-drift.db',
      redisUrl: null,
      corsOrigin: '*',
      allowedHosts: [],
      logLevel: 'info',
      maxBodyBytes: 1_048_576,
      maxBatchEvents: 1000,
      maxMetaBytes: 16_384,
      maxQueuedEvents: 20_000,
      maxInFlight: 256,
      maxInFlightBytes: 16 * 1024 * 1024,
      maxStreams: 1000,
      maxResponseBytes: 8 * 1024 * 1024,
      alertThreshold: 60,
      baseline: { minEvents: 10, minDays: 5 },
      geoip: true,
      webhookUrls: [],
      webhookSecret: null,
      webhookAllowPrivate: false,
      allowOpenAccess: false,
      retentionDays: null,
      retentionIntervalMinutes: 60,
      rateLimitPerKey: 5000,
      authFailuresPerIp: 30,
      rateLimitPerIp: 10_000,
      trustedProxies: ['127.0.0.1', '::1'],
      requestTimeoutMs: 30_000,
      introspection: true,
      graphiql: true,
    });
  });

  it('counts only this machine’s addresses as loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '127.0.0.1.nip.io']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it('takes an SQLite file or a PostgreSQL URL as DATABASE_URL, refusing anything else without echoing credentials', () => {
    for (const url of ['mysql://app:secret@db/drift', './plain.db', 'postgresql:/no-host', 'sqlite://secret.db']) {
      let message = '';
      try {
        loadConfig({ DATABASE_URL: url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/DATABASE_URL.*must be file:<path> \(embedded SQLite\) or postgresql:\/\/host\/database/);
      expect(message).not.toMatch(/secret/);
    }
    for (const url of [
      'file:./data/other.db',
      'postgresql://app:secret@db.internal:5432/drift',
      'postgres://db/drift',
    ]) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    }
  });

  it('reads REDIS_URL, refusing what is not a redis:// or rediss:// URL without echoing it', () => {
    expect(loadConfig({}).redisUrl).toBeNull();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://:pw@cache.internal' }).redisUrl).toBe('rediss://:pw@cache.internal');
    for (const url of ['127.0.0.1:6379', 'http://:secret@cache', 'redis://']) {
      expect(() => loadConfig({ REDIS_URL: url })).toThrow(/REDIS_URL: must be redis:\/\/host/);
      expect(() => loadConfig({ REDIS_URL: url })).not.toThrow(/secret/);
    }
  });

  it('rejects an alert threshold outside 1–100', () => {
    expect(() => loadConfig({ ALERT_THRESHOLD: '101' })).toThrow(/ALERT_THRESHOLD/);
    expect(() => loadConfig({ ALERT_THRESHOLD: '0' })).toThrow(/ALERT_THRESHOLD/);
    expect(loadConfig({ ALERT_THRESHOLD: '55', GEOIP: 'false' })).toMatchObject({ alertThreshold: 55, geoip: false });
  });

  it('reads the baseline a user needs before novelty is judged', () => {
    expect(loadConfig({ BASELINE_MIN_EVENTS: '20', BASELINE_MIN_DAYS: '0.5' }).baseline).toEqual({
      minEvents: 20,
      minDays: 0.5,
    });
    expect(() => loadConfig({ BASELINE_MIN_EVENTS: '-1' })).toThrow(/BASELINE_MIN_EVENTS/);
    expect(() => loadConfig({ BASELINE_MIN_DAYS: 'soon' })).toThrow(/BASELINE_MIN_DAYS/);
  });

  it('reads every variable, treating empty ones as unset', () => {
    const config = loadConfig({
      PORT: '9090',
      HOST: '0.0.0.0',
      DATABASE_URL: 'file:/var/lib/pd.db',
      CORS_ORIGIN: 'https://soc.example',
      LOG_LEVEL: 'debug',
      MAX_BODY_BYTES: '2048',
      MAX_BATCH_EVENTS: '10',
      GRAPHQL_INTROSPECTION: 'false',
      GRAPHIQL: '0',
    });
    expect(config).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      logLevel: 'debug',
      introspection: false,
      graphiql: false,
    });
    expect(loadConfig({ PORT: '' }).port).toBe(8080);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', MAX_BATCH_EVENTS: '-1' })).toThrow(
      /PORT.*LOG_LEVEL.*MAX_BATCH_EVENTS/,
    );
  });
});

describe('LOG_LEVEL', () => {
  it('writes JSON lines at and above the level, nothing when silent', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', (line) => lines.push(line));
    logger.debug('d');
    logger.info('i');
    logger.warn('w', { user: 'a' });
    logger.error('e');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'warn', message: 'w', user: 'a' }),
      expect.objectContaining({ level: 'error', message: 'e' }),
    ]);
    const silent: string[] = [];
    createLogger('silent', (line) => silent.push(line)).error('e');
    expect(silent).toEqual([]);
  });
});

describe('health', () => {
  it('reports the database unavailable, with the reason, when it does not answer', async () => {
    const failing = {
      ping() {
        throw new Error('disk I/O error');
      },
    } as unknown as WriteStore;
    const access = { mode: () => 'keys' } as unknown as AccessControl;
    const report = await new HealthService(failing, {} as PrismaClient, access, '1.0.0').check();
    expect(report).toMatchObject({
      ok: false,
      status: 'unavailable',
      database: 'unavailable',
      error: 'disk I/O error',
    });
  });
});
