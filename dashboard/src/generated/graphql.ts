/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import gql from 'graphql-tag';
import * as Urql from '@urql/next';
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type AdjustmentSource =
  /** An alert marked a false positive. */
  | 'FALSE_POSITIVE'
  /** A trust entry (`trustForUser`). */
  | 'TRUST';

export type AlertOrder =
  /** Highest score first, then newest. Its cursors are alert ids: an alert whose score rises mid-walk (a new risky event) may be met again or missed; walk NEWEST to see each alert once. */
  | 'HIGHEST'
  /** Newest first. */
  | 'NEWEST';

export type AlertStatus =
  /** Someone is on it; new risky events still extend it. */
  | 'ACKNOWLEDGED'
  /** Raised, nobody has looked yet. */
  | 'OPEN'
  /** Closed; the next risky event opens a new alert. */
  | 'RESOLVED';

/** What an organisation allow-list entry names. */
export type AllowListKind =
  /** `AS13335` or `13335`. */
  | 'ASN'
  /** ISO 3166-1 alpha-2, e.g. `DE`. */
  | 'COUNTRY'
  /** `10.0.0.0/8`; a bare address is its /32. */
  | 'IPV4_CIDR'
  /** `2001:db8::/32`; a bare address is its /128. */
  | 'IPV6_PREFIX';

/** The legacy drift rules, in the order the original engine lists them. */
export type DriftReasonCode =
  /** Abrupt Device Switch (+10) */
  | 'ABRUPT_DEVICE_SWITCH'
  /** Multiple Browsers (+5) */
  | 'MULTIPLE_BROWSERS'
  /** Multiple Device Types (+5) */
  | 'MULTIPLE_DEVICE_TYPES'
  /** Multiple IPs (+20) */
  | 'MULTIPLE_IPS'
  /** Multiple OS (+5) */
  | 'MULTIPLE_OS';

export type IncidentKind =
  /** One credential-stuffing source reaching many accounts. */
  | 'STUFFING';

/** The kind of network an address is on, from the producer's `meta.network_type` or the bundled lists (docs/risk-model.md). */
export type NetworkType =
  /** A network serving organisations only (corporate, research, university). */
  | 'BUSINESS'
  /** A datacenter, cloud or hoster: a server's address, not a person's. */
  | 'HOSTING'
  /** A fixed-line access network, or one no list classifies: homes and offices alike. */
  | 'ISP'
  /** A mobile carrier: the address is its gateway's, often far from the user. */
  | 'MOBILE'
  /** A Tor exit relay. */
  | 'TOR'
  /** A public address no database knows. */
  | 'UNKNOWN'
  /** A VPN provider: the address says where its exit server is, not the user. */
  | 'VPN';

/** What sets a user’s risk level. */
export type RiskBasis =
  /** An unresolved (open or acknowledged) alert of that level. */
  | 'OPEN_ALERT'
  /** The current risk score’s band. */
  | 'SCORE'
  /** The verdict: takeover is critical, stuffing high, sharing medium. */
  | 'VERDICT';

/** The one severity scale of the product. Event and user risk: LOW < 30 ≤ MEDIUM < 60 ≤ HIGH < 80 ≤ CRITICAL; alerts carry the level of their riskiest event; a user’s level is never below their unresolved alert’s or their verdict’s. */
export type RiskLevel =
  /** Act now: the account looks taken over (intruder signals with sensitive actions, impossible travel, an anonymous network new to it). A takeover verdict is critical. */
  | 'CRITICAL'
  /** Likely not the owner: strong signals together, at or above the default alert threshold (60). A stuffing verdict is high. */
  | 'HIGH'
  /** Ordinary activity for this account, or too little of it to judge. */
  | 'LOW'
  /** Something new or unusual (a new device, network or place) that an owner often explains; worth a look in context. A sharing verdict is medium. */
  | 'MEDIUM';

/** What an API key may do. */
export type Role =
  /** Everything, including keys, the audit log and deleting data. */
  | 'ADMIN'
  /** Read everything and triage alerts. */
  | 'ANALYST'
  /** Ingest events only. */
  | 'PRODUCER';

/** What a user’s trust entry names. */
export type TrustKind =
  /** A client token as events carry it: a device (`laptop/windows`, the default), `browser:chrome` or `os:ios`. */
  | 'DEVICE'
  /** An IPv4 CIDR, an IPv6 prefix or an ASN (`AS13335` or `13335`). */
  | 'NETWORK';

export type UpdateAlertInput = {
  /** True takes the alert for the calling key; false leaves it unassigned, whoever had it; absent leaves it as it is. */
  assignToMe?: boolean | null | undefined;
  /** The analyst's note (at most 4000 characters); null or blank clears it, absent leaves it. */
  note?: string | null | undefined;
};

