import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What the front door learns about a request while serving it, for its log line and metrics. */
export interface RequestInfo {
  requestId: string;
  /** The client's address (behind a trusted proxy, the one it forwarded for). */
  address: string;
  started: bigint;
  /** The route pattern (`/drift/:user_id`), never the path: user ids stay out of metrics. */
  route: string;
  keyId: number | null;
  /** The error code the request was refused with, if it was. */
  rejected: string | null;
  /** A streamed answer from a mounted handler (a GraphQL subscription): counted apart and tracked while open. */
  stream: boolean;
  /** Stops counting the request as in flight (once answered, or once its answer is a stream). */
  leaveInFlight: () => void;
}

export function newRequestInfo(req: IncomingMessage, address: string): RequestInfo {
  return {
    requestId: requestIdOf(req),
    address,
    started: process.hrtime.bigint(),
    route: 'unmatched',
    keyId: null,
    rejected: null,
    stream: false,
    leaveInFlight: () => {},
  };
}

/** The client's X-Request-Id when it is a sane token (so logs can be joined across systems), else a new one. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}
