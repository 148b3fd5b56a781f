import type { RiskLevel } from './score.ts';
import type { Signal } from './signals.ts';

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

/** An alert as the exports need it; times are epoch ms. */
export interface AlertRecord {
  id: number;
  userId: string;
  status: AlertStatus;
  score: number;
  level: RiskLevel;
  /** Strongest first. */
  signals: Signal[];
  firstEventId: number;
  lastEventId: number;
  firstAt: number;
  lastAt: number;
  events: number;
  createdAt: number;
  updatedAt: number;
}

const PRODUCT = 'Persona Drift';
const RULESET = 'persona-drift-risk-v2';
const iso = (ms: number) => new Date(ms).toISOString();

function title(alert: AlertRecord): string {
  return `Persona drift: ${alert.level} risk for user ${alert.userId}`;
}

function summary(alert: AlertRecord): string {
  return alert.signals.map((signal) => signal.message).join('; ') || 'risk above the alert threshold';
}

/** The strongest signal names the rule (a SIEM groups alerts by rule). */
function rule(alert: AlertRecord): { id: string; name: string } {
  const top = alert.signals[0]?.name ?? 'risk_threshold';
  return { id: `${RULESET}/${top}`, name: top };
}

/** Elastic Common Schema document: `event.kind: alert`, `user.risk.*`, `rule.*`. */
export function toEcs(alert: AlertRecord, version: string): Record<string, unknown> {
  const { id, name } = rule(alert);
  return {
    '@timestamp': iso(alert.lastAt),
    ecs: { version: '8.11.0' },
    message: `${title(alert)}: ${summary(alert)}`,
    event: {
      kind: 'alert',
      category: ['authentication', 'iam'],
      type: ['info'],
      id: String(alert.id),
      dataset: 'persona_drift.alert',
      provider: 'persona-drift',
      module: 'persona_drift',
      created: iso(alert.createdAt),
      start: iso(alert.firstAt),
      end: iso(alert.lastAt),
      risk_score: alert.score,
      risk_score_norm: alert.score,
      severity: alert.score,
      reason: summary(alert),
    },
    user: {
      id: alert.userId,
      name: alert.userId,
      risk: { calculated_score: alert.score, calculated_score_norm: alert.score, calculated_level: alert.level },
    },
    rule: { id, name, ruleset: RULESET, category: 'Account behaviour', description: summary(alert) },
    observer: { product: PRODUCT, vendor: PRODUCT, version },
    labels: { status: alert.status },
    persona_drift: {
      alert: {
        id: alert.id,
        status: alert.status,
        events: alert.events,
        first_event_id: alert.firstEventId,
        last_event_id: alert.lastEventId,
        signals: alert.signals,
      },
    },
  };
}

const OCSF_SEVERITY: Record<RiskLevel, [number, string]> = {
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};
const OCSF_RISK_LEVEL: Record<RiskLevel, number> = { low: 1, medium: 2, high: 3, critical: 4 };
const OCSF_STATUS: Record<AlertStatus, [number, string]> = {
  open: [1, 'New'],
  acknowledged: [2, 'In Progress'],
  resolved: [4, 'Resolved'],
};

/** OCSF 1.3 Detection Finding (class 2004). */
export function toOcsf(alert: AlertRecord, version: string): Record<string, unknown> {
  const [activityId, activityName] =
    alert.status === 'resolved' ? [3, 'Close'] : alert.events > 1 ? [2, 'Update'] : [1, 'Create'];
  const [severityId, severity] = OCSF_SEVERITY[alert.level];
  const [statusId, status] = OCSF_STATUS[alert.status];
  const level = alert.level[0]?.toUpperCase() + alert.level.slice(1);
  return {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: activityId,
    activity_name: activityName,
    type_uid: 2004 * 100 + activityId,
    type_name: `Detection Finding: ${activityName}`,
    severity_id: severityId,
    severity,
    status_id: statusId,
    status,
    time: alert.lastAt,
    message: `${title(alert)}: ${summary(alert)}`,
    risk_score: alert.score,
    risk_level: level,
    risk_level_id: OCSF_RISK_LEVEL[alert.level],
    metadata: {
      version: '1.3.0',
      uid: String(alert.id),
      product: { name: PRODUCT, vendor_name: PRODUCT, version },
    },
    finding_info: {
      uid: String(alert.id),
      title: title(alert),
      desc: summary(alert),
      types: alert.signals.map((signal) => signal.name),
      created_time: alert.createdAt,
      modified_time: alert.updatedAt,
      first_seen_time: alert.firstAt,
      last_seen_time: alert.lastAt,
      analytic: { uid: rule(alert).id, name: RULESET, type_id: 1, type: 'Rule' },
    },
    resources: [{ type: 'User', uid: alert.userId, name: alert.userId }],
    evidences: alert.signals.map((signal) => ({ data: { ...signal } })),
    unmapped: { events: alert.events, first_event_id: alert.firstEventId, last_event_id: alert.lastEventId },
  };
}

// CEF escaping: the header escapes `\` and `|`; extension values escape `\`,
// `=` and line breaks. Control characters never reach a syslog line raw.
const cefHeader = (text: string) =>
  text
    .replace(/[\\|]/g, (c) => `\\${c}`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
const cefValue = (text: string) =>
  text
    .replace(/[\\=]/g, (c) => `\\${c}`)
    .replace(/\r?\n|\r/g, '\\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/[\u0000-\u001f\u007f]/g, ' ');

/** One ArcSight CEF line (no syslog prefix). Severity 0–10 from the 0–100 score. */
export function toCef(alert: AlertRecord, version: string): string {
  const { id, name } = rule(alert);
  const extensions: Array<[string, string | number]> = [
    ['rt', alert.lastAt],
    ['start', alert.firstAt],
    ['end', alert.lastAt],
    ['suser', alert.userId],
    ['externalId', alert.id],
    ['cat', 'persona-drift/alert'],
    ['msg', summary(alert)],
    ['cn1Label', 'riskScore'],
    ['cn1', alert.score],
    ['cs1Label', 'riskLevel'],
    ['cs1', alert.level],
    ['cs2Label', 'status'],
    ['cs2', alert.status],
    ['cs3Label', 'signals'],
    ['cs3', alert.signals.map((signal) => signal.name).join(',')],
    ['cn2Label', 'events'],
    ['cn2', alert.events],
  ];
  const header = [
    'CEF:0',
    PRODUCT,
    PRODUCT,
    version,
    id,
    `${title(alert)} (${name})`,
    String(Math.min(10, Math.round(alert.score / 10))),
  ].map((part, index) => (index === 0 ? part : cefHeader(part)));
  return `${header.join('|')}|${extensions.map(([key, value]) => `${key}=${cefValue(String(value))}`).join(' ')}`;
}