/** What the account as a whole looks like (see docs/risk-model.md, Verdicts). */
export type VerdictKind =
  /** Two personas, on different devices and in different places or on two home lines, recurring side by side over days: two people on one account. */
  | 'SHARING'
  /** A login succeeded from a source failing across many accounts (credential stuffing), on a network new to the account. */
  | 'STUFFING'
  /** Someone new to a mature account acting like an intruder: sensitive actions right after first appearing, an anonymous network on an account that never used one, the owner active far away at the same time, or the owner gone quiet since. */
  | 'TAKEOVER';

export type AdminPage_AccessQueryVariables = Exact<{ [key: string]: never; }>;


export type AdminPage_AccessQuery = { apiKeys: Array<{ id: string, prefix: string, role: Role, name: string | null, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }>, auditLog: Array<{ id: string, at: string, actor: string, action: string, target: string, details: Record<string, unknown> | null }> };

export type AdminPage_CreateKeyMutationVariables = Exact<{
  role: Role;
  name?: string | null | undefined;
}>;


export type AdminPage_CreateKeyMutation = { createApiKey: { key: string, apiKey: { id: string, prefix: string, role: Role } } };

export type AdminPage_RevokeKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type AdminPage_RevokeKeyMutation = { revokeApiKey: { id: string, revokedAt: string | null } };

export type AlertCard_AlertFragment = { id: string, status: AlertStatus, score: number, level: RiskLevel, events: number, firstAt: string, lastAt: string, note: string | null, assignee: string | null, falsePositive: { id: string, reason: string, active: boolean } | null, user: { id: string, verdict: { kind: VerdictKind, confidence: number } | null }, signals: Array<{ name: string, message: string, score: number, evidence: Record<string, unknown> }>, lastEvent: { id: string, timestamp: string, kind: string, browser: string | null, os: string | null, device: string | null, ip: string | null, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null } } | null };

export type AlertCard_SetStatusMutationVariables = Exact<{
  id: string | number;
  status: AlertStatus;
}>;


export type AlertCard_SetStatusMutation = { setAlertStatus: { id: string, status: AlertStatus, score: number, level: RiskLevel, events: number, firstAt: string, lastAt: string, note: string | null, assignee: string | null, falsePositive: { id: string, reason: string, active: boolean } | null, user: { id: string, verdict: { kind: VerdictKind, confidence: number } | null }, signals: Array<{ name: string, message: string, score: number, evidence: Record<string, unknown> }>, lastEvent: { id: string, timestamp: string, kind: string, browser: string | null, os: string | null, device: string | null, ip: string | null, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null } } | null } };

export type AlertCard_UpdateMutationVariables = Exact<{
  id: string | number;
  input: UpdateAlertInput;
}>;


export type AlertCard_UpdateMutation = { updateAlert: { id: string, status: AlertStatus, score: number, level: RiskLevel, events: number, firstAt: string, lastAt: string, note: string | null, assignee: string | null, falsePositive: { id: string, reason: string, active: boolean } | null, user: { id: string, verdict: { kind: VerdictKind, confidence: number } | null }, signals: Array<{ name: string, message: string, score: number, evidence: Record<string, unknown> }>, lastEvent: { id: string, timestamp: string, kind: string, browser: string | null, os: string | null, device: string | null, ip: string | null, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null } } | null } };

export type AlertCard_MarkFalsePositiveMutationVariables = Exact<{
  alertId: string | number;
  reason: string;
}>;


export type AlertCard_MarkFalsePositiveMutation = { markAlertFalsePositive: { id: string, alertId: string, userId: string, reason: string, until: string, active: boolean, undoneAt: string | null, lowers: Array<{ signal: string, match: string, factor: number }> } };

export type AlertCard_UndoFalsePositiveMutationVariables = Exact<{
  id: string | number;
}>;


export type AlertCard_UndoFalsePositiveMutation = { undoFalsePositive: { id: string, alertId: string, userId: string, reason: string, until: string, active: boolean, undoneAt: string | null, lowers: Array<{ signal: string, match: string, factor: number }> } };

export type AlertCard_FalsePositiveFragment = { id: string, alertId: string, userId: string, reason: string, until: string, active: boolean, undoneAt: string | null, lowers: Array<{ signal: string, match: string, factor: number }> };

export type AlertsPage_AlertsQueryVariables = Exact<{
  status?: Array<AlertStatus> | AlertStatus | null | undefined;
  level?: Array<RiskLevel> | RiskLevel | null | undefined;
  verdict?: Array<VerdictKind> | VerdictKind | null | undefined;
  userId?: string | number | null | undefined;
  orderBy?: AlertOrder | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type AlertsPage_AlertsQuery = { alerts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: AlertStatus, score: number, level: RiskLevel, events: number, firstAt: string, lastAt: string, note: string | null, assignee: string | null, falsePositive: { id: string, reason: string, active: boolean } | null, user: { id: string, verdict: { kind: VerdictKind, confidence: number } | null }, signals: Array<{ name: string, message: string, score: number, evidence: Record<string, unknown> }>, lastEvent: { id: string, timestamp: string, kind: string, browser: string | null, os: string | null, device: string | null, ip: string | null, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null } } | null }> } };

