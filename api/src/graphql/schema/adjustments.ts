import { GraphQLError } from 'graphql';
import {
  DEFAULT_ALLOW_MS,
  DEFAULT_TRUST_MS,
  type EntryKind,
  FEEDBACK_HALF_LIFE_MS,
  FEEDBACK_LIFETIME_MS,
  feedbackFactor,
  type Parsed,
  parseExpiry,
  parseReason,
  parseTarget,
  signalsLoweredBy,
} from '../../domain/risk/adjustments.ts';
import { round } from '../../domain/risk/signals.ts';
import { parseRowId } from '../../domain/row-id.ts';
import { userIdForLookup } from '../../domain/user-id.ts';
import { OPEN_PRINCIPAL, type Principal } from '../../services/access.ts';
import type { AdjustmentView, LoweringView } from '../../services/adjustments.ts';
import type { AllowRecord, FeedbackRecord, TrustRecord } from '../../storage/adjustment-store.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { AlertRef } from './alert.ts';
import { badUserInput } from './errors.ts';
import { UserRef } from './user.ts';

const TrustKind = builder.enumType('TrustKind', {
  description: 'What a user’s trust entry names.',
  values: {
    DEVICE: {
      value: 'device',
      description:
        'A client token as events carry it: a device (`laptop/windows`, the default), `browser:chrome` or `os:ios`.',
    },
    NETWORK: { value: 'network', description: 'An IPv4 CIDR, an IPv6 prefix or an ASN (`AS13335` or `13335`).' },
  } as const,
});

const AllowListKind = builder.enumType('AllowListKind', {
  description: 'What an organisation allow-list entry names.',
  values: {
    IPV4_CIDR: { value: 'ipv4_cidr', description: '`10.0.0.0/8`; a bare address is its /32.' },
    IPV6_PREFIX: { value: 'ipv6_prefix', description: '`2001:db8::/32`; a bare address is its /128.' },
    ASN: { value: 'asn', description: '`AS13335` or `13335`.' },
    COUNTRY: { value: 'country', description: 'ISO 3166-1 alpha-2, e.g. `DE`.' },
  } as const,
});

const AdjustmentSource = builder.enumType('AdjustmentSource', {
  values: {
    TRUST: { value: 'trust', description: 'A trust entry (`trustForUser`).' },
    FALSE_POSITIVE: { value: 'false_positive', description: 'An alert marked a false positive.' },
  } as const,
});

const LoweringRef = builder.objectRef<LoweringView>('Lowering').implement({
  description: 'One signal an adjustment lowers, and on which events.',
  fields: (t) => ({
    signal: t.exposeString('signal', { description: 'The signal’s name, as in `RiskSignal.name`.' }),
    match: t.exposeString('match', {
      description:
        'Which events: the trusted value (`10.0.0.0/8`, `device:laptop/windows`), or for a false positive what its evidence must name (`value:NG`, `asn:9009`, `to:Lagos, NG`).',
    }),
    factor: t.exposeFloat('factor', {
      description: `What the signal's score is multiplied by now: 0 for trust; for a false positive 0.5 when marked, back towards 1 with a half-life of ${FEEDBACK_HALF_LIFE_MS / 86_400_000} days.`,
    }),
  }),
});

const AdjustmentRef = builder.objectRef<AdjustmentView>('Adjustment').implement({
  description: 'A trust entry or false positive lowering this user’s scores now.',
  fields: (t) => ({
    source: t.field({ type: AdjustmentSource, resolve: (a) => a.source }),
    id: t.exposeID('id', { description: 'The trust entry’s or the false positive’s id.' }),
    label: t.exposeString('label', { description: 'How a lowered signal’s evidence names it (`loweredBy`).' }),
    reason: t.exposeString('reason'),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => new Date(a.createdAt) }),
    createdBy: t.exposeString('createdBy'),
    until: t.field({
      type: 'DateTime',
      description: 'When it stops lowering anything.',
      resolve: (a) => new Date(a.until),
    }),
    alertId: t.exposeID('alertId', { nullable: true, description: 'The alert marked a false positive.' }),
    lowers: t.field({ type: [LoweringRef], resolve: (a) => a.lowers }),
  }),
});

const removed = (at: number | null) => (at === null ? null : new Date(at));

type SchemaTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/** What a trust entry and an allow-list entry say alike, after their kind. */
function listedEntryFields<Entry extends TrustRecord | AllowRecord>(
  t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Entry>,
  valueDescription: string,
) {
  return {
    value: t.string({ description: valueDescription, resolve: (e) => e.value }),
    reason: t.string({ resolve: (e) => e.reason }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => new Date(e.createdAt) }),
    createdBy: t.string({ resolve: (e) => e.createdBy }),
    expiresAt: t.field({ type: 'DateTime', resolve: (e) => new Date(e.expiresAt) }),
    removedAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => removed(e.removedAt) }),
    removedBy: t.string({ nullable: true, resolve: (e) => e.removedBy }),
    active: t.boolean({
      description: 'Neither removed nor expired.',
      resolve: (e) => e.removedAt === null && e.expiresAt > Date.now(),
    }),
    lowers: t.stringList({ description: 'The signals it lowers.', resolve: (e) => loweredBy(e.kind, e.value) }),
  };
}

