import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { ClusterBus } from '../cluster/bus.ts';
import type { MountContext } from '../http/app.ts';
import type { BrowserGuard } from '../http/browser-guard.ts';
import { HttpError } from '../http/http-error.ts';
import type { ServerLoad } from '../http/load.ts';
import type { RequestGuard } from '../http/request-guard.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { Logger } from '../logger.ts';
import type { Reads } from '../reads/index.ts';
import { type AccessControl, OPEN_PRINCIPAL, type Principal } from '../services/access.ts';
import type { AdjustmentService } from '../services/adjustments.ts';
import type { AdminService } from '../services/admin.ts';
import type { AlertService } from '../services/alerts.ts';
import type { Metrics } from '../services/metrics.ts';
import type { FeedbackRecord } from '../storage/adjustment-store.ts';
import { createBatchLoader } from './batch-loader.ts';
import { useBodyLimit } from './body-limit.ts';
import type { Context, LivePubSub } from './context.ts';
import { useDocumentLimits } from './document-limits.ts';
import { useErrorMetrics } from './error-metrics.ts';
import { useGraphiQLPage } from './graphiql-page.ts';
import { useBadUserInputCodes } from './input-error-codes.ts';
import { maskUnexpectedError } from './mask-error.ts';
import { usePersistedQueries } from './persisted-queries.ts';
import { chargeResponseBytes, responseBudgets, useResponseBudget } from './response-budget.ts';
import { useLiveResponseCache } from './response-cache.ts';
import { schema } from './schema/index.ts';
import { useSingleConnectionSse } from './sse-single-connection.ts';
import { useStreamAdmission } from './stream-admission.ts';
import { useNoSuggestions } from './suggestions.ts';
import { useVariableDepthLimit } from './variable-limits.ts';
import { serveGraphQLWs } from './ws-server.ts';

export const GRAPHQL_PATH = '/graphql';

export interface GraphQLOptions {
  /** Serve the introspection query (tools and codegen need it; turn off in production if wanted). */
  introspection: boolean;
  /** Serve the GraphiQL IDE on GET /graphql from a browser. Bundled: nothing loads from a CDN. */
  graphiql: boolean;
}

/** Abuse limits applied to every operation before it runs. */
export const OPERATION_LIMITS = { maxDepth: 12, maxAliases: 15, maxCost: 10_000, maxTokens: 2000, maxDirectives: 20 };

/** Node's request and response, and what the front door (or the WebSocket handshake) learnt of the caller. */
type ServerContext = { req: IncomingMessage; res: ServerResponse } & Partial<MountContext>;
export type GraphQLServer = YogaServerInstance<ServerContext, Context>;

export function createGraphQL(
  deps: {
    ingest: IngestPipeline;
    alerts: AlertService;
    admin: AdminService;
    adjustments: AdjustmentService;
    access: AccessControl;
    metrics: Metrics;
    reads: Reads;
    pubsub: LivePubSub;
    /** The other API nodes, told which cached results to drop. */
    bus?: ClusterBus;
    logger: Logger;
    maxBatchEvents: number;
    maxMetaBytes: number;
    maxBodyBytes: number;
    maxResponseBytes: number;
  },
  options: GraphQLOptions,
): GraphQLServer {
  return createYoga<ServerContext, Context>({
    schema: chargeResponseBytes(schema),
    graphqlEndpoint: GRAPHQL_PATH,
    // The body limit is useBodyLimit's (the same as REST's): Yoga's streams every body.
    maxRequestBodySize: false,
    // No field takes an upload: multipart bodies are refused, not parsed.
    multipart: false,
    // CORS is applied once, for REST and GraphQL alike, by the HTTP front door.
    cors: false,
    // Unexpected errors answer "Unexpected error." and go to the log; never
    // their message or stack, whatever NODE_ENV says. A busy database is a 503.
    maskedErrors: { isDev: false, maskError: maskUnexpectedError },
    landingPage: false,
    // GraphiQL is useGraphiQLPage (in plugins): compressed once and revalidated by ETag.
    graphiql: false,
    context: ({ principal }) => ({
      // The front door (HTTP) or the WebSocket handshake authenticated the
      // request; a call that came in neither way is somebody only while open.
      principal: principal ?? (deps.access.mode() === 'open' ? OPEN_PRINCIPAL : null),
      reads: deps.reads,
      ingest: deps.ingest,
      alerts: deps.alerts,
      admin: deps.admin,
      adjustments: deps.adjustments,
      pubsub: deps.pubsub,
      maxBatchEvents: deps.maxBatchEvents,
      maxMetaBytes: deps.maxMetaBytes,
      eventsById: createBatchLoader((ids: number[]) => deps.reads.events.byIds(ids), null),
      evidenceOf: createBatchLoader((ids: string[]) => deps.reads.persona.evidence(ids), []),
      falsePositiveOf: createBatchLoader(
        (ids: number[]) => deps.adjustments.falsePositivesOfAlerts(ids),
        null as FeedbackRecord | null,
      ),
      responseBudget: responseBudgets(deps.maxResponseBytes),
    }),
    logging: {
      debug: (...args) => deps.logger.debug('graphql', { args: args.map(String) }),
      info: (...args) => deps.logger.info('graphql', { args: args.map(String) }),
      warn: (...args) => deps.logger.warn('graphql', { args: args.map(String) }),
      error: (...args) =>
        deps.logger.error('graphql', { args: args.map((a) => (a instanceof Error ? a.stack : String(a))) }),
    },
    plugins: [
      // First, where Yoga's own GraphiQL would answer.
      ...(options.graphiql
        ? [useGraphiQLPage(GRAPHQL_PATH, { title: 'Persona Drift GraphQL', subscriptionsProtocol: 'SSE' })]
        : []),
      // Armor keeps the parse-time token limit; depth, aliases and directives
      // are checked once per document, cost per operation with its variables
      // (document-limits.ts).
      EnvelopArmorPlugin({
        maxDepth: { enabled: false },
        maxAliases: { enabled: false },
        costLimit: { enabled: false },
        maxDirectives: { enabled: false },
        maxTokens: { n: OPERATION_LIMITS.maxTokens },
        // Suggestions are removed by useNoSuggestions, from execution errors too.
        blockFieldSuggestion: { enabled: false },
      }),
      // graphql-sse's single-connection mode, before Yoga answers PUT with 405.
      useSingleConnectionSse({
        maxBodyBytes: deps.maxBodyBytes,
        logError: (message, error) =>
          deps.logger.error(message, { error: error instanceof Error ? error.stack : String(error) }),
      }),
      useStreamAdmission(),
      useBodyLimit(deps.maxBodyBytes),
      usePersistedQueries(),
      useVariableDepthLimit(),
      useDocumentLimits(OPERATION_LIMITS),
      useBadUserInputCodes(),
      useResponseBudget(),
      useErrorMetrics(deps.metrics),
      useLiveResponseCache(deps.ingest, deps.admin, deps.alerts, deps.bus),
      ...(options.introspection ? [] : [useDisableIntrospection(), useNoSuggestions()]),
    ],
  });
}