export type AlertsPage_IncidentsQueryVariables = Exact<{
  status?: Array<AlertStatus> | AlertStatus | null | undefined;
}>;


export type AlertsPage_IncidentsQuery = { incidents: Array<{ id: string, kind: IncidentKind, source: string, level: RiskLevel, accounts: number, firstAt: string, lastAt: string, users: Array<{ id: string }>, alerts: Array<{ id: string }> }> };

export type AlertsPage_SetStatusesMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
  status: AlertStatus;
}>;


export type AlertsPage_SetStatusesMutation = { setAlertsStatus: Array<{ id: string, status: AlertStatus }> };

export type AlertsPage_AlertChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AlertsPage_AlertChangedSubscription = { alertChanged: { id: string, status: AlertStatus, level: RiskLevel } };

export type AlertsPanel_AlertsQueryVariables = Exact<{
  userId?: string | number | null | undefined;
  first: number;
}>;


export type AlertsPanel_AlertsQuery = { alerts: { totalCount: number, nodes: Array<{ id: string, status: AlertStatus, score: number, level: RiskLevel, events: number, firstAt: string, lastAt: string, note: string | null, assignee: string | null, falsePositive: { id: string, reason: string, active: boolean } | null, user: { id: string, verdict: { kind: VerdictKind, confidence: number } | null }, signals: Array<{ name: string, message: string, score: number, evidence: Record<string, unknown> }>, lastEvent: { id: string, timestamp: string, kind: string, browser: string | null, os: string | null, device: string | null, ip: string | null, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null } } | null }> } };

export type AlertsPanel_IncidentsQueryVariables = Exact<{ [key: string]: never; }>;


export type AlertsPanel_IncidentsQuery = { incidents: Array<{ id: string, kind: IncidentKind, source: string, level: RiskLevel, accounts: number, firstAt: string, lastAt: string, users: Array<{ id: string }>, alerts: Array<{ id: string }> }> };

export type AlertsPanel_AlertChangedSubscriptionVariables = Exact<{
  userId?: string | number | null | undefined;
}>;


export type AlertsPanel_AlertChangedSubscription = { alertChanged: { id: string, status: AlertStatus } };

export type AllowList_EntriesQueryVariables = Exact<{
  includeInactive: boolean;
}>;


export type AllowList_EntriesQuery = { allowList: Array<{ id: string, kind: AllowListKind, value: string, reason: string, createdAt: string, createdBy: string, expiresAt: string, active: boolean, removedAt: string | null, removedBy: string | null, lowers: Array<string> }> };

export type AllowList_CreateMutationVariables = Exact<{
  kind: AllowListKind;
  value: string;
  reason: string;
  expiresAt?: string | null | undefined;
}>;


export type AllowList_CreateMutation = { createAllowListEntry: { id: string, value: string } };

export type AllowList_RemoveMutationVariables = Exact<{
  id: string | number;
}>;


export type AllowList_RemoveMutation = { removeAllowListEntry: { id: string, active: boolean } };

export type DeviceMix_TokenCountFragment = { dimension: string, value: string, count: number };

export type IncidentCard_IncidentFragment = { id: string, kind: IncidentKind, source: string, level: RiskLevel, accounts: number, firstAt: string, lastAt: string, users: Array<{ id: string }>, alerts: Array<{ id: string }> };

export type LiveFeed_EventIngestedSubscriptionVariables = Exact<{
  userId?: string | number | null | undefined;
}>;


export type LiveFeed_EventIngestedSubscription = { eventIngested: { id: string, kind: string, timestamp: string, browser: string | null, os: string | null, ip: string | null, device: string | null, driftScore: number, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null }, user: { id: string } } };

export type LiveFeed_EventFragment = { id: string, kind: string, timestamp: string, browser: string | null, os: string | null, ip: string | null, device: string | null, driftScore: number, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null }, user: { id: string } };

export type NetworkBadge_EventNetworkFragment = { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null };

export type OverviewPage_UsersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type OverviewPage_UsersQuery = { overview: { users: number, events: number, driftingUsers: number, averageDriftScore: number, lastEventAt: string | null }, users: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, eventCount: number, lastSeen: string, drift: { score: number }, risk: { score: number, level: RiskLevel, basis: RiskBasis }, verdict: { kind: VerdictKind, confidence: number } | null, openAlerts: Array<{ id: string }>, latestEvent: { id: string, browser: string | null, os: string | null, device: string | null, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null } } | null }> } };

export type RiskCharts_RiskDayFragment = { day: string, events: number, maxDriftScore: number | null, maxRisk: number | null, factors: Array<{ code: DriftReasonCode, count: number }> };

export type SeverityLegend_LevelsQueryVariables = Exact<{ [key: string]: never; }>;


