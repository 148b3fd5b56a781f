import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.ts';
import type { RequestInfo } from './request-info.ts';

/** Limits on what the API serves at once. */
export interface LoadLimits {
  /** Requests being served; past it new ones get 503 + Retry-After instead of queueing. */
  maxInFlight: number;
  /** Request body bytes being served (declared lengths; a chunked body counts as the body limit). */
  maxInFlightBytes: number;
  /** Open live streams (SSE, incremental delivery, WebSocket); past it new ones get 503. */
  maxStreams: number;
}

/**
 * What the API is serving right now. A request counts as in flight until it
 * is answered, or until its answer turns out to be a stream: a stream stays
 * open for as long as its client wants, so it is not load in progress, and
 * streams are bounded on their own. One instance serves HTTP and WebSocket.
 */
export class ServerLoad {
  inFlight = 0;
  inFlightBytes = 0;
  streams = 0;

  constructor(readonly limits: LoadLimits) {}

  /** Takes a stream slot; null when every slot is taken. The returned release may be called more than once. */
  openStream(): (() => void) | null {
    if (this.streams >= this.limits.maxStreams) return null;
    this.streams += 1;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.streams -= 1;
    };
  }
}

/** Past this size a refused request's unread body is not drained: its connection is closed. */
const LARGE_BODY_BYTES = 64 * 1024;

/**
 * Counts a request as in flight until its answer closes (or it becomes a
 * stream: `info.leaveInFlight`), or refuses it with 503 + Retry-After before
 * its body is read when the limits are reached: cheap enough to keep
 * answering, and memory stays bounded.
 */
export function admitRequest(
  load: ServerLoad,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  maxBodyBytes: number,
): HttpError | null {
  const bytes = bodyBytes(req, maxBodyBytes);
  const bodiesFull = bytes > 0 && load.inFlight > 0 && load.inFlightBytes + bytes > load.limits.maxInFlightBytes;
  if (load.inFlight >= load.limits.maxInFlight || bodiesFull) {
    // A large unread body is not worth draining to keep the connection.
    return HttpError.retryLater(
      'overloaded',
      'too many requests in progress; retry shortly',
      1,
      bytes > LARGE_BODY_BYTES ? { connection: 'close' } : {},
    );
  }
  load.inFlight += 1;
  load.inFlightBytes += bytes;
  let counted = true;
  info.leaveInFlight = () => {
    if (!counted) return;
    counted = false;
    load.inFlight -= 1;
    load.inFlightBytes -= bytes;
  };
  res.once('close', info.leaveInFlight);
  return null;
}

/** A request body's size as declared; a chunked body counts as the largest allowed. */
function bodyBytes(req: IncomingMessage, maxBodyBytes: number): number {
  if (req.headers['transfer-encoding'] !== undefined) return maxBodyBytes;
  const declared = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(declared) && declared > 0 ? Math.min(declared, maxBodyBytes) : 0;
}
