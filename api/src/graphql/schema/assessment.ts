import { type RiskLevel as Level, riskLevel } from '../../domain/risk/score.ts';
import type { Signal } from '../../domain/risk/signals.ts';
import { builder } from '../builder.ts';

/** Stored signal JSON (Event.signals, Alert.signals) back to signals; null text means "not scored by v2". */
export function parseSignals(text: string | null): Signal[] {
  return text === null ? [] : (JSON.parse(text) as Signal[]);
}

export const RiskLevel = builder.enumType('RiskLevel', {
  description: 'v2 risk bands: LOW < 30 ≤ MEDIUM < 60 ≤ HIGH < 80 ≤ CRITICAL.',
  values: {
    LOW: { value: 'low' },
    MEDIUM: { value: 'medium' },
    HIGH: { value: 'high' },
    CRITICAL: { value: 'critical' },
  } as const,
});

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
