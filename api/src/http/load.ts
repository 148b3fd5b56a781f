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

/** Media types of answers that stay open and stream: SSE and incremental delivery. */
export function isStreamedResponse(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.toLowerCase();
  return type.startsWith('text/event-stream') || type.startsWith('multipart/mixed');
}

/**
 * What the front door gives a mounted handler (GraphQL) with each request:
 * the handler calls `becomeStream` when its answer is a stream. False means
 * no stream slot is free: the handler answers 503 instead.
 */
export interface MountContext {
  becomeStream(): boolean;
}