/**
 * Serves the same schema over WebSocket (the `graphql-ws` protocol) on the
 * GraphQL path, for clients that cannot use SSE. Returns a closer.
 */
export function attachWebSocket(
  server: Server,
  yoga: GraphQLServer,
  options: { guard: RequestGuard; load: ServerLoad; browsers: BrowserGuard; maxMessageBytes: number },
): () => Promise<void> {
  const { guard, load, browsers } = options;
  const wss = new WebSocketServer({
    // Upgrades are handed over below: given the server, ws would re-emit its errors (a taken port at
    // listen) on itself, where graphql-ws logs them with a stack trace.
    noServer: true,
    path: yoga.graphqlEndpoint,
    // A message is held by the body limit too (ws would take 100 MiB): a larger one closes the socket (1009).
    maxPayload: options.maxMessageBytes,
    // A WebSocket is a stream: it takes one of the same slots as SSE, refused with 503 when none is free.
    verifyClient: ({ req }, done) => {
      // A socket can run mutations: while open, only from this origin (see BrowserGuard).
      const refusal =
        guard.access.mode() === 'open'
          ? browsers.refusal(req.method ?? 'GET', req.headers, {
              opensSocket: true,
              fromProxy: guard.isTrustedProxy(req),
            })
          : null;
      if (refusal !== null) done(false, refusal.status, refusal.message);
      else if (load.streams >= load.limits.maxStreams) done(false, 503, 'too many live streams open; retry shortly');
      else done(true);
    },
  });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
  server.on('upgrade', onUpgrade);
  wss.on('connection', (socket) => {
    const release = load.openStream();
    // Taken between the check and the upgrade by another stream: try again later.
    if (release === null) socket.close(1013, 'too many live streams open');
    else socket.once('close', release);
  });
  // Yoga's enveloped execute/subscribe (with its plugins) ride along as the root value.
  type Run = (args: ExecutionArgs) => unknown;
  const root = (args: ExecutionArgs) => args.rootValue as { execute: Run; subscribe: Run };
  // Who each socket authenticated as at its handshake.
  const principals = new WeakMap<object, Principal>();
  const disposable = serveGraphQLWs(
    {
      // The key comes in the upgrade request's headers or, from browsers
      // (which cannot set them), in the connection parameters. A refused key
      // closes the socket with 4403 (the protocol's Forbidden) and the reason.
      onConnect: (ctx) => {
        const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
        const fromParams = typeof params.authorization === 'string' ? params.authorization : undefined;
        const apiKey = typeof params.apiKey === 'string' ? params.apiKey : undefined;
        const { request, socket } = ctx.extra;
        const address = guard.clientAddress(request);
        try {
          guard.admit(address);
          const principal = guard.authenticate(
            {
              authorization: fromParams ?? request.headers.authorization,
              'x-api-key': apiKey ?? request.headers['x-api-key'],
            },
            address,
          );
          principals.set(socket, principal);
          socket.once(
            'close',
            guard.access.track(principal, () => socket.close(4403, 'Forbidden: the API key was revoked')),
          );
          return true;
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          // 1013: try again later (over a rate); anything else is the key's fault.
          if (error.status === 429) socket.close(1013, `Try again later: ${error.message}`);
          else socket.close(4403, `Forbidden: ${error.message}`);
          return false;
        }
      },
      execute: (args) => root(args).execute(args) as never,
      subscribe: (args) => root(args).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        // Each operation over the socket counts against its key's rate, as a request would.
        const principal = principals.get(ctx.extra.socket);
        if (principal === undefined) {
          return [new GraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        try {
          guard.charge(principal);
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: 'RATE_LIMITED' } })];
        }
        const {
          schema: enveloped,
          execute,
          subscribe,
          contextFactory,
          parse,
          validate,
        } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          principal,
          params: payload,
        });
        // Refusals while parsing (syntax, the token and depth limits) are the
        // operation's errors, as over HTTP: thrown, graphql-ws would close the socket.
        try {
          const document = parse(payload.query);
          const errors = validate(enveloped, document);
          if (errors.length > 0) return errors;
          return {
            schema: enveloped,
            operationName: payload.operationName,
            document,
            variableValues: payload.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
    },
    wss,
    (message, error) => yoga.logger.error(message, error),
  );
  return async () => {
    server.off('upgrade', onUpgrade);
    disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
