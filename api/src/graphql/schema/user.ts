import { riskLevel } from '../../domain/risk/score.ts';
import { userIdForLookup } from '../../domain/user-id.ts';
import { type Direction, userEventsQuery } from '../../reads/events.ts';
import { driftOf, fingerprintOf } from '../../reads/persona.ts';
import { MAX_RISK_DAYS, type RiskNow, riskNow } from '../../reads/risk.ts';
import { type Overview, type UserRanking, userTokensQuery } from '../../reads/users.ts';
import { fromUserRow } from '../../storage/user-row.ts';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.ts';
import { RiskLevel } from './assessment.ts';
import { DriftRef } from './drift.ts';
import { badUserInput } from './errors.ts';
import { EventRef } from './event.ts';
import { FingerprintRef } from './fingerprint.ts';
import { RiskDay } from './risk.ts';
import { VerdictRef } from './verdict.ts';

const UserOrder = builder.enumType('UserOrder', {
  description: 'How `users` are ranked; ties are broken by user id.',
  values: {
    DRIFT_SCORE: { value: 'driftScore', description: 'Legacy drift score.' },
    LAST_SEEN: { value: 'lastSeen', description: 'Time of the newest event.' },
    EVENT_COUNT: { value: 'eventCount', description: 'Number of events.' },
  } as const satisfies Record<string, { value: UserRanking; description: string }>,
});

const SortDirection = builder.enumType('SortDirection', {
  values: { DESC: { value: 'desc' }, ASC: { value: 'asc' } } as const satisfies Record<string, { value: Direction }>,
});

const DistinctCounts = builder
  .objectRef<{ browsers: number; os: number; devices: number; ipClasses: number }>('DistinctCounts')
  .implement({
    description: 'How many different values of each dimension the user has shown.',
    fields: (t) => ({
      browsers: t.exposeInt('browsers'),
      os: t.exposeInt('os'),
      devices: t.exposeInt('devices'),
      ipClasses: t.exposeInt('ipClasses'),
    }),
  });

export const EventFilterArgs = {
  kind: 'Only events of this kind.',
  since: 'Only events at or after this time.',
  until: 'Only events before this time.',
} as const;

const UserRiskRef = builder.objectRef<RiskNow>('UserRisk').implement({
  fields: (t) => ({
    score: t.exposeFloat('score', { description: 'Current risk, 0–100, decayed to now.' }),
    level: t.field({ type: RiskLevel, resolve: (risk) => riskLevel(risk.score) }),
    peak: t.exposeFloat('peak', { description: 'The risk as last raised, before decay.' }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the risk was last raised; null before the first v2-scored event.',
      resolve: (risk) => (risk.at === null ? null : new Date(risk.at)),
    }),
  }),
});