export type SeverityLegend_LevelsQuery = { riskLevels: Array<{ level: RiskLevel, floor: number, meaning: string }> };

export type Timeline_EventsQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  kind?: string | null | undefined;
}>;


export type Timeline_EventsQuery = { user: { id: string, events: { pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, kind: string, timestamp: string, browser: string | null, os: string | null, ip: string | null, ipClass: string | null, device: string | null, driftScore: number, factors: Array<DriftReasonCode>, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null }, risk: { score: number, level: RiskLevel, scored: boolean, signals: Array<{ name: string, message: string, score: number, evidence: Record<string, unknown> }> } }> } } | null };

export type Timeline_EventFragment = { id: string, kind: string, timestamp: string, browser: string | null, os: string | null, ip: string | null, ipClass: string | null, device: string | null, driftScore: number, factors: Array<DriftReasonCode>, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null }, risk: { score: number, level: RiskLevel, scored: boolean, signals: Array<{ name: string, message: string, score: number, evidence: Record<string, unknown> }> } };

export type UserActions_UserQueryVariables = Exact<{
  id: string | number;
  includeInactive: boolean;
}>;


export type UserActions_UserQuery = { user: { id: string, latestEvent: { id: string, ip: string | null, ipClass: string | null, device: string | null, browser: string | null, os: string | null, network: { asn: number | null, asnOrganization: string | null } } | null, adjustments: Array<{ source: AdjustmentSource, id: string, until: string, lowers: Array<{ signal: string, match: string, factor: number }> }>, trustEntries: Array<{ id: string, kind: TrustKind, value: string, reason: string, createdAt: string, createdBy: string, expiresAt: string, active: boolean, removedAt: string | null, removedBy: string | null, lowers: Array<string> }>, falsePositives: Array<{ id: string, alertId: string, reason: string, createdAt: string, createdBy: string, until: string, active: boolean, undoneAt: string | null, undoneBy: string | null, lowers: Array<{ signal: string, match: string, factor: number }> }> } | null };

export type UserActions_TrustMutationVariables = Exact<{
  userId: string | number;
  kind: TrustKind;
  value: string;
  reason: string;
  expiresAt?: string | null | undefined;
}>;


export type UserActions_TrustMutation = { trustForUser: { id: string, value: string, expiresAt: string } };

export type UserActions_RemoveTrustMutationVariables = Exact<{
  id: string | number;
}>;


export type UserActions_RemoveTrustMutation = { removeTrust: { id: string, active: boolean } };

export type UserActions_UndoFalsePositiveMutationVariables = Exact<{
  id: string | number;
}>;


export type UserActions_UndoFalsePositiveMutation = { undoFalsePositive: { id: string, active: boolean } };

export type UserPage_UserQueryVariables = Exact<{
  id: string | number;
  days: number;
}>;


export type UserPage_UserQuery = { user: { id: string, eventCount: number, firstSeen: string, lastSeen: string, distinct: { browsers: number, os: number, devices: number, ipClasses: number }, risk: { score: number, level: RiskLevel, basis: RiskBasis, peak: number, updatedAt: string | null }, verdict: { kind: VerdictKind, confidence: number, since: string, evidence: Array<{ message: string, values: Record<string, unknown> }> } | null, drift: { score: number, reasons: Array<{ code: DriftReasonCode, label: string, weight: number, evidence: Array<string> }> }, fingerprint: { hash: string, stability: number, tokens: Array<string>, latestTokens: Array<string> }, latestEvent: { id: string, kind: string, timestamp: string, browser: string | null, os: string | null, ip: string | null, device: string | null, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null } } | null, riskByDay: Array<{ day: string, events: number, maxDriftScore: number | null, maxRisk: number | null, factors: Array<{ code: DriftReasonCode, count: number }> }>, tokens: Array<{ dimension: string, value: string, count: number }> } | null };

export type UserRow_UserFragment = { id: string, eventCount: number, lastSeen: string, drift: { score: number }, risk: { score: number, level: RiskLevel, basis: RiskBasis }, verdict: { kind: VerdictKind, confidence: number } | null, openAlerts: Array<{ id: string }>, latestEvent: { id: string, browser: string | null, os: string | null, device: string | null, network: { type: NetworkType | null, asn: number | null, asnOrganization: string | null, country: string | null, city: string | null, radiusKm: number | null } } | null };

export type VerdictBadge_VerdictFragment = { kind: VerdictKind, confidence: number };

export type VerdictPanel_VerdictFragment = { kind: VerdictKind, confidence: number, since: string, evidence: Array<{ message: string, values: Record<string, unknown> }> };

export const AlertCard_AlertFragmentDoc = gql`
    fragment AlertCard_Alert on Alert {
  id
  status
  score
  level
  events
  firstAt
  lastAt
  note
  assignee
  falsePositive {
    id
    reason
    active
  }
  user {
    id
    verdict {
      kind
      confidence
    }
  }
  signals {
    name
    message
    score
    evidence
  }
  lastEvent {
    id
    timestamp
    kind
    browser
    os
    device
    ip
    network {
      type
      asn
      asnOrganization
      country
      city
      radiusKm
    }
  }
}
    `;
