import { currentRisk, riskLevel } from '../../domain/risk/score.ts';
import { userIdForLookup } from '../../domain/user-id.ts';
import { fingerprintOf } from '../../services/persona-reader.ts';
import { prisma } from '../../storage/db.ts';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.ts';
import { RiskLevel } from './assessment.ts';
import { DriftRef, driftOf, TOKENS_BY_FREQUENCY } from './drift.ts';
import { badUserInput } from './errors.ts';
import { EventRef } from './event.ts';
import { FingerprintRef } from './fingerprint.ts';
import { MAX_RISK_DAYS, RiskDay, riskByDay } from './risk.ts';

const UserOrder = builder.enumType('UserOrder', {
  description: 'How `users` are ranked; ties are broken by user id.',
  values: {
    DRIFT_SCORE: { description: 'Legacy drift score.' },
    LAST_SEEN: { description: 'Time of the newest event.' },
    EVENT_COUNT: { description: 'Number of events.' },
  } as const,
});

const SortDirection = builder.enumType('SortDirection', { values: ['DESC', 'ASC'] as const });

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

const UserRiskRef = builder.objectRef<{ score: number; peak: number; at: number | null }>('UserRisk').implement({
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
      resolve: async (user, _args, ctx) => driftOf(user, await ctx.evidenceOf(user.id)),
    }),
    fingerprint: t.field({ type: FingerprintRef, resolve: (user) => fingerprintOf(user) }),
    risk: t.field({
      type: UserRiskRef,
      description:
        "The user's v2 risk now: the highest recent event risk, halving every day without a riskier event. `drift` is the legacy score.",
      resolve: (user) => {
        const at = user.riskAt?.getTime() ?? null;
        const score = at === null ? 0 : currentRisk({ score: user.risk, at }, Date.now());
        return { score, peak: user.risk, at };
      },
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
      resolve: (user, args) => {
        const days = args.days ?? 30;
        if (days < 1 || days > MAX_RISK_DAYS) throw badUserInput('days', `must be between 1 and ${MAX_RISK_DAYS}`);
        return riskByDay(user.id, user.lastSeen, days, args.until);
      },
    }),
    tokens: t.relation('tokens', {
      description:
        'Every value the user has shown, most frequent first: the mix of browsers, OS, devices and networks.',
      args: { dimension: t.arg.string({ required: false, description: 'browser, os, device or ipClass.' }) },
      query: (args) => ({
        where: args.dimension == null ? {} : { dimension: args.dimension },
        orderBy: [...TOKENS_BY_FREQUENCY],
      }),
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
          order: t.arg({ type: SortDirection, required: false, defaultValue: 'DESC' }),
        },
        query: (args) => {
          const direction = args.order === 'ASC' ? 'asc' : 'desc';
          const since = args.since ?? undefined;
          const until = args.until ?? undefined;
          return {
            where: {
              ...(args.kind == null ? {} : { kind: args.kind }),
              ...(since || until ? { timestamp: { ...(since && { gte: since }), ...(until && { lt: until }) } } : {}),
            },
            orderBy: [{ timestamp: direction }, { id: direction }],
          };
        },
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
    resolve: (query, _root, args) =>
      prisma().user.findUnique({ ...query, where: { id: userIdForLookup(String(args.id)) } }),
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
        orderBy: t.arg({ type: UserOrder, required: false, defaultValue: 'DRIFT_SCORE' }),
        direction: t.arg({ type: SortDirection, required: false, defaultValue: 'DESC' }),
        minDriftScore: t.arg.int({ required: false, description: 'Only users at or above this drift score.' }),
        search: t.arg.string({
          required: false,
          description: 'Only user ids containing this text (case-insensitive).',
        }),
      },
      resolve: (query, _root, args) => {
        const direction = args.direction === 'ASC' ? 'asc' : 'desc';
        const column = { DRIFT_SCORE: 'driftScore', LAST_SEEN: 'lastSeen', EVENT_COUNT: 'eventCount' }[
          args.orderBy ?? 'DRIFT_SCORE'
        ];
        return prisma().user.findMany({
          ...query,
          where: usersWhere(args),
          orderBy: [{ [column]: direction }, { id: 'asc' }],
        });
      },
      totalCount: (_root, args) => prisma().user.count({ where: usersWhere(args) }),
    },
    { name: 'UserConnection' },
    { name: 'UserEdge' },
  ),
);

function usersWhere(args: { minDriftScore?: number | null; search?: string | null }) {
  return {
    ...(args.minDriftScore == null ? {} : { driftScore: { gte: args.minDriftScore } }),
    // Ids are stored composed (NFC): a decomposed search finds them too.
    ...(args.search ? { id: { contains: args.search.normalize('NFC') } } : {}),
  };
}

const Overview = builder
  .objectRef<{
    users: number;
    events: number;
    driftingUsers: number;
    averageDriftScore: number;
    lastEventAt: Date | null;
  }>('Overview')
  .implement({
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
  t.field({
    type: Overview,
    resolve: async () => {
      const [totals, driftingUsers] = await Promise.all([
        prisma().user.aggregate({
          _count: { _all: true },
          _sum: { eventCount: true },
          _avg: { driftScore: true },
          _max: { lastSeen: true },
        }),
        prisma().user.count({ where: { driftScore: { gt: 0 } } }),
      ]);
      return {
        users: totals._count._all,
        events: totals._sum.eventCount ?? 0,
        driftingUsers,
        averageDriftScore: Math.round((totals._avg.driftScore ?? 0) * 10) / 10,
        lastEventAt: totals._max.lastSeen ?? null,
      };
    },
  }),
);
