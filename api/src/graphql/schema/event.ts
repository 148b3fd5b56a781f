import { filter, pipe } from 'graphql-yoga';
import type { NormalizedEvent } from '../../domain/event-input.ts';
import { decodeFactors } from '../../domain/factors.ts';
import { parseRowId } from '../../domain/row-id.ts';
import { userIdForLookup } from '../../domain/user-id.ts';
import type { Event } from '../../generated/prisma/client.ts';
import { IngestOverloadedError } from '../../ingest/admit.ts';
import { type ValidatedIngest, validateBatch, validateEvent } from '../../ingest/validate.ts';
import { CITY_RADIUS_KM, type EventNetwork } from '../../reads/event-networks.ts';
import type { StoredEvent } from '../../storage/ports.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { toGraphQLIssues, toLegacyBody } from '../event-input.ts';
import { retryLaterError } from '../mask-error.ts';
import { EventRiskRef, eventRisk } from './assessment.ts';
import { DriftReasonCode } from './drift.ts';
import { InputValidationError } from './errors.ts';

/** A committed event in the shape of its database row (what the Event type resolves from). */
export function toEventRow(event: StoredEvent): Event {
  return {
    id: event.id,
    userId: event.userId,
    eventId: event.eventId,
    kind: event.kind,
    timestamp: new Date(event.timestamp),
    receivedAt: new Date(event.receivedAt),
    browser: event.tokens.browser,
    os: event.tokens.os,
    ip: event.ip,
    ipClass: event.tokens.ipClass,
    device: event.tokens.device,
    meta: JSON.stringify(event.meta),
    driftScore: event.driftScore,
    factors: event.factors,
    risk: event.risk,
    signals: JSON.stringify(event.signals),
  };
}

const NetworkType = builder.enumType('NetworkType', {
  description:
    "The kind of network an address is on, from the producer's `meta.network_type` or the bundled lists (docs/risk-model.md).",
  values: {
    ISP: {
      value: 'isp',
      description: 'A fixed-line access network, or one no list classifies: homes and offices alike.',
    },
    MOBILE: {
      value: 'mobile',
      description: "A mobile carrier: the address is its gateway's, often far from the user.",
    },
    BUSINESS: {
      value: 'business',
      description: 'A network serving organisations only (corporate, research, university).',
    },
    HOSTING: { value: 'hosting', description: "A datacenter, cloud or hoster: a server's address, not a person's." },
    VPN: { value: 'vpn', description: 'A VPN provider: the address says where its exit server is, not the user.' },
    TOR: { value: 'tor', description: 'A Tor exit relay.' },
    UNKNOWN: { value: 'unknown', description: 'A public address no database knows.' },
  } as const,
});

const EventNetworkRef = builder.objectRef<EventNetwork>('EventNetwork').implement({
  description:
    "The network an event came from and where, as the v2 model observed it: the producer's meta (`network_type`, `asn`, `country`, `city`) wins field by field over the offline databases. For hosting, VPN and Tor addresses the place is the server's, not the user's. Places from DB-IP Lite (CC BY 4.0, https://db-ip.com).",
  fields: (t) => ({
    type: t.field({
      type: NetworkType,
      nullable: true,
      description: 'Null for an event without a public address (none sent, or a private, loopback or reserved one).',
      resolve: (network) => network.type,
    }),
    asn: t.exposeInt('asn', { nullable: true, description: 'Autonomous system number.' }),
    asnOrganization: t.exposeString('asnOrganization', {
      nullable: true,
      description: "The ASN's registered operator, when the database's ASN is the event's.",
    }),
    country: t.exposeString('country', { nullable: true, description: 'ISO 3166-1 alpha-2.' }),
    city: t.exposeString('city', {
      nullable: true,
      description:
        "The producer's `meta.city`, else DB-IP Lite's city when it agrees on the country; null when unknown.",
    }),
    radiusKm: t.exposeFloat('radiusKm', {
      nullable: true,
      description: `How far from the city the client may be, in km; null without a city. 0 for the producer's coordinates; for a city DB-IP Lite names (it gives no accuracy) ${CITY_RADIUS_KM} km, or the country's radius if smaller; the country's radius for a mobile carrier's address (placed at a gateway) and for a city the producer names without coordinates.`,
    }),
  }),
});

