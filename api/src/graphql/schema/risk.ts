import type { DriftReasonCode as Code } from '../../domain/drift.ts';
import type { RiskDay as RiskDayShape } from '../../reads/risk.ts';
import { builder } from '../builder.ts';
import { DriftReasonCode } from './drift.ts';

const FactorCount = builder.objectRef<{ code: Code; count: number }>('FactorCount').implement({
  fields: (t) => ({
    code: t.field({ type: DriftReasonCode, resolve: (f) => f.code }),
    count: t.exposeInt('count', { description: 'Events that day that raised this factor.' }),
  }),
});

export const RiskDay = builder.objectRef<RiskDayShape>('RiskDay').implement({
  description:
    "One UTC day of a user's risk: how many events, the highest drift score and v2 event risk, and each drift factor's count.",
  fields: (t) => ({
    day: t.exposeString('day', { description: 'YYYY-MM-DD (UTC).' }),
    events: t.exposeInt('events'),
    maxDriftScore: t.exposeInt('maxDriftScore', { nullable: true, description: 'Null on a day without events.' }),
    maxRisk: t.exposeInt('maxRisk', {
      nullable: true,
      description: 'The highest v2 event risk (0–100) that day; null when no event that day was scored by v2.',
    }),
    factors: t.field({ type: [FactorCount], resolve: (d) => d.factors }),
  }),
});

builder.prismaObject('UserToken', {
  name: 'TokenCount',
  description: 'How often a user has shown one value of one dimension.',
  fields: (t) => ({
    dimension: t.exposeString('dimension', { description: 'browser, os, device or ipClass.' }),
    value: t.exposeString('value'),
    count: t.exposeInt('count'),
    firstSeen: t.expose('firstSeen', { type: 'DateTime' }),
    lastSeen: t.expose('lastSeen', { type: 'DateTime' }),
  }),
});