export const AlertCard_FalsePositiveFragmentDoc = gql`
    fragment AlertCard_FalsePositive on FalsePositive {
  id
  alertId
  userId
  reason
  until
  active
  undoneAt
  lowers {
    signal
    match
    factor
  }
}
    `;
export const DeviceMix_TokenCountFragmentDoc = gql`
    fragment DeviceMix_TokenCount on TokenCount {
  dimension
  value
  count
}
    `;
export const IncidentCard_IncidentFragmentDoc = gql`
    fragment IncidentCard_Incident on Incident {
  id
  kind
  source
  level
  accounts
  firstAt
  lastAt
  users {
    id
  }
  alerts {
    id
  }
}
    `;
export const LiveFeed_EventFragmentDoc = gql`
    fragment LiveFeed_Event on Event {
  id
  kind
  timestamp
  browser
  os
  ip
  device
  driftScore
  network {
    type
    asn
    asnOrganization
    country
    city
    radiusKm
  }
  user {
    id
  }
}
    `;
export const NetworkBadge_EventNetworkFragmentDoc = gql`
    fragment NetworkBadge_EventNetwork on EventNetwork {
  type
  asn
  asnOrganization
  country
  city
  radiusKm
}
    `;
export const RiskCharts_RiskDayFragmentDoc = gql`
    fragment RiskCharts_RiskDay on RiskDay {
  day
  events
  maxDriftScore
  maxRisk
  factors {
    code
    count
  }
}
    `;
export const Timeline_EventFragmentDoc = gql`
    fragment Timeline_Event on Event {
  id
  kind
  timestamp
  browser
  os
  ip
  ipClass
  device
  driftScore
  factors
  network {
    type
    asn
    asnOrganization
    country
    city
    radiusKm
  }
  risk {
    score
    level
    scored
    signals {
      name
      message
      score
      evidence
    }
  }
}
    `;
export const VerdictBadge_VerdictFragmentDoc = gql`
    fragment VerdictBadge_Verdict on Verdict {
  kind
  confidence
}
    `;
export const UserRow_UserFragmentDoc = gql`
    fragment UserRow_User on User {
  id
  eventCount
  lastSeen
  drift {
    score
  }
  risk {
    score
    level
    basis
  }
  verdict {
    ...VerdictBadge_Verdict
  }
  openAlerts {
    id
  }
  latestEvent {
    id
    browser
    os
    device
    network {
      type
      asn
      asnOrganization
      country
      city
      radiusKm
    }
  }
}
    ${VerdictBadge_VerdictFragmentDoc}`;
export const VerdictPanel_VerdictFragmentDoc = gql`
    fragment VerdictPanel_Verdict on Verdict {
  kind
  confidence
  since
  evidence {
    message
    values
  }
}
    `;
export const AdminPage_AccessDocument = gql`
    query AdminPage_Access {
  apiKeys {
    id
    prefix
    role
    name
    createdAt
    lastUsedAt
    revokedAt
  }
  auditLog(first: 50) {
    id
    at
    actor
    action
    target
    details
  }
}
    `;

export function useAdminPage_AccessQuery(options?: Omit<Urql.UseQueryArgs<AdminPage_AccessQueryVariables>, 'query'>) {
  return Urql.useQuery<AdminPage_AccessQuery, AdminPage_AccessQueryVariables>({ query: AdminPage_AccessDocument, ...options });
};
export const AdminPage_CreateKeyDocument = gql`
    mutation AdminPage_CreateKey($role: Role!, $name: String) {
  createApiKey(role: $role, name: $name) {
    key
    apiKey {
      id
      prefix
      role
    }
  }
}
    `;

export function useAdminPage_CreateKeyMutation() {
  return Urql.useMutation<AdminPage_CreateKeyMutation, AdminPage_CreateKeyMutationVariables>(AdminPage_CreateKeyDocument);
};
export const AdminPage_RevokeKeyDocument = gql`
    mutation AdminPage_RevokeKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    revokedAt
  }
}
    `;

export function useAdminPage_RevokeKeyMutation() {
  return Urql.useMutation<AdminPage_RevokeKeyMutation, AdminPage_RevokeKeyMutationVariables>(AdminPage_RevokeKeyDocument);
};
export const AlertCard_SetStatusDocument = gql`
    mutation AlertCard_SetStatus($id: ID!, $status: AlertStatus!) {
  setAlertStatus(id: $id, status: $status) {
    ...AlertCard_Alert
  }
}
    ${AlertCard_AlertFragmentDoc}`;