export const EventRef = builder.prismaObject('Event', {
  authScopes: { read: true },
  description: "One stored event, normalized, with the producer's meta as sent.",
  fields: (t) => ({
    id: t.exposeID('id'),
    user: t.relation('user'),
    eventId: t.exposeString('eventId', { nullable: true, description: "The producer's id for safe retries, if any." }),
    kind: t.exposeString('kind'),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'When it happened (server time if not sent).' }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime', description: 'When the server stored it.' }),
    browser: t.exposeString('browser', { nullable: true }),
    os: t.exposeString('os', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    ipClass: t.exposeString('ipClass', { nullable: true, description: 'The /24 (IPv4) or /48 (IPv6) network.' }),
    device: t.exposeString('device', { nullable: true }),
    meta: t.field({
      type: 'JSONObject',
      description: 'The meta object exactly as the producer sent it, unknown keys included.',
      resolve: (event) => JSON.parse(event.meta) as Record<string, unknown>,
    }),
    driftScore: t.exposeInt('driftScore', { description: "The user's legacy drift score right after this event." }),
    factors: t.field({
      type: [DriftReasonCode],
      description:
        'The risk factors this event raised: a value the user had never shown in a dimension where they already had one, or a device switch from the newest event before it.',
      resolve: (event) => decodeFactors(event.factors),
    }),
    risk: t.field({
      type: EventRiskRef,
      description: 'The v2 risk score of this event, with the signals behind it. `driftScore` is the legacy score.',
      resolve: (event) => eventRisk(event),
    }),
    network: t.field({
      type: EventNetworkRef,
      description: 'The network type and place of the address this event came from.',
      resolve: (event, _args, ctx) => ctx.reads.eventNetworks.of(event),
    }),
  }),
});

builder.queryField('event', (t) =>
  t.prismaField({
    type: 'Event',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => {
      const id = parseRowId(args.id);
      return id === null ? null : ctx.reads.events.byId(id, query);
    },
  }),
);

const EventMetaInput = builder.inputType('EventMetaInput', {
  description: 'What the producer knows about the client. Tokens are trimmed and lower-cased.',
  fields: (t) => ({
    browser: t.string({ required: false }),
    os: t.string({ required: false }),
    ip: t.string({ required: false, description: 'IPv4 or IPv6.' }),
    device: t.string({ required: false, description: 'Device type, e.g. laptop, phone.' }),
    devType: t.string({ required: false, description: 'Older spelling of `device`; `device` wins if both are sent.' }),
    userAgent: t.string({
      required: false,
      description: 'The raw User-Agent header: browser, OS and device type are derived from it where not sent.',
    }),
    success: t.boolean({ required: false, description: 'Whether the login succeeded.' }),
    outcome: t.string({ required: false, description: 'success or failure (the same as `success`).' }),
    country: t.string({ required: false, description: 'ISO 3166-1 alpha-2; wins over the IP lookup.' }),
    city: t.string({ required: false }),
    asn: t.int({ required: false, description: 'Autonomous system number of the client network.' }),
    lat: t.float({ required: false, description: 'Latitude of the client, with lon.' }),
    lon: t.float({ required: false, description: 'Longitude of the client, with lat.' }),
    networkType: t.string({
      required: false,
      description:
        "The producer's own verdict on the client's network: hosting, vpn, tor, mobile, business, isp or unknown; wins over the bundled lists.",
    }),
    extra: t.field({ type: 'JSONObject', required: false, description: 'Any other keys, kept in meta as sent.' }),
  }),
});

const EventInput = builder.inputType('EventInput', {
  description: 'One event, validated by the same rules as `POST /ingest`.',
  fields: (t) => ({
    userId: t.id({
      required: true,
      description:
        'Trimmed and normalised to NFC. An id with a control, invisible (zero-width, bidi, BOM), private-use or unassigned character, or a full-width or other compatibility form, is refused.',
    }),
    kind: t.string({ required: true, description: 'login, logout, …' }),
    timestamp: t.field({ type: 'EventTime', required: false, description: "Absent: the server's receive time." }),
    eventId: t.string({ required: false, description: 'Re-sending the same id for the same user stores it once.' }),
    meta: t.field({
      type: EventMetaInput,
      required: false,
      description:
        'At most MAX_META_BYTES (16 KiB by default) as JSON, `extra` included, nested at most 32 objects or arrays deep.',
    }),
  }),
});

