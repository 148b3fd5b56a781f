import type { RiskLevel } from './score.ts';
import type { Signal } from './signals.ts';

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

/**
 * Where an alert's last event came from: the address, client and place a
 * SIEM's correlation rules join on. The place and network are what the risk
 * model observed (docs/risk-model.md, Network types and places).
 */
export interface AlertSource {
  ip: string | null;
  userAgent: string | null;
  /** The event's reported outcome; null when the producer sent none. */
  outcome: 'success' | 'failure' | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  city: string | null;
  /** Set only for a place known to a city (the producer's coordinates or the address database's), never a country's centre. */
  location: { lat: number; lon: number } | null;
  asn: number | null;
  asnOrganization: string | null;
}

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
  /** Where the last event came from; absent when not read, null when that event is gone (retention, deletion). */
  source?: AlertSource | null;
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

/** An object without its null and undefined members, or null when none is left: exports omit what is unknown. */
function present<T extends Record<string, unknown>>(fields: T): Partial<T> | null {
  const kept = Object.entries(fields).filter(([, value]) => value != null);
  return kept.length === 0 ? null : (Object.fromEntries(kept) as Partial<T>);
}

/** ECS `source.*`, `user_agent.*`, `related.*` and `event.outcome` from the last event. */
function ecsSource(alert: AlertRecord): Record<string, unknown> {
  const source = alert.source;
  if (source == null) return { related: { user: [alert.userId] } };
  const geo = present({
    country_iso_code: source.country,
    city_name: source.city,
    location: source.location,
  });
  const as = present({
    number: source.asn,
    organization: source.asnOrganization === null ? null : { name: source.asnOrganization },
  });
  const fields: Record<string, unknown> = {
    source: present({ ip: source.ip, address: source.ip, geo, as }),
    user_agent: source.userAgent === null ? null : { original: source.userAgent },
    related: present({ ip: source.ip === null ? null : [source.ip], user: [alert.userId] }),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value != null));
}

/** Elastic Common Schema document: `event.kind: alert`, `user.risk.*`, `rule.*`, and the last event's `source.*`. */
export function toEcs(alert: AlertRecord, version: string): Record<string, unknown> {
  const { id, name } = rule(alert);
  const outcome = alert.source == null ? null : (alert.source.outcome ?? 'unknown');
  return {
    '@timestamp': iso(alert.lastAt),
    ecs: { version: '8.11.0' },
    message: `${title(alert)}: ${summary(alert)}`,
    event: {
      kind: 'alert',
      category: ['authentication', 'iam'],
      type: ['info'],
      ...(outcome === null ? {} : { outcome }),
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
    ...ecsSource(alert),
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
    // Every time in the export is UTC.
    timezone_offset: 0,
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
    evidences: [...ocsfSourceEvidence(alert), ...alert.signals.map((signal) => ({ data: { ...signal } }))],
    observables: ocsfObservables(alert),
    unmapped: {
      events: alert.events,
      first_event_id: alert.firstEventId,
      last_event_id: alert.lastEventId,
      ...(alert.source?.userAgent == null ? {} : { user_agent: alert.source.userAgent }),
      ...(alert.source?.outcome == null ? {} : { outcome: alert.source.outcome }),
    },
  };
}

/** The last event's endpoint: OCSF 1.3 findings carry it in an evidence, not at the top. */
function ocsfSourceEvidence(alert: AlertRecord): Array<Record<string, unknown>> {
  const source = alert.source;
  if (source == null) return [];
  const location = present({
    country: source.country,
    city: source.city,
    lat: source.location?.lat,
    long: source.location?.lon,
  });
  const endpoint = present({
    ip: source.ip,
    location,
    autonomous_system: present({ number: source.asn, name: source.asnOrganization }),
  });
  return [
    { user: { uid: alert.userId, name: alert.userId }, ...(endpoint === null ? {} : { src_endpoint: endpoint }) },
  ];
}

/** OCSF observables (type ids of the 1.3 dictionary): what a SIEM indexes for lookups across events. */
function ocsfObservables(alert: AlertRecord): Array<Record<string, unknown>> {
  const source = alert.source;
  const observables: Array<Record<string, unknown>> = [
    { name: 'resources.uid', type_id: 10, type: 'Resource UID', value: alert.userId },
  ];
  if (source == null) return observables;
  observables.push({ name: 'evidences.user.name', type_id: 4, type: 'User Name', value: alert.userId });
  if (source.ip !== null)
    observables.push({ name: 'evidences.src_endpoint.ip', type_id: 2, type: 'IP Address', value: source.ip });
  if (source.country !== null)
    observables.push({
      name: 'evidences.src_endpoint.location.country',
      type_id: 14,
      type: 'Country',
      value: source.country,
    });
  if (source.userAgent !== null)
    observables.push({ name: 'unmapped.user_agent', type_id: 16, type: 'HTTP User-Agent', value: source.userAgent });
  return observables;
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

/**
 * The last event's source in CEF's own keys where the spec has one (`src` is
 * IPv4 only; an IPv6 address goes to `c6a2`, by convention the source's),
 * and in labelled custom fields for the place and network it has none for.
 */
function cefSource(source: AlertSource | null | undefined): CefField[] {
  if (source == null) return [];
  const v6 = source.ip?.includes(':') === true;
  const plain: Array<[string, string | number | null | undefined]> = [
    ['src', v6 ? null : source.ip],
    ['requestClientApplication', source.userAgent],
    ['outcome', source.outcome],
    ['slat', source.location?.lat],
    ['slong', source.location?.lon],
  ];
  return [
    ...plain.filter((field): field is CefField => field[1] != null),
    ...labelled('c6a2', 'sourceIPv6Address', v6 ? source.ip : null),
    ...labelled('cs4', 'sourceCountry', source.country),
    ...labelled('cs5', 'sourceCity', source.city),
    ...labelled('cs6', 'sourceAsOrganization', source.asnOrganization),
    ...labelled('cn3', 'sourceAsn', source.asn),
  ];
}

type CefField = [string, string | number];

/** A custom field with its label, or nothing for an unknown value. */
function labelled(key: string, label: string, value: string | number | null): CefField[] {
  return value === null
    ? []
    : [
        [`${key}Label`, label],
        [key, value],
      ];
}

/** One ArcSight CEF line (no syslog prefix). Severity 0–10 from the 0–100 score. */
export function toCef(alert: AlertRecord, version: string): string {
  const { id, name } = rule(alert);
  const extensions: CefField[] = [
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
    ...cefSource(alert.source),
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
