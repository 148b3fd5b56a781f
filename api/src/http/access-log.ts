import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../services/metrics.ts';
import type { RequestInfo } from './request-info.ts';

/** Counts, times and (at debug level, or info for refusals) logs each answered request. */
export function accessLog(
  metrics: Metrics,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => void {
  return (req, res, info) => {
    const seconds = Number(process.hrtime.bigint() - info.started) / 1e9;
    const status = res.statusCode;
    metrics.requests.inc({ route: info.route, method: req.method ?? '', status: String(status) });
    metrics.durations.observe({ route: info.route }, seconds);
    if (info.rejected !== null) metrics.rejected.inc({ reason: info.rejected });
    const level = status >= 500 ? 'error' : info.rejected !== null && status !== 404 ? 'info' : 'debug';
    // Most requests log nothing at the default level: their fields are not built.
    if (!logger.enabled(level)) return;
    logger[level]('request', {
      requestId: info.requestId,
      method: req.method,
      route: info.route,
      status,
      ms: Math.round(seconds * 10_000) / 10,
      ...(info.keyId === null ? {} : { keyId: info.keyId }),
      ...(info.rejected === null ? {} : { reason: info.rejected }),
      ...(res.writableFinished ? {} : { aborted: true }),
    });
  };
}
