import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/** A command waits this long for an answer before failing: a request must not hang on Redis. */
export const REDIS_COMMAND_TIMEOUT_MS = 2000;

/**
 * A connection to REDIS_URL that keeps reconnecting (backing off to 2 s) and
 * says once when Redis is lost and once when it is back. A command sent while
 * Redis is unreachable is held through two reconnection attempts, then fails,
 * so that callers decide what to do instead of waiting for the outage to end.
 */
export function openRedis(
  url: string,
  logger: Logger,
  role: string,
  options: { onReconnected?: () => void } = {},
): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 2,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
  });
  let lost = false;
  let connected = false;
  redis.on('error', (error: Error) => {
    if (lost) return;
    lost = true;
    logger.warn('Redis unreachable', { role, error: error.message });
  });
  redis.on('ready', () => {
    const back = lost || connected;
    lost = false;
    connected = true;
    if (!back) return;
    logger.info('Redis reachable again', { role });
    options.onReconnected?.();
  });
  redis.on('end', () => {
    connected = false;
  });
  return redis;
}