const TrustEntryRef = builder.objectRef<TrustRecord>('TrustEntry').implement({
  description: 'A device or network trusted for one user: the signals it vouches for score 0 on their events.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    kind: t.field({ type: TrustKind, resolve: (e) => e.kind }),
    ...listedEntryFields(t, 'Canonical: `device:laptop/windows`, `10.0.0.0/8`, `AS13335`.'),
  }),
});

const AllowListEntryRef = builder.objectRef<AllowRecord>('AllowListEntry').implement({
  description: 'An organisation allow-list entry: like a trust entry, for every user.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: AllowListKind, resolve: (e) => e.kind }),
    ...listedEntryFields(t, 'Canonical: `10.0.0.0/8`, `2001:db8::/32`, `AS13335`, `DE`.'),
  }),
});

const FalsePositiveRef = builder.objectRef<FeedbackRecord>('FalsePositive').implement({
  description: 'An alert an analyst marked a false positive, and what that lowers on the user’s similar events.',
  fields: (t) => ({
    id: t.exposeID('id'),
    alertId: t.exposeID('alertId'),
    userId: t.exposeID('userId'),
    reason: t.exposeString('reason'),
    createdAt: t.field({ type: 'DateTime', resolve: (f) => new Date(f.createdAt) }),
    createdBy: t.exposeString('createdBy'),
    until: t.field({
      type: 'DateTime',
      description: 'When it stops lowering anything.',
      resolve: (f) => new Date(f.until),
    }),
    undoneAt: t.field({ type: 'DateTime', nullable: true, resolve: (f) => removed(f.undoneAt) }),
    undoneBy: t.exposeString('undoneBy', { nullable: true }),
    active: t.boolean({
      description: 'Neither undone nor lapsed.',
      resolve: (f) => f.undoneAt === null && f.until > Date.now(),
    }),
    lowers: t.field({
      type: [LoweringRef],
      description: 'Empty when the alert had no signal a false positive lowers (only failed logins, stuffing, …).',
      resolve: (f) => {
        const factor = f.undoneAt === null ? round(feedbackFactor(f, Date.now()), 3) : 1;
        return f.lowers.map(({ signal, key }) => ({ signal, match: key, factor }));
      },
    }),
  }),
});

function loweredBy(kind: EntryKind, value: string): string[] {
  const target = parseTarget(kind, value);
  return target.ok ? [...signalsLoweredBy(target.value)] : [];
}

/** The parsed value, or a BAD_USER_INPUT error naming the argument. */
function valid<T>(field: string, parsed: Parsed<T>): T {
  if (!parsed.ok) throw badUserInput(field, parsed.message);
  return parsed.value;
}

function principalOf(ctx: Context): Principal {
  return ctx.principal ?? OPEN_PRINCIPAL;
}

function notFound(what: string, id: string | number, field = 'id'): GraphQLError {
  return new GraphQLError(`no ${what} '${id}'`, { extensions: { code: 'NOT_FOUND', field } });
}

function rowId(field: string, id: string | number): number {
  const parsed = parseRowId(id);
  if (parsed === null) throw badUserInput(field, 'must be a positive integer id');
  return parsed;
}

const expiry = (at: Date | null | undefined, defaultMs: number) =>
  valid('expiresAt', parseExpiry(at == null ? null : at.getTime(), Date.now(), defaultMs));

const days = (ms: number) => `${ms / 86_400_000} days`;

builder.mutationField('trustForUser', (t) =>
  t.field({
    type: TrustEntryRef,
    description: `Trusts a device or network for one user: on their events the signals it vouches for score 0, their evidence naming the entry. Analyst or admin; audited (trust.created). \`expiresAt\` defaults to ${days(DEFAULT_TRUST_MS)} from now, at most two years away.`,
    authScopes: { triage: true },
    args: {
      userId: t.arg.id({ required: true }),
      kind: t.arg({ type: TrustKind, required: true }),
      value: t.arg.string({ required: true }),
      reason: t.arg.string({ required: true }),
      expiresAt: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const userId = userIdForLookup(String(args.userId));
      const target = valid('value', parseTarget(args.kind, args.value));
      const reason = valid('reason', parseReason(args.reason));
      const expiresAt = expiry(args.expiresAt, DEFAULT_TRUST_MS);
      if (!(await ctx.adjustments.userExists(userId))) throw notFound('user', userId, 'userId');
      return ctx.adjustments.trust(principalOf(ctx), userId, target, reason, expiresAt);
    },
  }),
);