export function useAlertCard_SetStatusMutation() {
  return Urql.useMutation<AlertCard_SetStatusMutation, AlertCard_SetStatusMutationVariables>(AlertCard_SetStatusDocument);
};
export const AlertCard_UpdateDocument = gql`
    mutation AlertCard_Update($id: ID!, $input: UpdateAlertInput!) {
  updateAlert(id: $id, input: $input) {
    ...AlertCard_Alert
  }
}
    ${AlertCard_AlertFragmentDoc}`;

export function useAlertCard_UpdateMutation() {
  return Urql.useMutation<AlertCard_UpdateMutation, AlertCard_UpdateMutationVariables>(AlertCard_UpdateDocument);
};
export const AlertCard_MarkFalsePositiveDocument = gql`
    mutation AlertCard_MarkFalsePositive($alertId: ID!, $reason: String!) {
  markAlertFalsePositive(alertId: $alertId, reason: $reason) {
    ...AlertCard_FalsePositive
  }
}
    ${AlertCard_FalsePositiveFragmentDoc}`;

export function useAlertCard_MarkFalsePositiveMutation() {
  return Urql.useMutation<AlertCard_MarkFalsePositiveMutation, AlertCard_MarkFalsePositiveMutationVariables>(AlertCard_MarkFalsePositiveDocument);
};
export const AlertCard_UndoFalsePositiveDocument = gql`
    mutation AlertCard_UndoFalsePositive($id: ID!) {
  undoFalsePositive(id: $id) {
    ...AlertCard_FalsePositive
  }
}
    ${AlertCard_FalsePositiveFragmentDoc}`;

export function useAlertCard_UndoFalsePositiveMutation() {
  return Urql.useMutation<AlertCard_UndoFalsePositiveMutation, AlertCard_UndoFalsePositiveMutationVariables>(AlertCard_UndoFalsePositiveDocument);
};
export const AlertsPage_AlertsDocument = gql`
    query AlertsPage_Alerts($status: [AlertStatus!], $level: [RiskLevel!], $verdict: [VerdictKind!], $userId: ID, $orderBy: AlertOrder, $first: Int!, $after: String) {
  alerts(
    status: $status
    level: $level
    verdict: $verdict
    userId: $userId
    orderBy: $orderBy
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...AlertCard_Alert
    }
  }
}
    ${AlertCard_AlertFragmentDoc}`;

export function useAlertsPage_AlertsQuery(options: Omit<Urql.UseQueryArgs<AlertsPage_AlertsQueryVariables>, 'query'>) {
  return Urql.useQuery<AlertsPage_AlertsQuery, AlertsPage_AlertsQueryVariables>({ query: AlertsPage_AlertsDocument, ...options });
};
export const AlertsPage_IncidentsDocument = gql`
    query AlertsPage_Incidents($status: [AlertStatus!]) {
  incidents(status: $status) {
    ...IncidentCard_Incident
  }
}
    ${IncidentCard_IncidentFragmentDoc}`;

export function useAlertsPage_IncidentsQuery(options?: Omit<Urql.UseQueryArgs<AlertsPage_IncidentsQueryVariables>, 'query'>) {
  return Urql.useQuery<AlertsPage_IncidentsQuery, AlertsPage_IncidentsQueryVariables>({ query: AlertsPage_IncidentsDocument, ...options });
};
export const AlertsPage_SetStatusesDocument = gql`
    mutation AlertsPage_SetStatuses($ids: [ID!]!, $status: AlertStatus!) {
  setAlertsStatus(ids: $ids, status: $status) {
    id
    status
  }
}
    `;

export function useAlertsPage_SetStatusesMutation() {
  return Urql.useMutation<AlertsPage_SetStatusesMutation, AlertsPage_SetStatusesMutationVariables>(AlertsPage_SetStatusesDocument);
};
export const AlertsPage_AlertChangedDocument = gql`
    subscription AlertsPage_AlertChanged {
  alertChanged {
    id
    status
    level
  }
}
    `;

export function useAlertsPage_AlertChangedSubscription<TData = AlertsPage_AlertChangedSubscription>(options?: Omit<Urql.UseSubscriptionArgs<AlertsPage_AlertChangedSubscriptionVariables>, 'query'>, handler?: Urql.SubscriptionHandler<AlertsPage_AlertChangedSubscription, TData>) {
  return Urql.useSubscription<AlertsPage_AlertChangedSubscription, TData, AlertsPage_AlertChangedSubscriptionVariables>({ query: AlertsPage_AlertChangedDocument, ...options }, handler);
};
export const AlertsPanel_AlertsDocument = gql`
    query AlertsPanel_Alerts($userId: ID, $first: Int!) {
  alerts(
    status: [OPEN, ACKNOWLEDGED]
    userId: $userId
    orderBy: HIGHEST
    first: $first
  ) {
    totalCount
    nodes {
      ...AlertCard_Alert
    }
  }
}
    ${AlertCard_AlertFragmentDoc}`;

