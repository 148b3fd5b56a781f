/**
 * The legacy drift score, exactly as the original engine computed it: each rule
 * adds its weight once when it fires, the total is capped at 100, and reasons
 * are listed in rule order. The REST shim's `drift_score` and `reasons` come
 * from here unchanged.
 */

export type DriftReasonCode =
  | 'MULTIPLE_IPS'
  | 'MULTIPLE_OS'
  | 'MULTIPLE_BROWSERS'
  | 'MULTIPLE_DEVICE_TYPES'
  | 'ABRUPT_DEVICE_SWITCH';

/** What the rules look at: distinct-value counts and the two newest events' devices. */
export interface DriftFacts {
  ipClassCount: number;
  osCount: number;
  browserCount: number;
  deviceCount: number;
  latestDevice: string | null;
  previousDevice: string | null;
}

export interface DriftReason {
  code: DriftReasonCode;
  /** The original engine's reason string. */
  label: string;
  weight: number;
}

export interface Drift {
  score: number;
  reasons: DriftReason[];
}

interface Rule extends DriftReason {
  fires(facts: DriftFacts): boolean;
}

export const MAX_DRIFT_SCORE = 100;

export const LEGACY_RULES: readonly Rule[] = [
  { code: 'MULTIPLE_IPS', label: 'Multiple IPs', weight: 20, fires: (f) => f.ipClassCount > 1 },
  { code: 'MULTIPLE_OS', label: 'Multiple OS', weight: 5, fires: (f) => f.osCount > 1 },
  { code: 'MULTIPLE_BROWSERS', label: 'Multiple Browsers', weight: 5, fires: (f) => f.browserCount > 1 },
  { code: 'MULTIPLE_DEVICE_TYPES', label: 'Multiple Device Types', weight: 5, fires: (f) => f.deviceCount > 1 },
  {
    code: 'ABRUPT_DEVICE_SWITCH',
    label: 'Abrupt Device Switch',
    weight: 10,
    // Only two events that both name a device can show a switch.
    fires: (f) => f.latestDevice !== null && f.previousDevice !== null && f.latestDevice !== f.previousDevice,
  },
];

export function legacyDrift(facts: DriftFacts): Drift {
  const reasons = LEGACY_RULES.filter((rule) => rule.fires(facts)).map(({ code, label, weight }) => ({
    code,
    label,
    weight,
  }));
  const total = reasons.reduce((sum, reason) => sum + reason.weight, 0);
  return { score: Math.min(MAX_DRIFT_SCORE, total), reasons };
}

/** The values behind each reason, most frequent first, for an analyst to judge it. */
export interface DriftEvidence {
  ipClasses: string[];
  os: string[];
  browsers: string[];
  devices: string[];
}

export interface ExplainedReason extends DriftReason {
  evidence: string[];
}

/** Attaches evidence to each fired reason: the distinct values seen, or the device pair of a switch. */
export function explainDrift(drift: Drift, facts: DriftFacts, evidence: DriftEvidence): ExplainedReason[] {
  const byCode: Record<DriftReasonCode, string[]> = {
    MULTIPLE_IPS: evidence.ipClasses,
    MULTIPLE_OS: evidence.os,
    MULTIPLE_BROWSERS: evidence.browsers,
    MULTIPLE_DEVICE_TYPES: evidence.devices,
    ABRUPT_DEVICE_SWITCH: [facts.previousDevice, facts.latestDevice].filter((d): d is string => d !== null),
  };
  // Fields named, not spread: V8 promotes these spread clones to the old
  // generation, and the major collections that follow slow every read.
  return drift.reasons.map(({ code, label, weight }) => ({ code, label, weight, evidence: byCode[code] }));
}