builder.mutationField('removeTrust', (t) =>
  t.field({
    type: TrustEntryRef,
    description: 'Revokes a trust entry at once; it stays listed. Analyst or admin; audited (trust.removed).',
    authScopes: { triage: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const removed = await ctx.adjustments.removeTrust(principalOf(ctx), rowId('id', args.id));
      if (removed === null) throw notFound('trust entry', args.id);
      return removed;
    },
  }),
);

builder.mutationField('createAllowListEntry', (t) =>
  t.field({
    type: AllowListEntryRef,
    description: `Adds an organisation allow-list entry: on every user's events the signals it vouches for score 0. Admin only; audited (allow.created). \`expiresAt\` defaults to ${days(DEFAULT_ALLOW_MS)} from now, at most two years away.`,
    authScopes: { admin: true },
    args: {
      kind: t.arg({ type: AllowListKind, required: true }),
      value: t.arg.string({ required: true }),
      reason: t.arg.string({ required: true }),
      expiresAt: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: (_root, args, ctx) => {
      const target = valid('value', parseTarget(args.kind, args.value));
      const reason = valid('reason', parseReason(args.reason));
      const expiresAt = expiry(args.expiresAt, DEFAULT_ALLOW_MS);
      return ctx.adjustments.allow(principalOf(ctx), args.kind, target, reason, expiresAt);
    },
  }),
);

builder.mutationField('removeAllowListEntry', (t) =>
  t.field({
    type: AllowListEntryRef,
    description: 'Removes an allow-list entry at once; it stays listed. Admin only; audited (allow.removed).',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const removed = await ctx.adjustments.removeAllow(principalOf(ctx), rowId('id', args.id));
      if (removed === null) throw notFound('allow-list entry', args.id);
      return removed;
    },
  }),
);

builder.mutationField('markAlertFalsePositive', (t) =>
  t.field({
    type: FalsePositiveRef,
    description: `Marks an alert a false positive and resolves it. The alert's signals that name a network, device, place or hour weigh at most half on the user's similar events (the same signal naming the same value), fading back over ${days(FEEDBACK_LIFETIME_MS)}; failed logins, stuffing and sensitive actions are never lowered. Analyst or admin; audited (feedback.false_positive, alert.resolved).`,
    authScopes: { triage: true },
    args: { alertId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const alertId = rowId('alertId', args.alertId);
      const reason = valid('reason', parseReason(args.reason));
      const by = principalOf(ctx);
      const marked = await ctx.adjustments.markFalsePositive(by, alertId, reason);
      if (marked === null) throw notFound('alert', args.alertId, 'alertId');
      if (marked.alertStatus !== 'resolved') await ctx.alerts.setStatus(by, [alertId], 'resolved');
      return marked.feedback;
    },
  }),
);

builder.mutationField('undoFalsePositive', (t) =>
  t.field({
    type: FalsePositiveRef,
    description:
      'Undoes a false positive: the user’s next events score as if it had never been marked. The alert stays resolved (reopen it with setAlertStatus). Analyst or admin; audited (feedback.undone).',
    authScopes: { triage: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const undone = await ctx.adjustments.undoFalsePositive(principalOf(ctx), rowId('id', args.id));
      if (undone === null) throw notFound('false positive', args.id);
      return undone;
    },
  }),
);

builder.queryField('allowList', (t) =>
  t.field({
    type: [AllowListEntryRef],
    description: 'The organisation allow-list, newest first: the entries in force, or every one ever made.',
    args: { includeInactive: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (_root, args, ctx) => ctx.adjustments.allowList(args.includeInactive ?? false),
  }),
);

builder.prismaObjectField(UserRef, 'adjustments', (t) =>
  t.field({
    type: [AdjustmentRef],
    description:
      'The trust entries and false positives lowering this user’s scores now: what each lowers, by how much and until when. The organisation allow-list (`allowList`) applies to every user besides.',
    resolve: (user, _args, ctx) => ctx.adjustments.adjustmentsOf(user.id),
  }),
);

builder.prismaObjectField(UserRef, 'trustEntries', (t) =>
  t.field({
    type: [TrustEntryRef],
    description: 'The user’s trust entries, newest first: those in force, or every one ever made.',
    args: { includeInactive: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (user, args, ctx) => ctx.adjustments.trustOf(user.id, args.includeInactive ?? false),
  }),
);

builder.prismaObjectField(UserRef, 'falsePositives', (t) =>
  t.field({
    type: [FalsePositiveRef],
    description: 'Alerts of this user marked false positives, newest first: those in force, or every one.',
    args: { includeInactive: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (user, args, ctx) => ctx.adjustments.falsePositivesOf(user.id, args.includeInactive ?? false),
  }),
);

builder.prismaObjectField(AlertRef, 'falsePositive', (t) =>
  t.field({
    type: FalsePositiveRef,
    nullable: true,
    description:
      'The false positive this alert was marked (not undone), with what it lowers and until when; null if none.',
    resolve: (alert, _args, ctx) => ctx.falsePositiveOf(alert.id),
  }),
);