export function useAlertsPanel_AlertsQuery(options: Omit<Urql.UseQueryArgs<AlertsPanel_AlertsQueryVariables>, 'query'>) {
  return Urql.useQuery<AlertsPanel_AlertsQuery, AlertsPanel_AlertsQueryVariables>({ query: AlertsPanel_AlertsDocument, ...options });
};
export const AlertsPanel_IncidentsDocument = gql`
    query AlertsPanel_Incidents {
  incidents(status: [OPEN, ACKNOWLEDGED]) {
    ...IncidentCard_Incident
  }
}
    ${IncidentCard_IncidentFragmentDoc}`;

export function useAlertsPanel_IncidentsQuery(options?: Omit<Urql.UseQueryArgs<AlertsPanel_IncidentsQueryVariables>, 'query'>) {
  return Urql.useQuery<AlertsPanel_IncidentsQuery, AlertsPanel_IncidentsQueryVariables>({ query: AlertsPanel_IncidentsDocument, ...options });
};
export const AlertsPanel_AlertChangedDocument = gql`
    subscription AlertsPanel_AlertChanged($userId: ID) {
  alertChanged(userId: $userId) {
    id
    status
  }
}
    `;

export function useAlertsPanel_AlertChangedSubscription<TData = AlertsPanel_AlertChangedSubscription>(options?: Omit<Urql.UseSubscriptionArgs<AlertsPanel_AlertChangedSubscriptionVariables>, 'query'>, handler?: Urql.SubscriptionHandler<AlertsPanel_AlertChangedSubscription, TData>) {
  return Urql.useSubscription<AlertsPanel_AlertChangedSubscription, TData, AlertsPanel_AlertChangedSubscriptionVariables>({ query: AlertsPanel_AlertChangedDocument, ...options }, handler);
};
export const AllowList_EntriesDocument = gql`
    query AllowList_Entries($includeInactive: Boolean!) {
  allowList(includeInactive: $includeInactive) {
    id
    kind
    value
    reason
    createdAt
    createdBy
    expiresAt
    active
    removedAt
    removedBy
    lowers
  }
}
    `;

export function useAllowList_EntriesQuery(options: Omit<Urql.UseQueryArgs<AllowList_EntriesQueryVariables>, 'query'>) {
  return Urql.useQuery<AllowList_EntriesQuery, AllowList_EntriesQueryVariables>({ query: AllowList_EntriesDocument, ...options });
};
export const AllowList_CreateDocument = gql`
    mutation AllowList_Create($kind: AllowListKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {
  createAllowListEntry(
    kind: $kind
    value: $value
    reason: $reason
    expiresAt: $expiresAt
  ) {
    id
    value
  }
}
    `;

export function useAllowList_CreateMutation() {
  return Urql.useMutation<AllowList_CreateMutation, AllowList_CreateMutationVariables>(AllowList_CreateDocument);
};
export const AllowList_RemoveDocument = gql`
    mutation AllowList_Remove($id: ID!) {
  removeAllowListEntry(id: $id) {
    id
    active
  }
}
    `;

export function useAllowList_RemoveMutation() {
  return Urql.useMutation<AllowList_RemoveMutation, AllowList_RemoveMutationVariables>(AllowList_RemoveDocument);
};
export const LiveFeed_EventIngestedDocument = gql`
    subscription LiveFeed_EventIngested($userId: ID) {
  eventIngested(userId: $userId) {
    ...LiveFeed_Event
  }
}
    ${LiveFeed_EventFragmentDoc}`;

export function useLiveFeed_EventIngestedSubscription<TData = LiveFeed_EventIngestedSubscription>(options?: Omit<Urql.UseSubscriptionArgs<LiveFeed_EventIngestedSubscriptionVariables>, 'query'>, handler?: Urql.SubscriptionHandler<LiveFeed_EventIngestedSubscription, TData>) {
  return Urql.useSubscription<LiveFeed_EventIngestedSubscription, TData, LiveFeed_EventIngestedSubscriptionVariables>({ query: LiveFeed_EventIngestedDocument, ...options }, handler);
};
export const OverviewPage_UsersDocument = gql`
    query OverviewPage_Users($first: Int, $after: String, $last: Int, $before: String, $search: String) {
  overview {
    users
    events
    driftingUsers
    averageDriftScore
    lastEventAt
  }
  users(
    orderBy: RISK
    first: $first
    after: $after
    last: $last
    before: $before
    search: $search
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    nodes {
      ...UserRow_User
    }
  }
}
    ${UserRow_UserFragmentDoc}`;

export function useOverviewPage_UsersQuery(options?: Omit<Urql.UseQueryArgs<OverviewPage_UsersQueryVariables>, 'query'>) {
  return Urql.useQuery<OverviewPage_UsersQuery, OverviewPage_UsersQueryVariables>({ query: OverviewPage_UsersDocument, ...options });
};
export const SeverityLegend_LevelsDocument = gql`
    query SeverityLegend_Levels {
  riskLevels {
    level
    floor
    meaning
  }
}
    `;

