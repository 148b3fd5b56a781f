import { GraphQLError } from 'graphql';
import { filter, pipe } from 'graphql-yoga';
import { type AlertStatus as AlertStatusValue, toCef, toEcs, toOcsf } from '../../domain/risk/alert-export.ts';
import { parseRowId } from '../../domain/row-id.ts';
import { userIdForLookup } from '../../domain/user-id.ts';
import { type AlertFilter, toAlertRecord } from '../../reads/alerts.ts';
import { VERSION } from '../../version.ts';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.ts';
import { parseSignals, RiskLevel, RiskSignalRef } from './assessment.ts';
import { EventRef } from './event.ts';

const AlertStatus = builder.enumType('AlertStatus', {
  values: {
    OPEN: { value: 'open', description: 'Raised, nobody has looked yet.' },
    ACKNOWLEDGED: { value: 'acknowledged', description: 'Someone is on it; new risky events still extend it.' },
    RESOLVED: { value: 'resolved', description: 'Closed; the next risky event opens a new alert.' },
  } as const,
});

const AlertExportFormat = builder.enumType('AlertExportFormat', {
  values: {
    ECS: { value: 'ecs', description: 'Elastic Common Schema JSON (event.kind: alert, user.risk.*, rule.*).' },
    OCSF: { value: 'ocsf', description: 'OCSF 1.3 Detection Finding (class 2004) JSON.' },
    CEF: { value: 'cef', description: 'One ArcSight CEF line.' },
  } as const,
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
    export: t.string({
      description: 'The alert for a SIEM: ECS or OCSF as a JSON string, or a CEF line.',
      args: { format: t.arg({ type: AlertExportFormat, required: true }) },
      resolve: (alert, args) => {
        const record = toAlertRecord(alert);
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
      description: 'Alerts, newest first.',
      args: {
        status: t.arg({ type: [AlertStatus], required: false, description: 'Only these statuses.' }),
        userId: t.arg.id({ required: false }),
        minScore: t.arg.int({ required: false }),
      },
      resolve: (query, _root, args, ctx) => ctx.reads.alerts.page(alertFilter(args), query),
      totalCount: (_root, args, ctx) => ctx.reads.alerts.count(alertFilter(args)),
    },
    { name: 'AlertConnection' },
    { name: 'AlertEdge' },
  ),
);

function alertFilter(args: {
  status?: AlertStatusValue[] | null;
  userId?: string | number | null;
  minScore?: number | null;
}): AlertFilter {
  return {
    statuses: args.status,
    userId: args.userId == null ? null : userIdForLookup(String(args.userId)),
    minScore: args.minScore,
  };
}

builder.mutationField('setAlertStatus', (t) =>
  t.prismaField({
    type: 'Alert',
    description: 'Triage: acknowledge, resolve or reopen an alert. Unknown ids fail with NOT_FOUND.',
    authScopes: { triage: true },
    args: { id: t.arg.id({ required: true }), status: t.arg({ type: AlertStatus, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseRowId(args.id);
      if (id === null || !ctx.alerts.setStatus(id, args.status)) {
        throw new GraphQLError(`no alert '${args.id}'`, { extensions: { code: 'NOT_FOUND', field: 'id' } });
      }
      return ctx.reads.alerts.byIdOrThrow(id, query);
    },
  }),
);

builder.subscriptionField('alertChanged', (t) =>
  t.field({
    type: AlertRef,
    description: 'Fires when an alert is opened, extended by a new risky event, or triaged.',
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
