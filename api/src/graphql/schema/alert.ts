import { GraphQLError } from 'graphql';
import { filter, pipe } from 'graphql-yoga';
import { type AlertStatus as AlertStatusValue, toCef, toEcs, toOcsf } from '../../domain/risk/alert-export.ts';
import { parseRowId } from '../../domain/row-id.ts';
import { userIdForLookup } from '../../domain/user-id.ts';
import type { AlertFilter, AlertOrder as AlertOrderValue, Incident } from '../../reads/alerts.ts';
import { OPEN_PRINCIPAL } from '../../services/access.ts';
import { MAX_ALERT_NOTE } from '../../services/alerts.ts';
import { VERSION } from '../../version.ts';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.ts';
import { parseSignals, RiskLevel, RiskSignalRef } from './assessment.ts';
import { badUserInput } from './errors.ts';
import { EventRef } from './event.ts';
import { UserRef } from './user.ts';
import { VerdictKind } from './verdict.ts';

const AlertStatus = builder.enumType('AlertStatus', {
  values: {
    OPEN: { value: 'open', description: 'Raised, nobody has looked yet.' },
    ACKNOWLEDGED: { value: 'acknowledged', description: 'Someone is on it; new risky events still extend it.' },
    RESOLVED: { value: 'resolved', description: 'Closed; the next risky event opens a new alert.' },
  } as const,
});

const AlertExportFormat = builder.enumType('AlertExportFormat', {
  values: {
    ECS: {
      value: 'ecs',
      description:
        'Elastic Common Schema 8.11 JSON: event.kind alert, event.outcome, user.risk.*, rule.*, and the last event’s source.ip, source.geo.*, source.as.*, user_agent.original and related.*.',
    },
    OCSF: {
      value: 'ocsf',
      description:
        'OCSF 1.3 Detection Finding (class 2004) JSON, with observables (user, IP, country, user agent) and the source endpoint in its evidence.',
    },
    CEF: {
      value: 'cef',
      description: 'One ArcSight CEF line with src (or c6a2), suser, requestClientApplication, outcome and place.',
    },
  } as const,
});

const AlertOrder = builder.enumType('AlertOrder', {
  values: {
    NEWEST: { value: 'newest', description: 'Newest first.' },
    HIGHEST: {
      value: 'highest',
      description:
        'Highest score first, then newest. Its cursors are alert ids: an alert whose score rises mid-walk (a new risky event) may be met again or missed; walk NEWEST to see each alert once.',
    },
  } as const satisfies Record<string, { value: AlertOrderValue; description: string }>,
});

