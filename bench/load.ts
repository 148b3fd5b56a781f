import type { IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';
import { authHeaders } from './processes.ts';

/** One load run's figures, counted from autocannon's own report. */
export interface LoadResult {
  /** 2xx responses per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** What the errors were, by code or message (ECONNRESET, timeout, …). */
  errorKinds: Record<string, number>;
  timeouts: number;
  statuses: Record<string, number>;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  connections: number;
  seconds: number;
  /** The path of each request (default: the url's own). */
  path?: () => string;
  /** The body of each request. */
  body?: () => string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Open-loop rate for all connections together; none = as fast as the server answers. */
  overallRate?: number;
  /** Hears every response with the body that was sent for it. */
  onResponse?: (status: number, sentBody: string | undefined, headers: IncomingHttpHeaders) => void;
}

interface Context {
  body?: string;
}

/** Drives a server with autocannon from this process (the server is another one). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { path, body, onResponse } = options;
  const errorKinds: Record<string, number> = {};
  // Without a callback autocannon returns its tracker, an event emitter that is also a promise of the result.
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.overallRate,
    timeout: 30,
    requests: [
      {
        method: options.method,
        headers: { 'content-type': 'application/json', ...authHeaders(), ...options.headers },
        setupRequest: (request: autocannon.Request, context: Context) => {
          const next = { ...request };
          if (path !== undefined) next.path = path();
          if (body !== undefined) {
            context.body = body();
            next.body = context.body;
          }
          return next;
        },
        onResponse: (status: number, _body: string, context: Context, headers?: IncomingHttpHeaders) =>
          onResponse?.(status, context.body, headers ?? {}),
      },
    ],
  }) as Promise<autocannon.Result> & {
    on(event: 'reqError', listener: (error: NodeJS.ErrnoException) => void): unknown;
  };
  instance.on('reqError', (error: NodeJS.ErrnoException) => {
    const kind = error.code ?? error.message;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  });
  const result = await instance;
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = Number(count);
  const ok = result['2xx'];
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    errorKinds,
    timeouts: result.timeouts,
    statuses,
    seconds: result.duration,
  };
}