export function useSeverityLegend_LevelsQuery(options?: Omit<Urql.UseQueryArgs<SeverityLegend_LevelsQueryVariables>, 'query'>) {
  return Urql.useQuery<SeverityLegend_LevelsQuery, SeverityLegend_LevelsQueryVariables>({ query: SeverityLegend_LevelsDocument, ...options });
};
export const Timeline_EventsDocument = gql`
    query Timeline_Events($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $kind: String) {
  user(id: $id) {
    id
    events(first: $first, after: $after, last: $last, before: $before, kind: $kind) {
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        ...Timeline_Event
      }
    }
  }
}
    ${Timeline_EventFragmentDoc}`;

export function useTimeline_EventsQuery(options: Omit<Urql.UseQueryArgs<Timeline_EventsQueryVariables>, 'query'>) {
  return Urql.useQuery<Timeline_EventsQuery, Timeline_EventsQueryVariables>({ query: Timeline_EventsDocument, ...options });
};
export const UserActions_UserDocument = gql`
    query UserActions_User($id: ID!, $includeInactive: Boolean!) {
  user(id: $id) {
    id
    latestEvent {
      id
      ip
      ipClass
      device
      browser
      os
      network {
        asn
        asnOrganization
      }
    }
    adjustments {
      source
      id
      until
      lowers {
        signal
        match
        factor
      }
    }
    trustEntries(includeInactive: $includeInactive) {
      id
      kind
      value
      reason
      createdAt
      createdBy
      expiresAt
      active
      removedAt
      removedBy
      lowers
    }
    falsePositives(includeInactive: $includeInactive) {
      id
      alertId
      reason
      createdAt
      createdBy
      until
      active
      undoneAt
      undoneBy
      lowers {
        signal
        match
        factor
      }
    }
  }
}
    `;

export function useUserActions_UserQuery(options: Omit<Urql.UseQueryArgs<UserActions_UserQueryVariables>, 'query'>) {
  return Urql.useQuery<UserActions_UserQuery, UserActions_UserQueryVariables>({ query: UserActions_UserDocument, ...options });
};
export const UserActions_TrustDocument = gql`
    mutation UserActions_Trust($userId: ID!, $kind: TrustKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {
  trustForUser(
    userId: $userId
    kind: $kind
    value: $value
    reason: $reason
    expiresAt: $expiresAt
  ) {
    id
    value
    expiresAt
  }
}
    `;

export function useUserActions_TrustMutation() {
  return Urql.useMutation<UserActions_TrustMutation, UserActions_TrustMutationVariables>(UserActions_TrustDocument);
};
export const UserActions_RemoveTrustDocument = gql`
    mutation UserActions_RemoveTrust($id: ID!) {
  removeTrust(id: $id) {
    id
    active
  }
}
    `;

export function useUserActions_RemoveTrustMutation() {
  return Urql.useMutation<UserActions_RemoveTrustMutation, UserActions_RemoveTrustMutationVariables>(UserActions_RemoveTrustDocument);
};
export const UserActions_UndoFalsePositiveDocument = gql`
    mutation UserActions_UndoFalsePositive($id: ID!) {
  undoFalsePositive(id: $id) {
    id
    active
  }
}
    `;

export function useUserActions_UndoFalsePositiveMutation() {
  return Urql.useMutation<UserActions_UndoFalsePositiveMutation, UserActions_UndoFalsePositiveMutationVariables>(UserActions_UndoFalsePositiveDocument);
};
export const UserPage_UserDocument = gql`
    query UserPage_User($id: ID!, $days: Int!) {
  user(id: $id) {
    id
    eventCount
    firstSeen
    lastSeen
    distinct {
      browsers
      os
      devices
      ipClasses
    }
    risk {
      score
      level
      basis
      peak
      updatedAt
    }
    verdict {
      ...VerdictBadge_Verdict
      ...VerdictPanel_Verdict
    }
    drift {
      score
      reasons {
        code
        label
        weight
        evidence
      }
    }
    fingerprint {
      hash
      stability
      tokens
      latestTokens
    }
    latestEvent {
      id
      kind
      timestamp
      browser
      os
      ip
      device
      network {
        ...NetworkBadge_EventNetwork
      }
    }
    riskByDay(days: $days) {
      ...RiskCharts_RiskDay
    }
    tokens {
      ...DeviceMix_TokenCount
    }
  }
}
    ${VerdictBadge_VerdictFragmentDoc}
${VerdictPanel_VerdictFragmentDoc}
${NetworkBadge_EventNetworkFragmentDoc}
${RiskCharts_RiskDayFragmentDoc}
${DeviceMix_TokenCountFragmentDoc}`;

export function useUserPage_UserQuery(options: Omit<Urql.UseQueryArgs<UserPage_UserQueryVariables>, 'query'>) {
  return Urql.useQuery<UserPage_UserQuery, UserPage_UserQueryVariables>({ query: UserPage_UserDocument, ...options });
};