export const AlertRef = builder.prismaObject('Alert', {
  authScopes: { read: true },
  description:
    "Raised when an event's v2 risk reaches the alert threshold (ALERT_THRESHOLD). Later risky events of the same user extend it until it is resolved.",
  fields: (t) => ({
    id: t.exposeID('id'),
    user: t.relation('user'),
    status: t.field({ type: AlertStatus, resolve: (alert) => alert.status as 'open' | 'acknowledged' | 'resolved' }),
    score: t.exposeInt('score', { description: 'The highest event risk in the alert, 0–100.' }),
    level: t.field({ type: RiskLevel, resolve: (alert) => alert.level as 'low' | 'medium' | 'high' | 'critical' }),
    signals: t.field({
      type: [RiskSignalRef],
      description: 'The strongest signal of each kind across the alert’s events, strongest first.',
      resolve: (alert) => parseSignals(alert.signals),
    }),
    events: t.exposeInt('events', { description: 'Events at or above the threshold in this alert.' }),
    firstEvent: t.field({ type: EventRef, nullable: true, resolve: (a, _args, ctx) => ctx.eventsById(a.firstEventId) }),
    lastEvent: t.field({ type: EventRef, nullable: true, resolve: (a, _args, ctx) => ctx.eventsById(a.lastEventId) }),
    firstAt: t.expose('firstAt', { type: 'DateTime' }),
    lastAt: t.expose('lastAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    note: t.exposeString('note', { nullable: true, description: "The analyst's note." }),
    assignee: t.exposeString('assignee', {
      nullable: true,
      description: 'Who took the alert: the name of their API key (its prefix when unnamed).',
    }),
    export: t.string({
      description:
        "The alert for a SIEM: ECS or OCSF as a JSON string, or a CEF line; each carries its last event's source (address, place, network, user agent, outcome) for correlation rules.",
      args: { format: t.arg({ type: AlertExportFormat, required: true }) },
      resolve: async (alert, args, ctx) => {
        // The request's event loader: a page of exports reads its last events in one statement.
        const load = async (ids: readonly number[]) => {
          const events = await Promise.all(ids.map((id) => ctx.eventsById(id)));
          return new Map(events.flatMap((event) => (event === null ? [] : [[event.id, event] as const])));
        };
        const record = await ctx.reads.alertRecords.withSource(alert, load);
        if (args.format === 'cef') return toCef(record, VERSION);
        return JSON.stringify(args.format === 'ecs' ? toEcs(record, VERSION) : toOcsf(record, VERSION));
      },
    }),
  }),
});

builder.queryField('alert', (t) =>
  t.prismaField({
    type: 'Alert',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => {
      const id = parseRowId(args.id);
      return id === null ? null : ctx.reads.alerts.byId(id, query);
    },
  }),
);

builder.queryField('alerts', (t) =>
  t.prismaConnection(
    {
      type: 'Alert',
      cursor: 'id',
      defaultSize: DEFAULT_PAGE_SIZE,
      maxSize: MAX_PAGE_SIZE,
      description: 'Alerts, newest first unless `orderBy: HIGHEST`.',
      args: {
        status: t.arg({ type: [AlertStatus], required: false, description: 'Only these statuses.' }),
        level: t.arg({ type: [RiskLevel], required: false, description: 'Only these levels.' }),
        verdict: t.arg({
          type: [VerdictKind],
          required: false,
          description: "Only alerts of users whose verdict is one of these (the user's verdict now).",
        }),
        userId: t.arg.id({ required: false }),
        minScore: t.arg.int({ required: false }),
        orderBy: t.arg({ type: AlertOrder, required: false, defaultValue: 'newest' }),
      },
      resolve: (query, _root, args, ctx) => ctx.reads.alerts.page(alertFilter(args), query, args.orderBy ?? 'newest'),
      totalCount: (_root, args, ctx) => ctx.reads.alerts.count(alertFilter(args)),
    },
    { name: 'AlertConnection' },
    { name: 'AlertEdge' },
  ),
);

function alertFilter(args: {
  status?: AlertStatusValue[] | null;
  level?: Array<'low' | 'medium' | 'high' | 'critical'> | null;
  verdict?: Array<'takeover' | 'sharing' | 'stuffing'> | null;
  userId?: string | number | null;
  minScore?: number | null;
}): AlertFilter {
  return {
    statuses: args.status,
    levels: args.level,
    verdicts: args.verdict,
    userId: args.userId == null ? null : userIdForLookup(String(args.userId)),
    minScore: args.minScore,
  };
}

function alertIds(ids: ReadonlyArray<string | number>, field: string): number[] {
  return ids.map((raw, index) => {
    const id = parseRowId(raw);
    if (id === null) throw badUserInput(`${field}[${index}]`, `'${raw}' is not an alert id`);
    return id;
  });
}

const notFound = (id: string | number) =>
  new GraphQLError(`no alert '${id}'`, { extensions: { code: 'NOT_FOUND', field: 'id' } });

builder.mutationField('setAlertStatus', (t) =>
  t.prismaField({
    type: 'Alert',
    description: 'Triage: acknowledge, resolve or reopen (OPEN) an alert. Unknown ids fail with NOT_FOUND.',
    authScopes: { triage: true },
    args: { id: t.arg.id({ required: true }), status: t.arg({ type: AlertStatus, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseRowId(args.id);
      if (
        id === null ||
        (await ctx.alerts.setStatus(ctx.principal ?? OPEN_PRINCIPAL, [id], args.status)).length === 0
      ) {
        throw notFound(args.id);
      }
      return ctx.reads.alerts.byIdOrThrow(id, query);
    },
  }),
);

const MAX_BULK_ALERTS = 500;

builder.mutationField('setAlertsStatus', (t) =>
  t.prismaField({
    type: ['Alert'],
    description: `Bulk triage: sets the status of up to ${MAX_BULK_ALERTS} alerts in one transaction and returns those that exist; unknown ids are left out.`,
    authScopes: { triage: true },
    args: {
      ids: t.arg.idList({ required: true }),
      status: t.arg({ type: AlertStatus, required: true }),
    },
    resolve: async (query, _root, args, ctx) => {
      if (args.ids.length > MAX_BULK_ALERTS) throw badUserInput('ids', `at most ${MAX_BULK_ALERTS} alerts at once`);
      const changed = await ctx.alerts.setStatus(
        ctx.principal ?? OPEN_PRINCIPAL,
        alertIds(args.ids, 'ids'),
        args.status,
      );
      return ctx.reads.alerts.byIds(
        changed.map((alert) => alert.id),
        query,
      );
    },
  }),
);

const UpdateAlertInput = builder.inputType('UpdateAlertInput', {
  fields: (t) => ({
    note: t.string({
      required: false,
      description: `The analyst's note (at most ${MAX_ALERT_NOTE} characters); null or blank clears it, absent leaves it.`,
    }),
    assignToMe: t.boolean({
      required: false,
      description:
        'True takes the alert for the calling key; false leaves it unassigned, whoever had it; absent leaves it as it is.',
    }),
  }),
});

builder.mutationField('updateAlert', (t) =>
  t.prismaField({
    type: 'Alert',
    description: 'Sets the note or the assignee of an alert. Unknown ids fail with NOT_FOUND.',
    authScopes: { triage: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateAlertInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseRowId(args.id);
      if (id === null) throw notFound(args.id);
      const { note, assignToMe } = args.input;
      if (note != null && note.length > MAX_ALERT_NOTE) {
        throw badUserInput('input.note', `at most ${MAX_ALERT_NOTE} characters`);
      }
      const annotation = {
        ...(note !== undefined ? { note } : {}),
        ...(assignToMe != null ? { assignToMe } : {}),
      };
      if (Object.keys(annotation).length === 0) throw badUserInput('input', 'give a note or assignToMe');
      if (!(await ctx.alerts.annotate(ctx.principal ?? OPEN_PRINCIPAL, id, annotation))) throw notFound(args.id);
      return ctx.reads.alerts.byIdOrThrow(id, query);
    },
  }),
);

builder.subscriptionField('alertChanged', (t) =>
  t.field({
    type: AlertRef,
    description:
      'Fires when an alert is opened, extended by a new risky event, triaged, or given a note or an assignee.',
    args: { userId: t.arg.id({ required: false, description: "Only this user's alerts." }) },
    subscribe: (_root, args, ctx) => {
      const userId = args.userId == null ? null : userIdForLookup(String(args.userId));
      return pipe(
        ctx.pubsub.subscribe('alertChanged'),
        filter((alert: { id: number; userId: string }) => userId === null || alert.userId === userId),
      );
    },
    resolve: (alert, _args, ctx) => ctx.reads.alerts.byIdOrThrow(alert.id),
  }),
);

const IncidentKind = builder.enumType('IncidentKind', {
  values: { STUFFING: { value: 'stuffing', description: 'One credential-stuffing source reaching many accounts.' } },
});

export const IncidentRef = builder.objectRef<Incident>('Incident').implement({
  description:
    'Many accounts’ alerts with one cause, shown as one: a credential-stuffing source and every account it reached.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: IncidentKind, resolve: (incident) => incident.kind }),
    source: t.exposeString('source', { description: 'The source network: an IP, a /24 or /48, or an AS.' }),
    scope: t.exposeString('scope', { description: 'ip, subnet or asn.' }),
    level: t.field({ type: RiskLevel, resolve: (incident) => incident.level }),
    accounts: t.int({ resolve: (incident) => incident.userIds.length }),
    users: t.field({
      type: [UserRef],
      description: 'The accounts it reached, in the order their alerts came, newest first.',
      resolve: (incident, _args, ctx) => ctx.reads.users.byIds(incident.userIds),
    }),
    alerts: t.field({
      type: [AlertRef],
      description: 'Newest first.',
      resolve: (incident, _args, ctx) => ctx.reads.alerts.byIds(incident.alertIds),
    }),
    firstAt: t.expose('firstAt', { type: 'DateTime' }),
    lastAt: t.expose('lastAt', { type: 'DateTime' }),
  }),
});

builder.queryField('incidents', (t) =>
  t.field({
    type: [IncidentRef],
    authScopes: { read: true },
    description: 'Credential-stuffing campaigns (a source reaching two or more accounts), largest and latest first.',
    args: { status: t.arg({ type: [AlertStatus], required: false, description: 'Only alerts of these statuses.' }) },
    resolve: (_root, args, ctx) => ctx.reads.alerts.incidents(args.status ?? null),
  }),
);