const IngestEventPayload = builder.objectRef<{ event: Event; duplicate: boolean }>('IngestEventPayload').implement({
  fields: (t) => ({
    event: t.field({
      type: EventRef,
      // Reading it back is reading persona data: producers store, analysts read.
      authScopes: { read: true },
      nullable: true,
      resolve: (p) => p.event,
      description:
        'The stored event (the earlier one for a duplicate). Null, with a FORBIDDEN error, for a producer key.',
    }),
    duplicate: t.exposeBoolean('duplicate', {
      description: 'True when this eventId was already stored for this user.',
    }),
  }),
});

const IngestEventsPayload = builder
  .objectRef<{ stored: StoredEvent[]; count: number; duplicates: number }>('IngestEventsPayload')
  .implement({
    fields: (t) => ({
      count: t.exposeInt('count', { description: 'Events in the request.' }),
      stored: t.int({ description: 'Events newly stored.', resolve: (p) => p.stored.length }),
      duplicates: t.exposeInt('duplicates', { description: 'Events skipped as retries of stored ones.' }),
      // Rows are built only when the events are asked for: producers rarely do.
      events: t.field({
        type: [EventRef],
        authScopes: { read: true },
        nullable: true,
        resolve: (p) => p.stored.map(toEventRow),
        description: 'The newly stored events. Null, with a FORBIDDEN error, for a producer key.',
      }),
    }),
  });

/** The validated events, or a ValidationError naming the fields under the mutation's `argument`. */
function validated(result: ValidatedIngest, argument: 'input' | 'inputs'): NormalizedEvent[] {
  if (result.ok) return result.events;
  throw new InputValidationError(toGraphQLIssues(result.issues, argument));
}

/** Stores validated events; a full write queue becomes HTTP 503 with Retry-After, as on REST. */
async function store(ctx: Context, events: readonly NormalizedEvent[]) {
  try {
    return await ctx.ingest.ingest(events);
  } catch (error) {
    if (!(error instanceof IngestOverloadedError)) throw error;
    throw retryLaterError('OVERLOADED', error.message, error.retryAfterSeconds);
  }
}

builder.mutationField('ingestEvent', (t) =>
  t.field({
    type: IngestEventPayload,
    description: 'Stores one event. Invalid input returns a ValidationError and stores nothing.',
    authScopes: { ingest: true },
    errors: { types: [InputValidationError], directResult: true, union: { name: 'IngestEventResult' } },
    args: { input: t.arg({ type: EventInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const [event] = validated(validateEvent(toLegacyBody(args.input), ctx), 'input') as [NormalizedEvent];
      const outcome = await store(ctx, [event]);
      const stored = outcome.stored[0];
      if (stored !== undefined) return { event: toEventRow(stored), duplicate: false };
      const existing = await ctx.reads.events.byProducerId(event.userId, event.eventId as string);
      return { event: existing, duplicate: true };
    },
  }),
);

builder.mutationField('ingestEvents', (t) =>
  t.field({
    type: IngestEventsPayload,
    description: 'Stores a batch atomically: all events or, if any is invalid, none.',
    authScopes: { ingest: true },
    errors: { types: [InputValidationError], directResult: true, union: { name: 'IngestEventsResult' } },
    args: { inputs: t.arg({ type: [EventInput], required: true }) },
    resolve: async (_root, args, ctx) => {
      const events = validated(validateBatch(args.inputs.map(toLegacyBody), ctx), 'inputs');
      const outcome = await store(ctx, events);
      return { stored: outcome.stored, count: events.length, duplicates: outcome.duplicates };
    },
  }),
);

builder.subscriptionField('eventIngested', (t) =>
  t.field({
    type: EventRef,
    description: 'Fires for every newly stored event, whether it came over REST or GraphQL.',
    args: { userId: t.arg.id({ required: false, description: "Only this user's events." }) },
    subscribe: (_root, args, ctx) => {
      const userId = args.userId == null ? null : userIdForLookup(String(args.userId));
      return pipe(
        ctx.pubsub.subscribe('eventIngested'),
        filter((event: StoredEvent) => userId === null || event.userId === userId),
      );
    },
    resolve: (event) => toEventRow(event),
  }),
);
