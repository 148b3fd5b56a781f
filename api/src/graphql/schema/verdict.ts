import type { VerdictKind as Kind } from '../../domain/risk/verdict.ts';
import type { UserVerdict } from '../../reads/verdicts.ts';
import { builder } from '../builder.ts';

export const VerdictKind = builder.enumType('VerdictKind', {
  description: 'What the account as a whole looks like (see docs/risk-model.md, Verdicts).',
  values: {
    TAKEOVER: {
      value: 'takeover',
      description:
        'Someone new to a mature account acting like an intruder: sensitive actions right after first appearing, an anonymous network on an account that never used one, the owner active far away at the same time, or the owner gone quiet since.',
    },
    SHARING: {
      value: 'sharing',
      description:
        'Two personas, on different devices and in different places or on two home lines, recurring side by side over days: two people on one account.',
    },
    STUFFING: {
      value: 'stuffing',
      description:
        'A login succeeded from a source failing across many accounts (credential stuffing), on a network new to the account.',
    },
  } as const satisfies Record<string, { value: Kind; description: string }>,
});

const VerdictEvidenceRef = builder.objectRef<UserVerdict['evidence'][number]>('VerdictEvidence').implement({
  description: 'One reason for a verdict.',
  fields: (t) => ({
    message: t.exposeString('message'),
    values: t.field({
      type: 'JSONObject',
      description: 'The facts behind the message: persona devices, networks, countries, day counts.',
      resolve: (evidence) => evidence.values,
    }),
  }),
});

export const VerdictRef = builder.objectRef<UserVerdict>('Verdict').implement({
  description:
    "A user-level verdict from the user's personas (device × network × country), distinct from per-event risk.",
  fields: (t) => ({
    kind: t.field({ type: VerdictKind, resolve: (verdict) => verdict.kind }),
    confidence: t.exposeFloat('confidence', { description: '0–1; no verdict is given below 0.5.' }),
    since: t.expose('since', { type: 'DateTime', description: 'When what the verdict describes began.' }),
    evidence: t.field({
      type: [VerdictEvidenceRef],
      description: 'Strongest first.',
      resolve: (verdict) => verdict.evidence,
    }),
  }),
});
