import { filter, pipe } from 'graphql-yoga';
import { type ExplainedReason, LEGACY_RULES } from '../../domain/drift.ts';
import { userIdForLookup } from '../../domain/user-id.ts';
import type { UserChange } from '../../ingest/write.ts';
import { driftOf, type ExplainedDrift, MAX_EVIDENCE } from '../../reads/persona.ts';
import { builder } from '../builder.ts';

export const DriftReasonCode = builder.enumType('DriftReasonCode', {
  description: 'The legacy drift rules, in the order the original engine lists them.',
  values: Object.fromEntries(
    LEGACY_RULES.map((rule) => [rule.code, { description: `${rule.label} (+${rule.weight})` }]),
  ) as Record<ExplainedReason['code'], { description: string }>,
});

export const DriftReasonRef = builder.objectRef<ExplainedReason>('DriftReason').implement({
  description: 'One rule that fired, with what it saw.',
  fields: (t) => ({
    code: t.field({ type: DriftReasonCode, resolve: (r) => r.code }),
    label: t.exposeString('label', { description: 'The reason string of the REST API, e.g. "Multiple IPs".' }),
    weight: t.exposeInt('weight', { description: 'Points this rule adds to the score.' }),
    evidence: t.exposeStringList('evidence', {
      description: `The distinct values behind the rule, most frequent first (at most ${MAX_EVIDENCE}); for a device switch, the previous and the latest device.`,
    }),
  }),
});

export const DriftRef = builder.objectRef<ExplainedDrift>('Drift').implement({
  description: 'The legacy drift score (0–100) and its reasons, exactly as `GET /drift/:user_id` computes them.',
  fields: (t) => ({
    score: t.exposeInt('score'),
    reasons: t.field({ type: [DriftReasonRef], resolve: (d) => d.reasons }),
  }),
});

const DriftChangeRef = builder.objectRef<UserChange>('DriftChange').implement({
  description: "A user's drift score changed because of newly ingested events.",
  fields: (t) => ({
    userId: t.id({ resolve: (c) => c.aggregate.userId }),
    previousScore: t.int({
      nullable: true,
      description: 'The score before these events; null for a user seen for the first time.',
      resolve: (c) => c.previousDriftScore,
    }),
    score: t.int({ resolve: (c) => c.aggregate.driftScore }),
    drift: t.field({
      type: DriftRef,
      resolve: async (c, _args, ctx) => driftOf(c.aggregate, await ctx.evidenceOf(c.aggregate.userId)),
    }),
    user: t.prismaField({
      type: 'User',
      resolve: (query, c, _args, ctx) => ctx.reads.users.byIdOrThrow(c.aggregate.userId, query),
    }),
  }),
});

builder.subscriptionField('driftChanged', (t) =>
  t.field({
    type: DriftChangeRef,
    description: "Fires after a commit changes a user's drift score, whether the events came over REST or GraphQL.",
    args: {
      userId: t.arg.id({ required: false, description: 'Only this user.' }),
      minScore: t.arg.int({ required: false, description: 'Only changes to a score at or above this.' }),
    },
    subscribe: (_root, args, ctx) => {
      const userId = args.userId == null ? null : userIdForLookup(String(args.userId));
      return pipe(
        ctx.pubsub.subscribe('driftChanged'),
        filter(
          (change: UserChange) =>
            (userId === null || change.aggregate.userId === userId) &&
            (args.minScore == null || change.aggregate.driftScore >= args.minScore),
        ),
      );
    },
    resolve: (change) => change,
  }),
);
