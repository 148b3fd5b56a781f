import { LEVEL_FLOORS, type RiskLevel as Level, riskLevel } from '../../domain/risk/score.ts';
import type { Signal } from '../../domain/risk/signals.ts';
import { builder } from '../builder.ts';

/** Stored signal JSON (Event.signals, Alert.signals) back to signals; null text means "not scored by v2". */
export function parseSignals(text: string | null): Signal[] {
  return text === null ? [] : (JSON.parse(text) as Signal[]);
}

/** What each level means, wherever the product shows one. */
const LEVEL_MEANINGS: Record<Level, string> = {
  low: 'Ordinary activity for this account, or too little of it to judge.',
  medium:
    'Something new or unusual (a new device, network or place) that an owner often explains; worth a look in context. A sharing verdict is medium.',
  high: 'Likely not the owner: strong signals together, at or above the default alert threshold (60). A stuffing verdict is high.',
  critical:
    'Act now: the account looks taken over (intruder signals with sensitive actions, impossible travel, an anonymous network new to it). A takeover verdict is critical.',
};

export const RiskLevel = builder.enumType('RiskLevel', {
  description:
    'The one severity scale of the product. Event and user risk: LOW < 30 ≤ MEDIUM < 60 ≤ HIGH < 80 ≤ CRITICAL; alerts carry the level of their riskiest event; a user’s level is never below their unresolved alert’s or their verdict’s.',
  values: {
    LOW: { value: 'low', description: LEVEL_MEANINGS.low },
    MEDIUM: { value: 'medium', description: LEVEL_MEANINGS.medium },
    HIGH: { value: 'high', description: LEVEL_MEANINGS.high },
    CRITICAL: { value: 'critical', description: LEVEL_MEANINGS.critical },
  } as const,
});

const RiskLevelInfo = builder.objectRef<{ level: Level; floor: number; meaning: string }>('RiskLevelInfo').implement({
  description: 'One level of the severity scale: where it starts on 0–100 and what it means.',
  fields: (t) => ({
    level: t.field({ type: RiskLevel, resolve: (info) => info.level }),
    floor: t.exposeInt('floor', { description: 'The lowest risk score of this level.' }),
    meaning: t.exposeString('meaning'),
  }),
});

builder.queryField('riskLevels', (t) =>
  t.field({
    type: [RiskLevelInfo],
    description: 'The severity scale, lowest first, for legends.',
    resolve: () =>
      [...LEVEL_FLOORS].reverse().map(([level, floor]) => ({ level, floor, meaning: LEVEL_MEANINGS[level] })),
  }),
);

export const RiskSignalRef = builder.objectRef<Signal>('RiskSignal').implement({
  description: 'One reason the v2 model found an event risky, with what it saw.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description:
        'new_device, new_browser, new_os, new_subnet, new_asn, new_country, new_device_on_new_network, impossible_travel, anonymous_network, sensitive_action, shared_account, taken_over_account, burst, session_sharing, unusual_hour, failed_logins, credential_stuffing.',
    }),
    score: t.exposeFloat('score', { description: "This signal's contribution, 0–1, before combining." }),
    message: t.exposeString('message'),
    evidence: t.field({ type: 'JSONObject', resolve: (signal) => signal.evidence }),
  }),
});

interface EventRiskShape {
  score: number;
  signals: Signal[];
  scored: boolean;
}

export const EventRiskRef = builder.objectRef<EventRiskShape>('EventRisk').implement({
  description:
    'The v2 risk of one event, scored at ingest against the user’s history before it: signals combine as 1 − Π(1 − score), on 0–100.',
  fields: (t) => ({
    score: t.exposeInt('score'),
    level: t.field({ type: RiskLevel, resolve: (risk) => riskLevel(risk.score) as Level }),
    scored: t.exposeBoolean('scored', {
      description: 'False for events stored before v2 scoring existed (their score reads 0).',
    }),
    signals: t.field({ type: [RiskSignalRef], description: 'Strongest first.', resolve: (risk) => risk.signals }),
  }),
});

export function eventRisk(event: { risk: number; signals: string | null }): EventRiskShape {
  return { score: event.risk, signals: parseSignals(event.signals), scored: event.signals !== null };
}
