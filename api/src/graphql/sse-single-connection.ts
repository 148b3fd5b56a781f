import { randomUUID } from 'node:crypto';
import { type ExecutionResult, GraphQLError, getOperationAST } from 'graphql';
import { createHandler, type Response as SseAnswer, TOKEN_HEADER_KEY, TOKEN_QUERY_KEY } from 'graphql-sse';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import type { MountContext } from '../http/app.ts';

/** Reserved streams not yet opened, at most: a reservation holds memory until it is opened or expires. */
const MAX_RESERVATIONS = 1_000;
/** A reservation nobody opens within this long is dropped. */
const RESERVATION_MS = 60_000;

type ServerContext = Partial<MountContext> & Record<string, unknown>;

/**
 * The "single connection" mode of the GraphQL over SSE protocol (graphql-sse)
 * on the GraphQL endpoint: `PUT` reserves a stream and answers its token, a
 * `GET` with the token (header `x-graphql-event-stream-token` or `?token=`)
 * opens it, each `POST` with the token runs one operation whose results
 * arrive on that stream, and `DELETE ?operationId=` stops one. The
 * "distinct connections" mode (a `POST` or `GET` accepting
 * `text/event-stream`, no token) is Yoga's own SSE and is left to it.
 *
 * Every request here came through the front door (key, rate, load), and the
 * open stream is admitted and counted like any other by useStreamAdmission.
 * Operations run with Yoga's enveloped execute (every limit and the error
 * masking), without an HTTP request in their context: the response cache
 * keys only requests it saw parsed, so it does not apply here.
 */
export function useSingleConnectionSse(options: {
  maxBodyBytes: number;
  logError: (message: string, error: unknown) => void;
}): Plugin<Record<string, unknown>, ServerContext> {
  let handle: ((request: Request, context: ServerContext) => Promise<SseAnswer>) | undefined;
  const reservations = new Map<string, NodeJS.Timeout>();

  function setUp(yoga: YogaServerInstance<ServerContext, Record<string, unknown>>) {
    const handler = createHandler<Request, ServerContext>({
      authenticate(req) {
        const token = req.headers.get(TOKEN_HEADER_KEY) ?? new URL(req.url).searchParams.get(TOKEN_QUERY_KEY);
        if (token !== null) return token;
        if (req.method !== 'PUT') return [null, { status: 404, statusText: 'Not Found' }];
        if (reservations.size >= MAX_RESERVATIONS) {
          return [
            JSON.stringify({ errors: [{ message: 'too many streams reserved', extensions: { code: 'OVERLOADED' } }] }),
            { status: 503, statusText: 'Service Unavailable', headers: { 'retry-after': '5' } },
          ];
        }
        const reserved = randomUUID();
        reservations.set(reserved, setTimeout(() => void expire(reserved), RESERVATION_MS).unref());
        return reserved;
      },
      async onSubscribe(req, params): Promise<ExecutionResult | AsyncIterable<ExecutionResult>> {
        const { principal, req: nodeRequest } = req.context;
        const enveloped = yoga.getEnveloped({ req: nodeRequest, principal, params });
        try {
          const document = enveloped.parse(params.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return { errors };
          const operation = getOperationAST(document, params.operationName);
          if (operation?.operation === 'mutation' && req.method === 'GET') {
            return { errors: [new GraphQLError('mutations cannot be sent with GET')] };
          }
          const args = {
            schema: enveloped.schema,
            document,
            contextValue: await enveloped.contextFactory(),
            variableValues: params.variables,
            operationName: params.operationName,
          };
          const run = operation?.operation === 'subscription' ? enveloped.subscribe : enveloped.execute;
          return (await run(args)) as ExecutionResult | AsyncIterable<ExecutionResult>;
        } catch (error) {
          if (error instanceof GraphQLError) return { errors: [error] };
          throw error;
        }
      },
    });
    handle = (request, context) =>
      handler({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: () => readLimited(request, options.maxBodyBytes),
        raw: request,
        context,
      });
  }

  /** Opens and at once closes a reservation nobody opened: the handler then forgets it. */
  async function expire(token: string) {
    reservations.delete(token);
    const request = new Request('http://localhost/', {
      headers: { accept: 'text/event-stream', [TOKEN_HEADER_KEY]: token },
    });
    const [body] = (await handle?.(request, {})) ?? [null];
    if (body !== null && typeof body !== 'string') await body.return(undefined);
  }

  return {
    onYogaInit({ yoga }) {
      setUp(yoga as unknown as YogaServerInstance<ServerContext, Record<string, unknown>>);
    },
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (handle === undefined || !isSingleConnectionRequest(request, url)) return;
      const answer = (async () => {
        try {
          const [body, init] = await (handle as NonNullable<typeof handle>)(request, serverContext);
          if (body === null || typeof body === 'string') return new fetchAPI.Response(body, init);
          // The reservation is taken: it lives as long as this stream.
          const token = request.headers.get(TOKEN_HEADER_KEY) ?? url.searchParams.get(TOKEN_QUERY_KEY) ?? '';
          clearTimeout(reservations.get(token));
          reservations.delete(token);
          return new fetchAPI.Response(streamOf(body, request.signal), init);
        } catch (error) {
          options.logError('graphql-sse request failed', error);
          return new fetchAPI.Response(JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }), {
            status: 500,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          });
        }
      })();
      return answer.then(endResponse);
    },
  };
}

/** Requests of the single-connection mode: a reservation, a token, or stopping an operation. */
function isSingleConnectionRequest(request: Request, url: URL): boolean {
  return (
    request.method === 'PUT' ||
    request.method === 'DELETE' ||
    request.headers.has(TOKEN_HEADER_KEY) ||
    // Parsing the query string only when it may hold a token: this runs for every request.
    (request.url.includes(`${TOKEN_QUERY_KEY}=`) && url.searchParams.has(TOKEN_QUERY_KEY))
  );
}

/** The event stream as a body; it ends (and the operations on it stop) when the client goes away. */
function streamOf(messages: AsyncGenerator<string, void, undefined>, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const stop = () => void messages.return(undefined);
  signal.addEventListener('abort', stop, { once: true });
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await messages.next();
      if (value != null) controller.enqueue(encoder.encode(value));
      if (done) {
        signal.removeEventListener('abort', stop);
        controller.close();
      }
    },
    async cancel() {
      signal.removeEventListener('abort', stop);
      await messages.return(undefined);
    },
  });
}

/** The body as text, refused past `maxBytes` (MAX_BODY_BYTES, as for every other request). */
async function readLimited(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes || request.body === null) {
    if (declared > maxBytes) throw new Error(`request body is larger than ${maxBytes} bytes`);
    return '';
  }
  const chunks: Uint8Array[] = [];
  let read = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    read += chunk.byteLength;
    if (read > maxBytes) throw new Error(`request body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
