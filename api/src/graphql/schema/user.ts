import { GraphQLError } from 'graphql';
import { type LevelRank, type Standing, severity } from '../../domain/risk/standing.ts';
import type { VerdictKind as VerdictKindValue } from '../../domain/risk/verdict.ts';
import { userIdForLookup } from '../../domain/user-id.ts';
import { type Direction, userEventsQuery } from '../../reads/events.ts';
import { driftOf, fingerprintOf } from '../../reads/persona.ts';
import { MAX_RISK_DAYS, type RiskNow, riskNow } from '../../reads/risk.ts';
import {
  BadCursor,
  CursorExpired,
  type Overview,
  type RankedPage,
  type UserFilter,
  type UserRanking,
  userTokensQuery,
} from '../../reads/users.ts';
import { fromUserRow } from '../../storage/user-row.ts';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.ts';
import { RiskLevel } from './assessment.ts';
import { DriftRef } from './drift.ts';
import { badUserInput } from './errors.ts';
import { EventRef } from './event.ts';
import { FingerprintRef } from './fingerprint.ts';
import { RiskDay } from './risk.ts';
import { VerdictKind, VerdictRef } from './verdict.ts';

const UserOrder = builder.enumType('UserOrder', {
  description: 'How `users` are ranked; ties are broken by user id.',
  values: {
    RISK: {
      value: 'risk',
      description:
        'Who is at risk first: users with an unresolved alert or a verdict (by the higher of their levels) before all others, then by current risk, which decays alike for everyone.',
    },
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

const RiskBasis = builder.enumType('RiskBasis', {
  description: 'What sets a user’s risk level.',
  values: {
    SCORE: { value: 'score', description: 'The current risk score’s band.' },
    OPEN_ALERT: { value: 'open_alert', description: 'An unresolved (open or acknowledged) alert of that level.' },
    VERDICT: {
      value: 'verdict',
      description: 'The verdict: takeover is critical, stuffing high, sharing medium.',
    },
  } as const,
});

type UserRiskShape = RiskNow & ReturnType<typeof severity>;

const UserRiskRef = builder.objectRef<UserRiskShape>('UserRisk').implement({
  fields: (t) => ({
    score: t.exposeFloat('score', { description: 'Current risk, 0–100, decayed to now.' }),
    level: t.field({
      type: RiskLevel,
      description:
        'The user’s severity now: the highest of the score’s band, the level of their unresolved alert and their verdict’s level. Never below an open alert’s level, however far the score has decayed.',
      resolve: (risk) => risk.level,
    }),
    scoreLevel: t.field({
      type: RiskLevel,
      description: 'The band of `score` alone.',
      resolve: (risk) => risk.scoreLevel,
    }),
    basis: t.field({ type: RiskBasis, resolve: (risk) => risk.basis }),
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
      resolve: (user) => {
        const now = riskNow(user, Date.now());
        return { ...now, ...severity(now.score, standingOf(user)) };
      },
    }),
    openAlerts: t.relation('alerts', {
      description: 'The user’s unresolved (open or acknowledged) alerts, highest level first, then newest.',
      query: { where: { status: { not: 'resolved' } }, orderBy: [{ score: 'desc' }, { id: 'desc' }] },
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
  t.connection(
    {
      type: UserRef,
      description:
        'Users ranked by who is at risk (default), drift score, last seen or event count. Cursors hold the sort values and the id, and a walk sees the ranking as of its first page: every user who existed then comes exactly once, however scores change mid-walk. A walk idle for 15 minutes (2 minutes before its second page) fails with CURSOR_EXPIRED, as does, on SQLite, one begun before a restart: start again without a cursor.',
      args: {
        orderBy: t.arg({ type: UserOrder, required: false, defaultValue: 'risk' }),
        direction: t.arg({ type: SortDirection, required: false, defaultValue: 'desc' }),
        minDriftScore: t.arg.int({ required: false, description: 'Only users at or above this drift score.' }),
        search: t.arg.string({
          required: false,
          description: 'Only user ids containing this text (case-insensitive).',
        }),
        verdict: t.arg({ type: [VerdictKind], required: false, description: 'Only users with one of these verdicts.' }),
      },
      resolve: async (_root, args, ctx) => {
        const size = pageSize(args.first, args.last);
        if (args.after != null && args.before != null) throw badUserInput('before', 'use either after or before');
        if (args.first != null && args.before != null) throw badUserInput('before', 'page backward with last');
        if (args.last != null && args.after != null) throw badUserInput('after', 'page forward with first');
        const filter: UserFilter = { minDriftScore: args.minDriftScore, search: args.search, verdicts: args.verdict };
        let page: RankedPage;
        try {
          page = await ctx.reads.users.ranked(filter, {
            by: args.orderBy ?? 'risk',
            direction: args.direction ?? 'desc',
            size,
            backward: args.last != null,
            after: args.after,
            before: args.before,
          });
        } catch (error) {
          if (error instanceof BadCursor) throw badUserInput(error.field, error.message);
          if (error instanceof CursorExpired) {
            throw new GraphQLError(error.message, { extensions: { code: 'CURSOR_EXPIRED' } });
          }
          throw error;
        }
        const backward = args.last != null || args.before != null;
        const edges = page.users.map((node, i) => ({ node, cursor: page.cursors[i] as string }));
        return {
          edges,
          filter,
          pageInfo: {
            hasNextPage: backward ? args.before != null : page.hasMore,
            hasPreviousPage: backward ? page.hasMore : args.after != null,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges[edges.length - 1]?.cursor ?? null,
          },
        };
      },
    },
    {
      name: 'UserConnection',
      fields: (c) => ({
        totalCount: c.int({
          description: 'Users the filter selects now.',
          resolve: (connection, _args, ctx) => ctx.reads.users.count((connection as { filter: UserFilter }).filter),
        }),
      }),
    },
    { name: 'UserEdge' },
  ),
);

function pageSize(first: number | null | undefined, last: number | null | undefined): number {
  if (first != null && last != null) throw badUserInput('last', 'use either first or last');
  const [field, requested] = last != null ? ['last', last] : ['first', first];
  if (requested == null) return DEFAULT_PAGE_SIZE;
  if (requested < 0) throw badUserInput(field, 'must not be negative');
  return Math.min(requested, MAX_PAGE_SIZE);
}

/** The standing stored on a user row (the writer stores only the domain's values). */
function standingOf(user: { alertLevel: number; verdict: string | null }): Standing {
  return { alertLevel: user.alertLevel as LevelRank, verdict: user.verdict as VerdictKindValue | null };
}

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