export const UserRef = builder.prismaObject('User', {
  // Also reached through an ingest payload (event { user }): producers may not read users.
  authScopes: { read: true },
  description: 'A user id as producers send it, with everything learned about its persona.',
  fields: (t) => ({
    id: t.exposeID('id'),
    eventCount: t.exposeInt('eventCount'),
    firstSeen: t.expose('firstSeen', { type: 'DateTime', description: 'Timestamp of the oldest event.' }),
    lastSeen: t.expose('lastSeen', { type: 'DateTime', description: 'Timestamp of the newest event.' }),
    drift: t.field({
      type: DriftRef,
      resolve: async (user, _args, ctx) => driftOf(fromUserRow(user), await ctx.evidenceOf(user.id)),
    }),
    fingerprint: t.field({ type: FingerprintRef, resolve: (user) => fingerprintOf(user) }),
    risk: t.field({
      type: UserRiskRef,
      description:
        "The user's v2 risk now: the highest recent event risk, halving every day without a riskier event. `drift` is the legacy score.",
      resolve: (user) => riskNow(user, Date.now()),
    }),
    verdict: t.field({
      type: VerdictRef,
      nullable: true,
      description:
        'Whether the account as a whole looks taken over, shared or reached by credential stuffing, with evidence; null when nothing is confident enough. `risk` scores single events.',
      resolve: (user, _args, ctx) => ctx.reads.verdicts.of(user.id),
    }),
    distinct: t.field({
      type: DistinctCounts,
      resolve: (u) => ({ browsers: u.browserCount, os: u.osCount, devices: u.deviceCount, ipClasses: u.ipClassCount }),
    }),
    riskByDay: t.field({
      type: [RiskDay],
      description: `Risk per UTC day over the \`days\` days (1–${MAX_RISK_DAYS}) ending with the newest event's day, or \`until\`.`,
      args: {
        days: t.arg.int({ required: false, defaultValue: 30 }),
        until: t.arg({ type: 'DateTime', required: false }),
      },
      resolve: (user, args, ctx) => {
        const days = args.days ?? 30;
        if (days < 1 || days > MAX_RISK_DAYS) throw badUserInput('days', `must be between 1 and ${MAX_RISK_DAYS}`);
        return ctx.reads.risk.byDay(user.id, user.lastSeen, days, args.until);
      },
    }),
    tokens: t.relation('tokens', {
      description:
        'Every value the user has shown, most frequent first: the mix of browsers, OS, devices and networks.',
      args: { dimension: t.arg.string({ required: false, description: 'browser, os, device or ipClass.' }) },
      query: (args) => userTokensQuery(args.dimension),
    }),
    latestEvent: t.field({
      type: EventRef,
      nullable: true,
      description: 'The newest event by timestamp.',
      resolve: (user, _args, ctx) => (user.latestEventId === null ? null : ctx.eventsById(user.latestEventId)),
    }),
    events: t.relatedConnection(
      'events',
      {
        cursor: 'id',
        defaultSize: DEFAULT_PAGE_SIZE,
        maxSize: MAX_PAGE_SIZE,
        description: "The user's events, newest first (by timestamp, then arrival) unless `order: ASC`.",
        args: {
          kind: t.arg.string({ required: false, description: EventFilterArgs.kind }),
          since: t.arg({ type: 'DateTime', required: false, description: EventFilterArgs.since }),
          until: t.arg({ type: 'DateTime', required: false, description: EventFilterArgs.until }),
          order: t.arg({ type: SortDirection, required: false, defaultValue: 'desc' }),
        },
        query: (args) => userEventsQuery(args, args.order ?? 'desc'),
      },
      { name: 'EventConnection' },
      { name: 'EventEdge' },
    ),
  }),
});

builder.queryField('user', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    description:
      'One user by id; null when no event was ever stored for it. The id is normalised as `EventInput.userId` is, so any canonically equivalent spelling finds the user.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.reads.users.byId(userIdForLookup(String(args.id)), query),
  }),
);

builder.queryField('users', (t) =>
  t.prismaConnection(
    {
      type: 'User',
      cursor: 'id',
      defaultSize: DEFAULT_PAGE_SIZE,
      maxSize: MAX_PAGE_SIZE,
      description: 'Users ranked by drift score (default), last seen or event count.',
      args: {
        orderBy: t.arg({ type: UserOrder, required: false, defaultValue: 'driftScore' }),
        direction: t.arg({ type: SortDirection, required: false, defaultValue: 'desc' }),
        minDriftScore: t.arg.int({ required: false, description: 'Only users at or above this drift score.' }),
        search: t.arg.string({
          required: false,
          description: 'Only user ids containing this text (case-insensitive).',
        }),
      },
      resolve: (query, _root, args, ctx) =>
        ctx.reads.users.page(args, { by: args.orderBy ?? 'driftScore', direction: args.direction ?? 'desc' }, query),
      totalCount: (_root, args, ctx) => ctx.reads.users.count(args),
    },
    { name: 'UserConnection' },
    { name: 'UserEdge' },
  ),
);

const OverviewRef = builder.objectRef<Overview>('Overview').implement({
  description: 'Totals across all users.',
  fields: (t) => ({
    users: t.exposeInt('users'),
    events: t.exposeInt('events'),
    driftingUsers: t.exposeInt('driftingUsers', { description: 'Users with a drift score above 0.' }),
    averageDriftScore: t.exposeFloat('averageDriftScore'),
    lastEventAt: t.expose('lastEventAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('overview', (t) =>
  t.field({ type: OverviewRef, resolve: (_root, _args, ctx) => ctx.reads.users.overview() }),
);
