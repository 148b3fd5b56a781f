/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query PostgresRankingWalk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {\n    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      nodes { id }\n    }\n  }\n": typeof types.PostgresRankingWalkDocument,
    "\n  mutation AdjustmentsAccessTrust($userId: ID!, $value: String!) {\n    trustForUser(userId: $userId, kind: NETWORK, value: $value, reason: \"office\") { id createdBy }\n  }\n": typeof types.AdjustmentsAccessTrustDocument,
    "\n  mutation AdjustmentsAccessRemoveTrust($id: ID!) {\n    removeTrust(id: $id) { id removedBy }\n  }\n": typeof types.AdjustmentsAccessRemoveTrustDocument,
    "\n  mutation AdjustmentsAccessAllow($value: String!) {\n    createAllowListEntry(kind: ASN, value: $value, reason: \"corp VPN\") { id }\n  }\n": typeof types.AdjustmentsAccessAllowDocument,
    "\n  mutation AdjustmentsAccessRemoveAllow($id: ID!) {\n    removeAllowListEntry(id: $id) { id }\n  }\n": typeof types.AdjustmentsAccessRemoveAllowDocument,
    "\n  query AdjustmentsAccessAllowList {\n    allowList { id }\n  }\n": typeof types.AdjustmentsAccessAllowListDocument,
    "\n  mutation AdjustmentsAccessMarkFalsePositive($alertId: ID!) {\n    markAlertFalsePositive(alertId: $alertId, reason: \"known\") { id }\n  }\n": typeof types.AdjustmentsAccessMarkFalsePositiveDocument,
    "\n  mutation AdjustmentsAccessUndo($id: ID!) {\n    undoFalsePositive(id: $id) { id }\n  }\n": typeof types.AdjustmentsAccessUndoDocument,
    "\n  query AdjustmentsAccessOfUser($id: ID!) {\n    user(id: $id) { adjustments { id } }\n  }\n": typeof types.AdjustmentsAccessOfUserDocument,
    "\n  query AdjustmentsAccessAudit {\n    auditLog(first: 50) { actor action target details }\n  }\n": typeof types.AdjustmentsAccessAuditDocument,
    "\n  query AdjustmentsLatestEvent($id: ID!) {\n    user(id: $id) {\n      events(first: 1) { nodes { risk { score signals { name score message evidence } } } }\n    }\n  }\n": typeof types.AdjustmentsLatestEventDocument,
    "\n  mutation AdjustmentsTrust($userId: ID!, $kind: TrustKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {\n    trustForUser(userId: $userId, kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {\n      id userId kind value reason createdBy expiresAt active lowers\n    }\n  }\n": typeof types.AdjustmentsTrustDocument,
    "\n  mutation AdjustmentsRemoveTrust($id: ID!) {\n    removeTrust(id: $id) { id active removedAt removedBy }\n  }\n": typeof types.AdjustmentsRemoveTrustDocument,
    "\n  mutation AdjustmentsAllow($kind: AllowListKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {\n    createAllowListEntry(kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {\n      id kind value reason expiresAt active lowers\n    }\n  }\n": typeof types.AdjustmentsAllowDocument,
    "\n  mutation AdjustmentsRemoveAllow($id: ID!) {\n    removeAllowListEntry(id: $id) { id active }\n  }\n": typeof types.AdjustmentsRemoveAllowDocument,
    "\n  query AdjustmentsAllowList($all: Boolean) {\n    allowList(includeInactive: $all) { id kind value active }\n  }\n": typeof types.AdjustmentsAllowListDocument,
    "\n  mutation AdjustmentsMarkFalsePositive($alertId: ID!, $reason: String!) {\n    markAlertFalsePositive(alertId: $alertId, reason: $reason) {\n      id alertId userId reason until active lowers { signal match factor }\n    }\n  }\n": typeof types.AdjustmentsMarkFalsePositiveDocument,
    "\n  mutation AdjustmentsUndoFalsePositive($id: ID!) {\n    undoFalsePositive(id: $id) { id active undoneAt }\n  }\n": typeof types.AdjustmentsUndoFalsePositiveDocument,
    "\n  query AdjustmentsOfUser($id: ID!) {\n    user(id: $id) {\n      adjustments { source id label reason until alertId lowers { signal match factor } }\n      trustEntries(includeInactive: true) { id value active }\n      falsePositives(includeInactive: true) { id alertId active }\n    }\n  }\n": typeof types.AdjustmentsOfUserDocument,
    "\n  mutation AdjustmentsDeleteUser($id: ID!) {\n    deleteUser(id: $id) { userId }\n  }\n": typeof types.AdjustmentsDeleteUserDocument,
    "\n  query AdjustmentsAlertStatus($id: ID!) {\n    alert(id: $id) { status falsePositive { id reason active } }\n  }\n": typeof types.AdjustmentsAlertStatusDocument,
    "\n  query AdjustmentsAudit {\n    auditLog(first: 200) { action target details }\n  }\n": typeof types.AdjustmentsAuditDocument,
    "\n  query AlertQueue($status: [AlertStatus!], $level: [RiskLevel!], $verdict: [VerdictKind!], $orderBy: AlertOrder, $userId: ID) {\n    alerts(status: $status, level: $level, verdict: $verdict, orderBy: $orderBy, userId: $userId, first: 100) {\n      totalCount\n      nodes { id score level status note assignee user { id verdict { kind } } }\n    }\n  }\n": typeof types.AlertQueueDocument,
    "\n  query StuffingIncidents {\n    incidents(status: [OPEN, ACKNOWLEDGED]) {\n      id kind source scope level accounts firstAt lastAt\n      users { id }\n      alerts { id user { id } }\n    }\n  }\n": typeof types.StuffingIncidentsDocument,
    "\n  mutation BulkTriage($ids: [ID!]!, $status: AlertStatus!) {\n    setAlertsStatus(ids: $ids, status: $status) { id status }\n  }\n": typeof types.BulkTriageDocument,
    "\n  mutation AnnotateAlert($id: ID!, $input: UpdateAlertInput!) {\n    updateAlert(id: $id, input: $input) { id note assignee }\n  }\n": typeof types.AnnotateAlertDocument,
    "\n  query TriageAudit { auditLog(first: 50) { actor action target details } }\n": typeof types.TriageAuditDocument,
    "\n    mutation IngestWithNestedExtra($e: EventInput!) {\n      ingestEvent(input: $e) { __typename }\n    }\n  ": typeof types.IngestWithNestedExtraDocument,
    "\n      query StoredEventsOfUser($id: ID!) {\n        user(id: $id) { eventCount }\n      }\n    ": typeof types.StoredEventsOfUserDocument,
    "\n        query StillAnswering {\n          overview { users }\n        }\n      ": typeof types.StillAnsweringDocument,
    "\n  query EventNetwork_Timeline($id: ID!) {\n    user(id: $id) {\n      events(first: 10) {\n        nodes {\n          eventId\n          network {\n            type\n            asn\n            asnOrganization\n            country\n            city\n            radiusKm\n          }\n        }\n      }\n    }\n  }\n": typeof types.EventNetwork_TimelineDocument,
    "\n  query DriftEvidence($id: ID!) {\n    user(id: $id) { drift { reasons { code evidence } } }\n  }\n": typeof types.DriftEvidenceDocument,
    "\n  mutation IngestOneEvent($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on IngestEventPayload { duplicate event { id kind timestamp browser os ip ipClass device meta user { id eventCount } } }\n      ... on ValidationError { message code issues { field path message } }\n    }\n  }\n": typeof types.IngestOneEventDocument,
    "\n  mutation IngestEventBatch($inputs: [EventInput!]!) {\n    ingestEvents(inputs: $inputs) {\n      __typename\n      ... on IngestEventsPayload { count stored duplicates events { id user { id } } }\n      ... on ValidationError { message issues { field message } }\n    }\n  }\n": typeof types.IngestEventBatchDocument,
    "\n  query StoredEventCount {\n    overview { events }\n  }\n": typeof types.StoredEventCountDocument,
    "\n    query BadUsersPage($first: Int, $last: Int, $after: String) {\n      users(first: $first, last: $last, after: $after) { totalCount }\n    }\n  ": typeof types.BadUsersPageDocument,
    "\n    query BadEventsPage($after: String) {\n      user(id: \"p\") { events(after: $after) { edges { cursor } } }\n    }\n  ": typeof types.BadEventsPageDocument,
    "\n        query OversizedPage {\n          user(id: \"many\") { events(first: 150) { edges { cursor } } }\n        }\n      ": typeof types.OversizedPageDocument,
    "\n        query OverviewWhileLocked {\n          overview { users }\n        }\n      ": typeof types.OverviewWhileLockedDocument,
    "\n  query UserWithDrift($id: ID!) {\n    user(id: $id) {\n      id eventCount firstSeen lastSeen\n      drift { score reasons { code label weight evidence } }\n      fingerprint { hash stability tokens latestTokens }\n      distinct { browsers os devices ipClasses }\n      latestEvent { id kind device ip ipClass meta user { id } }\n    }\n  }\n": typeof types.UserWithDriftDocument,
    "\n  query UserEventsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $kind: String, $since: DateTime, $until: DateTime, $order: SortDirection) {\n    user(id: $id) {\n      events(first: $first, after: $after, last: $last, before: $before, kind: $kind, since: $since, until: $until, order: $order) {\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n        edges { cursor node { timestamp kind } }\n      }\n    }\n  }\n": typeof types.UserEventsPageDocument,
    "\n  query RankedUsersPage($first: Int, $after: String, $orderBy: UserOrder, $direction: SortDirection, $minDriftScore: Int, $search: String) {\n    users(first: $first, after: $after, orderBy: $orderBy, direction: $direction, minDriftScore: $minDriftScore, search: $search) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id eventCount drift { score } }\n    }\n  }\n": typeof types.RankedUsersPageDocument,
    "\n  query RiskByDay($days: Int!) {\n    user(id: \"mixed\") { riskByDay(days: $days) { day events maxDriftScore factors { code count } } }\n  }\n": typeof types.RiskByDayDocument,
    "\n        query DriftAfterEachEvent {\n          user(id: \"mixed\") { events(order: ASC) { nodes { kind driftScore factors } } }\n        }\n      ": typeof types.DriftAfterEachEventDocument,
    "\n        query BrowserMix {\n          user(id: \"mixed\") { tokens(dimension: \"browser\") { value count } }\n        }\n      ": typeof types.BrowserMixDocument,
    "\n        query LatestEventId {\n          user(id: \"steady\") { latestEvent { id } }\n        }\n      ": typeof types.LatestEventIdDocument,
    "\n      query EventById($id: ID!) {\n        event(id: $id) { id kind user { id } }\n      }\n    ": typeof types.EventByIdDocument,
    "\n        query OverviewTotals {\n          overview { users events driftingUsers averageDriftScore lastEventAt }\n        }\n      ": typeof types.OverviewTotalsDocument,
    "\n  query UsersPageWithEverything($first: Int!) {\n    users(first: $first) {\n      edges {\n        node {\n          id eventCount lastSeen\n          drift { score reasons { code label weight evidence } }\n          fingerprint { hash stability tokens latestTokens }\n          latestEvent { id kind timestamp ip device browser os meta }\n          risk { score level basis }\n          openAlerts { id level status }\n        }\n      }\n    }\n  }\n": typeof types.UsersPageWithEverythingDocument,
    "\n  query RankedByRisk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {\n    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      nodes {\n        id\n        risk { score level scoreLevel basis }\n        openAlerts { id level status }\n      }\n    }\n  }\n": typeof types.RankedByRiskDocument,
    "\n  query OpenAlertsOf($userId: ID!) {\n    alerts(userId: $userId, status: [OPEN, ACKNOWLEDGED]) { nodes { id level } }\n  }\n": typeof types.OpenAlertsOfDocument,
    "\n  mutation RankingSetStatus($id: ID!, $status: AlertStatus!) {\n    setAlertStatus(id: $id, status: $status) { id status }\n  }\n": typeof types.RankingSetStatusDocument,
    "\n  query EventsWithMeta($id: ID!, $first: Int) {\n    user(id: $id) { events(first: $first) { edges { node { id kind meta } } } }\n  }\n": typeof types.EventsWithMetaDocument,
    "\n        query HoarderEventCount {\n          user(id: \"hoarder\") { eventCount }\n        }\n      ": typeof types.HoarderEventCountDocument,
    "\n  query CachedUser($id: ID!) {\n    user(id: $id) { eventCount drift { score } }\n  }\n": typeof types.CachedUserDocument,
    "\n      query UncachedOverview {\n        overview { events }\n        users(first: 100) { nodes { id } }\n      }\n    ": typeof types.UncachedOverviewDocument,
    "\n  query LatestEventRisk($id: ID!) {\n    user(id: $id) {\n      risk { score level peak }\n      drift { score }\n      events(first: 1) { nodes { driftScore risk { score level scored signals { name score message evidence } } } }\n    }\n  }\n": typeof types.LatestEventRiskDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    setAlertStatus(id: $id, status: ACKNOWLEDGED) { status }\n  }\n": typeof types.AcknowledgeAlertDocument,
    "\n        query RiskChart {\n          user(id: \"charted\") { riskByDay(days: 3) { day events maxRisk } }\n        }\n      ": typeof types.RiskChartDocument,
    "\n        query AcknowledgedAlerts {\n          alerts(status: [ACKNOWLEDGED]) { totalCount nodes { id status } }\n        }\n      ": typeof types.AcknowledgedAlertsDocument,
    "\n        query AlertAsOcsf($id: ID!) {\n          alert(id: $id) { export(format: OCSF) }\n        }\n      ": typeof types.AlertAsOcsfDocument,
    "\n        mutation IngestNegativeAsn {\n          ingestEvent(input: { userId: \"mallory\", kind: \"login\", meta: { asn: -5 } }) {\n            __typename\n            ... on ValidationError { issues { field } }\n          }\n        }\n      ": typeof types.IngestNegativeAsnDocument,
    "\n        mutation IngestForSubscriber {\n          ingestEvent(input: { userId: \"via-gql\", kind: \"logout\" }) { __typename }\n        }\n      ": typeof types.IngestForSubscriberDocument,
    "\n      query AnswersAfterOversizedInit {\n        overview { users }\n      }\n    ": typeof types.AnswersAfterOversizedInitDocument,
    "\n  query UserVerdict($id: ID!) {\n    user(id: $id) {\n      verdict { kind confidence since evidence { message values } }\n    }\n  }\n": typeof types.UserVerdictDocument,
    "\n  mutation AccessCreateKey($role: Role!, $name: String) {\n    createApiKey(role: $role, name: $name) { key apiKey { id prefix role name } }\n  }\n": typeof types.AccessCreateKeyDocument,
    "\n  mutation AccessRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": typeof types.AccessRevokeKeyDocument,
    "\n  query AccessListKeys {\n    apiKeys { id prefix role lastUsedAt revokedAt }\n  }\n": typeof types.AccessListKeysDocument,
    "\n  mutation AccessDeleteUser($id: ID!) {\n    deleteUser(id: $id) { userId events }\n  }\n": typeof types.AccessDeleteUserDocument,
    "\n      query AccessOverviewWithoutKey {\n        overview { users }\n      }\n    ": typeof types.AccessOverviewWithoutKeyDocument,
    "\n      query AccessReadAsProducer {\n        user(id: \"carol\") { id }\n      }\n    ": typeof types.AccessReadAsProducerDocument,
    "\n      mutation AccessIngestAsProducer($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate } }\n      }\n    ": typeof types.AccessIngestAsProducerDocument,
    "\n      mutation AccessIngestAndReadBack($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate event { ip meta risk { score } } } }\n      }\n    ": typeof types.AccessIngestAndReadBackDocument,
    "\n      mutation AccessIngestBatchAndReadBack($inputs: [EventInput!]!) {\n        ingestEvents(inputs: $inputs) { ... on IngestEventsPayload { stored events { meta } } }\n      }\n    ": typeof types.AccessIngestBatchAndReadBackDocument,
    "\n      mutation AccessIngestAndReadDrift($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { event { user { drift { score } } } } }\n      }\n    ": typeof types.AccessIngestAndReadDriftDocument,
    "\n      query AccessCachedUser {\n        user(id: \"carol\") { id eventCount }\n      }\n    ": typeof types.AccessCachedUserDocument,
    "\n      query AccessViewerRole {\n        viewer { role }\n      }\n    ": typeof types.AccessViewerRoleDocument,
    "\n        mutation AccessTriageAsAnalyst {\n          setAlertStatus(id: \"999\", status: RESOLVED) { id }\n        }\n      ": typeof types.AccessTriageAsAnalystDocument,
    "\n            query AccessAuditAsAnalyst {\n              auditLog { id }\n            }\n          ": typeof types.AccessAuditAsAnalystDocument,
    "\n        query AccessAuditLog {\n          auditLog { actor action target details }\n        }\n      ": typeof types.AccessAuditLogDocument,
    "\n        query AccessLatestAudit {\n          auditLog(first: 2) { action target details }\n        }\n      ": typeof types.AccessLatestAuditDocument,
    "\n    query AccessAuditPage($first: Int, $before: ID) {\n      auditLog(first: $first, before: $before) { id }\n    }\n  ": typeof types.AccessAuditPageDocument,
    "\n        query AccessKeysAndAuditUnchanged {\n          apiKeys { id }\n          auditLog { id }\n        }\n      ": typeof types.AccessKeysAndAuditUnchangedDocument,
    "\n        query AlertExports($id: ID!) {\n          alert(id: $id) { ecs: export(format: ECS) ocsf: export(format: OCSF) cef: export(format: CEF) }\n        }\n      ": typeof types.AlertExportsDocument,
    "\n  mutation IngestWhileBusy($e: EventInput!) {\n    ingestEvent(input: $e) { __typename }\n  }\n": typeof types.IngestWhileBusyDocument,
    "\n        mutation DeleteUserWithWebhookMessages {\n          deleteUser(id: \"frank\") { events }\n        }\n      ": typeof types.DeleteUserWithWebhookMessagesDocument,
    "\n  mutation IngestWithLargeMeta($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n": typeof types.IngestWithLargeMetaDocument,
    "\n  mutation IngestBatchWithLargeMeta($inputs: [EventInput!]!) {\n    ingestEvents(inputs: $inputs) {\n      __typename\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n": typeof types.IngestBatchWithLargeMetaDocument,
    "\n  query PostgresUser($id: ID!) {\n    user(id: $id) { eventCount drift { score } risk { score } events(first: 5) { nodes { ip } } }\n  }\n": typeof types.PostgresUserDocument,
    "\n  mutation PostgresDeleteUser($id: ID!) {\n    deleteUser(id: $id) { events }\n  }\n": typeof types.PostgresDeleteUserDocument,
    "\n  query PostgresEventCount($id: ID!) {\n    user(id: $id) { eventCount }\n  }\n": typeof types.PostgresEventCountDocument,
    "\n      query RetainedUser {\n        user(id: \"mixed\") { eventCount drift { score } }\n      }\n    ": typeof types.RetainedUserDocument,
    "\n        query RetentionAudit {\n          auditLog { actor action details }\n        }\n      ": typeof types.RetentionAuditDocument,
    "\n  mutation StreamsCreateKey($role: Role!) {\n    createApiKey(role: $role) { key apiKey { id } }\n  }\n": typeof types.StreamsCreateKeyDocument,
    "\n      mutation StreamsRevokeKey($id: ID!) {\n        revokeApiKey(id: $id) { id }\n      }\n    ": typeof types.StreamsRevokeKeyDocument,
    "\n      query StreamsOrdinaryRequest {\n        overview { __typename }\n      }\n    ": typeof types.StreamsOrdinaryRequestDocument,
    "\n  mutation IngestUnderUserId($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on IngestEventPayload { event { user { id } } }\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n": typeof types.IngestUnderUserIdDocument,
    "\n      query UserByAnySpelling($id: ID!) {\n        user(id: $id) { id eventCount }\n      }\n    ": typeof types.UserByAnySpellingDocument,
    "\n        mutation DeleteUserByAnySpelling($id: ID!) {\n          deleteUser(id: $id) { userId events }\n        }\n      ": typeof types.DeleteUserByAnySpellingDocument,
    "\n        mutation ResolveAlertForWebhook($id: ID!) {\n          setAlertStatus(id: $id, status: RESOLVED) { id }\n        }\n      ": typeof types.ResolveAlertForWebhookDocument,
    "\n  query TiedUsers($first: Int, $after: String, $search: String) {\n    users(first: $first, after: $after, orderBy: EVENT_COUNT, search: $search) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id }\n    }\n  }\n": typeof types.TiedUsersDocument,
};
const documents: Documents = {
    "\n  query PostgresRankingWalk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {\n    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      nodes { id }\n    }\n  }\n": types.PostgresRankingWalkDocument,
    "\n  mutation AdjustmentsAccessTrust($userId: ID!, $value: String!) {\n    trustForUser(userId: $userId, kind: NETWORK, value: $value, reason: \"office\") { id createdBy }\n  }\n": types.AdjustmentsAccessTrustDocument,
    "\n  mutation AdjustmentsAccessRemoveTrust($id: ID!) {\n    removeTrust(id: $id) { id removedBy }\n  }\n": types.AdjustmentsAccessRemoveTrustDocument,
    "\n  mutation AdjustmentsAccessAllow($value: String!) {\n    createAllowListEntry(kind: ASN, value: $value, reason: \"corp VPN\") { id }\n  }\n": types.AdjustmentsAccessAllowDocument,
    "\n  mutation AdjustmentsAccessRemoveAllow($id: ID!) {\n    removeAllowListEntry(id: $id) { id }\n  }\n": types.AdjustmentsAccessRemoveAllowDocument,
    "\n  query AdjustmentsAccessAllowList {\n    allowList { id }\n  }\n": types.AdjustmentsAccessAllowListDocument,
    "\n  mutation AdjustmentsAccessMarkFalsePositive($alertId: ID!) {\n    markAlertFalsePositive(alertId: $alertId, reason: \"known\") { id }\n  }\n": types.AdjustmentsAccessMarkFalsePositiveDocument,
    "\n  mutation AdjustmentsAccessUndo($id: ID!) {\n    undoFalsePositive(id: $id) { id }\n  }\n": types.AdjustmentsAccessUndoDocument,
    "\n  query AdjustmentsAccessOfUser($id: ID!) {\n    user(id: $id) { adjustments { id } }\n  }\n": types.AdjustmentsAccessOfUserDocument,
    "\n  query AdjustmentsAccessAudit {\n    auditLog(first: 50) { actor action target details }\n  }\n": types.AdjustmentsAccessAuditDocument,
    "\n  query AdjustmentsLatestEvent($id: ID!) {\n    user(id: $id) {\n      events(first: 1) { nodes { risk { score signals { name score message evidence } } } }\n    }\n  }\n": types.AdjustmentsLatestEventDocument,
    "\n  mutation AdjustmentsTrust($userId: ID!, $kind: TrustKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {\n    trustForUser(userId: $userId, kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {\n      id userId kind value reason createdBy expiresAt active lowers\n    }\n  }\n": types.AdjustmentsTrustDocument,
    "\n  mutation AdjustmentsRemoveTrust($id: ID!) {\n    removeTrust(id: $id) { id active removedAt removedBy }\n  }\n": types.AdjustmentsRemoveTrustDocument,
    "\n  mutation AdjustmentsAllow($kind: AllowListKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {\n    createAllowListEntry(kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {\n      id kind value reason expiresAt active lowers\n    }\n  }\n": types.AdjustmentsAllowDocument,
    "\n  mutation AdjustmentsRemoveAllow($id: ID!) {\n    removeAllowListEntry(id: $id) { id active }\n  }\n": types.AdjustmentsRemoveAllowDocument,
    "\n  query AdjustmentsAllowList($all: Boolean) {\n    allowList(includeInactive: $all) { id kind value active }\n  }\n": types.AdjustmentsAllowListDocument,
    "\n  mutation AdjustmentsMarkFalsePositive($alertId: ID!, $reason: String!) {\n    markAlertFalsePositive(alertId: $alertId, reason: $reason) {\n      id alertId userId reason until active lowers { signal match factor }\n    }\n  }\n": types.AdjustmentsMarkFalsePositiveDocument,
    "\n  mutation AdjustmentsUndoFalsePositive($id: ID!) {\n    undoFalsePositive(id: $id) { id active undoneAt }\n  }\n": types.AdjustmentsUndoFalsePositiveDocument,
    "\n  query AdjustmentsOfUser($id: ID!) {\n    user(id: $id) {\n      adjustments { source id label reason until alertId lowers { signal match factor } }\n      trustEntries(includeInactive: true) { id value active }\n      falsePositives(includeInactive: true) { id alertId active }\n    }\n  }\n": types.AdjustmentsOfUserDocument,
    "\n  mutation AdjustmentsDeleteUser($id: ID!) {\n    deleteUser(id: $id) { userId }\n  }\n": types.AdjustmentsDeleteUserDocument,
    "\n  query AdjustmentsAlertStatus($id: ID!) {\n    alert(id: $id) { status falsePositive { id reason active } }\n  }\n": types.AdjustmentsAlertStatusDocument,
    "\n  query AdjustmentsAudit {\n    auditLog(first: 200) { action target details }\n  }\n": types.AdjustmentsAuditDocument,
    "\n  query AlertQueue($status: [AlertStatus!], $level: [RiskLevel!], $verdict: [VerdictKind!], $orderBy: AlertOrder, $userId: ID) {\n    alerts(status: $status, level: $level, verdict: $verdict, orderBy: $orderBy, userId: $userId, first: 100) {\n      totalCount\n      nodes { id score level status note assignee user { id verdict { kind } } }\n    }\n  }\n": types.AlertQueueDocument,
    "\n  query StuffingIncidents {\n    incidents(status: [OPEN, ACKNOWLEDGED]) {\n      id kind source scope level accounts firstAt lastAt\n      users { id }\n      alerts { id user { id } }\n    }\n  }\n": types.StuffingIncidentsDocument,
    "\n  mutation BulkTriage($ids: [ID!]!, $status: AlertStatus!) {\n    setAlertsStatus(ids: $ids, status: $status) { id status }\n  }\n": types.BulkTriageDocument,
    "\n  mutation AnnotateAlert($id: ID!, $input: UpdateAlertInput!) {\n    updateAlert(id: $id, input: $input) { id note assignee }\n  }\n": types.AnnotateAlertDocument,
    "\n  query TriageAudit { auditLog(first: 50) { actor action target details } }\n": types.TriageAuditDocument,
    "\n    mutation IngestWithNestedExtra($e: EventInput!) {\n      ingestEvent(input: $e) { __typename }\n    }\n  ": types.IngestWithNestedExtraDocument,
    "\n      query StoredEventsOfUser($id: ID!) {\n        user(id: $id) { eventCount }\n      }\n    ": types.StoredEventsOfUserDocument,
    "\n        query StillAnswering {\n          overview { users }\n        }\n      ": types.StillAnsweringDocument,
    "\n  query EventNetwork_Timeline($id: ID!) {\n    user(id: $id) {\n      events(first: 10) {\n        nodes {\n          eventId\n          network {\n            type\n            asn\n            asnOrganization\n            country\n            city\n            radiusKm\n          }\n        }\n      }\n    }\n  }\n": types.EventNetwork_TimelineDocument,
    "\n  query DriftEvidence($id: ID!) {\n    user(id: $id) { drift { reasons { code evidence } } }\n  }\n": types.DriftEvidenceDocument,
    "\n  mutation IngestOneEvent($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on IngestEventPayload { duplicate event { id kind timestamp browser os ip ipClass device meta user { id eventCount } } }\n      ... on ValidationError { message code issues { field path message } }\n    }\n  }\n": types.IngestOneEventDocument,
    "\n  mutation IngestEventBatch($inputs: [EventInput!]!) {\n    ingestEvents(inputs: $inputs) {\n      __typename\n      ... on IngestEventsPayload { count stored duplicates events { id user { id } } }\n      ... on ValidationError { message issues { field message } }\n    }\n  }\n": types.IngestEventBatchDocument,
    "\n  query StoredEventCount {\n    overview { events }\n  }\n": types.StoredEventCountDocument,
    "\n    query BadUsersPage($first: Int, $last: Int, $after: String) {\n      users(first: $first, last: $last, after: $after) { totalCount }\n    }\n  ": types.BadUsersPageDocument,
    "\n    query BadEventsPage($after: String) {\n      user(id: \"p\") { events(after: $after) { edges { cursor } } }\n    }\n  ": types.BadEventsPageDocument,
    "\n        query OversizedPage {\n          user(id: \"many\") { events(first: 150) { edges { cursor } } }\n        }\n      ": types.OversizedPageDocument,
    "\n        query OverviewWhileLocked {\n          overview { users }\n        }\n      ": types.OverviewWhileLockedDocument,
    "\n  query UserWithDrift($id: ID!) {\n    user(id: $id) {\n      id eventCount firstSeen lastSeen\n      drift { score reasons { code label weight evidence } }\n      fingerprint { hash stability tokens latestTokens }\n      distinct { browsers os devices ipClasses }\n      latestEvent { id kind device ip ipClass meta user { id } }\n    }\n  }\n": types.UserWithDriftDocument,
    "\n  query UserEventsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $kind: String, $since: DateTime, $until: DateTime, $order: SortDirection) {\n    user(id: $id) {\n      events(first: $first, after: $after, last: $last, before: $before, kind: $kind, since: $since, until: $until, order: $order) {\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n        edges { cursor node { timestamp kind } }\n      }\n    }\n  }\n": types.UserEventsPageDocument,
    "\n  query RankedUsersPage($first: Int, $after: String, $orderBy: UserOrder, $direction: SortDirection, $minDriftScore: Int, $search: String) {\n    users(first: $first, after: $after, orderBy: $orderBy, direction: $direction, minDriftScore: $minDriftScore, search: $search) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id eventCount drift { score } }\n    }\n  }\n": types.RankedUsersPageDocument,
    "\n  query RiskByDay($days: Int!) {\n    user(id: \"mixed\") { riskByDay(days: $days) { day events maxDriftScore factors { code count } } }\n  }\n": types.RiskByDayDocument,
    "\n        query DriftAfterEachEvent {\n          user(id: \"mixed\") { events(order: ASC) { nodes { kind driftScore factors } } }\n        }\n      ": types.DriftAfterEachEventDocument,
    "\n        query BrowserMix {\n          user(id: \"mixed\") { tokens(dimension: \"browser\") { value count } }\n        }\n      ": types.BrowserMixDocument,
    "\n        query LatestEventId {\n          user(id: \"steady\") { latestEvent { id } }\n        }\n      ": types.LatestEventIdDocument,
    "\n      query EventById($id: ID!) {\n        event(id: $id) { id kind user { id } }\n      }\n    ": types.EventByIdDocument,
    "\n        query OverviewTotals {\n          overview { users events driftingUsers averageDriftScore lastEventAt }\n        }\n      ": types.OverviewTotalsDocument,
    "\n  query UsersPageWithEverything($first: Int!) {\n    users(first: $first) {\n      edges {\n        node {\n          id eventCount lastSeen\n          drift { score reasons { code label weight evidence } }\n          fingerprint { hash stability tokens latestTokens }\n          latestEvent { id kind timestamp ip device browser os meta }\n          risk { score level basis }\n          openAlerts { id level status }\n        }\n      }\n    }\n  }\n": types.UsersPageWithEverythingDocument,
    "\n  query RankedByRisk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {\n    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      nodes {\n        id\n        risk { score level scoreLevel basis }\n        openAlerts { id level status }\n      }\n    }\n  }\n": types.RankedByRiskDocument,
    "\n  query OpenAlertsOf($userId: ID!) {\n    alerts(userId: $userId, status: [OPEN, ACKNOWLEDGED]) { nodes { id level } }\n  }\n": types.OpenAlertsOfDocument,
    "\n  mutation RankingSetStatus($id: ID!, $status: AlertStatus!) {\n    setAlertStatus(id: $id, status: $status) { id status }\n  }\n": types.RankingSetStatusDocument,
    "\n  query EventsWithMeta($id: ID!, $first: Int) {\n    user(id: $id) { events(first: $first) { edges { node { id kind meta } } } }\n  }\n": types.EventsWithMetaDocument,
    "\n        query HoarderEventCount {\n          user(id: \"hoarder\") { eventCount }\n        }\n      ": types.HoarderEventCountDocument,
    "\n  query CachedUser($id: ID!) {\n    user(id: $id) { eventCount drift { score } }\n  }\n": types.CachedUserDocument,
    "\n      query UncachedOverview {\n        overview { events }\n        users(first: 100) { nodes { id } }\n      }\n    ": types.UncachedOverviewDocument,
    "\n  query LatestEventRisk($id: ID!) {\n    user(id: $id) {\n      risk { score level peak }\n      drift { score }\n      events(first: 1) { nodes { driftScore risk { score level scored signals { name score message evidence } } } }\n    }\n  }\n": types.LatestEventRiskDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    setAlertStatus(id: $id, status: ACKNOWLEDGED) { status }\n  }\n": types.AcknowledgeAlertDocument,
    "\n        query RiskChart {\n          user(id: \"charted\") { riskByDay(days: 3) { day events maxRisk } }\n        }\n      ": types.RiskChartDocument,
    "\n        query AcknowledgedAlerts {\n          alerts(status: [ACKNOWLEDGED]) { totalCount nodes { id status } }\n        }\n      ": types.AcknowledgedAlertsDocument,
    "\n        query AlertAsOcsf($id: ID!) {\n          alert(id: $id) { export(format: OCSF) }\n        }\n      ": types.AlertAsOcsfDocument,
    "\n        mutation IngestNegativeAsn {\n          ingestEvent(input: { userId: \"mallory\", kind: \"login\", meta: { asn: -5 } }) {\n            __typename\n            ... on ValidationError { issues { field } }\n          }\n        }\n      ": types.IngestNegativeAsnDocument,
    "\n        mutation IngestForSubscriber {\n          ingestEvent(input: { userId: \"via-gql\", kind: \"logout\" }) { __typename }\n        }\n      ": types.IngestForSubscriberDocument,
    "\n      query AnswersAfterOversizedInit {\n        overview { users }\n      }\n    ": types.AnswersAfterOversizedInitDocument,
    "\n  query UserVerdict($id: ID!) {\n    user(id: $id) {\n      verdict { kind confidence since evidence { message values } }\n    }\n  }\n": types.UserVerdictDocument,
    "\n  mutation AccessCreateKey($role: Role!, $name: String) {\n    createApiKey(role: $role, name: $name) { key apiKey { id prefix role name } }\n  }\n": types.AccessCreateKeyDocument,
    "\n  mutation AccessRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.AccessRevokeKeyDocument,
    "\n  query AccessListKeys {\n    apiKeys { id prefix role lastUsedAt revokedAt }\n  }\n": types.AccessListKeysDocument,
    "\n  mutation AccessDeleteUser($id: ID!) {\n    deleteUser(id: $id) { userId events }\n  }\n": types.AccessDeleteUserDocument,
    "\n      query AccessOverviewWithoutKey {\n        overview { users }\n      }\n    ": types.AccessOverviewWithoutKeyDocument,
    "\n      query AccessReadAsProducer {\n        user(id: \"carol\") { id }\n      }\n    ": types.AccessReadAsProducerDocument,
    "\n      mutation AccessIngestAsProducer($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate } }\n      }\n    ": types.AccessIngestAsProducerDocument,
    "\n      mutation AccessIngestAndReadBack($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate event { ip meta risk { score } } } }\n      }\n    ": types.AccessIngestAndReadBackDocument,
    "\n      mutation AccessIngestBatchAndReadBack($inputs: [EventInput!]!) {\n        ingestEvents(inputs: $inputs) { ... on IngestEventsPayload { stored events { meta } } }\n      }\n    ": types.AccessIngestBatchAndReadBackDocument,
    "\n      mutation AccessIngestAndReadDrift($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { event { user { drift { score } } } } }\n      }\n    ": types.AccessIngestAndReadDriftDocument,
    "\n      query AccessCachedUser {\n        user(id: \"carol\") { id eventCount }\n      }\n    ": types.AccessCachedUserDocument,
    "\n      query AccessViewerRole {\n        viewer { role }\n      }\n    ": types.AccessViewerRoleDocument,
    "\n        mutation AccessTriageAsAnalyst {\n          setAlertStatus(id: \"999\", status: RESOLVED) { id }\n        }\n      ": types.AccessTriageAsAnalystDocument,
    "\n            query AccessAuditAsAnalyst {\n              auditLog { id }\n            }\n          ": types.AccessAuditAsAnalystDocument,
    "\n        query AccessAuditLog {\n          auditLog { actor action target details }\n        }\n      ": types.AccessAuditLogDocument,
    "\n        query AccessLatestAudit {\n          auditLog(first: 2) { action target details }\n        }\n      ": types.AccessLatestAuditDocument,
    "\n    query AccessAuditPage($first: Int, $before: ID) {\n      auditLog(first: $first, before: $before) { id }\n    }\n  ": types.AccessAuditPageDocument,
    "\n        query AccessKeysAndAuditUnchanged {\n          apiKeys { id }\n          auditLog { id }\n        }\n      ": types.AccessKeysAndAuditUnchangedDocument,
    "\n        query AlertExports($id: ID!) {\n          alert(id: $id) { ecs: export(format: ECS) ocsf: export(format: OCSF) cef: export(format: CEF) }\n        }\n      ": types.AlertExportsDocument,
    "\n  mutation IngestWhileBusy($e: EventInput!) {\n    ingestEvent(input: $e) { __typename }\n  }\n": types.IngestWhileBusyDocument,
    "\n        mutation DeleteUserWithWebhookMessages {\n          deleteUser(id: \"frank\") { events }\n        }\n      ": types.DeleteUserWithWebhookMessagesDocument,
    "\n  mutation IngestWithLargeMeta($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n": types.IngestWithLargeMetaDocument,
    "\n  mutation IngestBatchWithLargeMeta($inputs: [EventInput!]!) {\n    ingestEvents(inputs: $inputs) {\n      __typename\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n": types.IngestBatchWithLargeMetaDocument,
    "\n  query PostgresUser($id: ID!) {\n    user(id: $id) { eventCount drift { score } risk { score } events(first: 5) { nodes { ip } } }\n  }\n": types.PostgresUserDocument,
    "\n  mutation PostgresDeleteUser($id: ID!) {\n    deleteUser(id: $id) { events }\n  }\n": types.PostgresDeleteUserDocument,
    "\n  query PostgresEventCount($id: ID!) {\n    user(id: $id) { eventCount }\n  }\n": types.PostgresEventCountDocument,
    "\n      query RetainedUser {\n        user(id: \"mixed\") { eventCount drift { score } }\n      }\n    ": types.RetainedUserDocument,
    "\n        query RetentionAudit {\n          auditLog { actor action details }\n        }\n      ": types.RetentionAuditDocument,
    "\n  mutation StreamsCreateKey($role: Role!) {\n    createApiKey(role: $role) { key apiKey { id } }\n  }\n": types.StreamsCreateKeyDocument,
    "\n      mutation StreamsRevokeKey($id: ID!) {\n        revokeApiKey(id: $id) { id }\n      }\n    ": types.StreamsRevokeKeyDocument,
    "\n      query StreamsOrdinaryRequest {\n        overview { __typename }\n      }\n    ": types.StreamsOrdinaryRequestDocument,
    "\n  mutation IngestUnderUserId($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on IngestEventPayload { event { user { id } } }\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n": types.IngestUnderUserIdDocument,
    "\n      query UserByAnySpelling($id: ID!) {\n        user(id: $id) { id eventCount }\n      }\n    ": types.UserByAnySpellingDocument,
    "\n        mutation DeleteUserByAnySpelling($id: ID!) {\n          deleteUser(id: $id) { userId events }\n        }\n      ": types.DeleteUserByAnySpellingDocument,
    "\n        mutation ResolveAlertForWebhook($id: ID!) {\n          setAlertStatus(id: $id, status: RESOLVED) { id }\n        }\n      ": types.ResolveAlertForWebhookDocument,
    "\n  query TiedUsers($first: Int, $after: String, $search: String) {\n    users(first: $first, after: $after, orderBy: EVENT_COUNT, search: $search) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id }\n    }\n  }\n": types.TiedUsersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostgresRankingWalk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {\n    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      nodes { id }\n    }\n  }\n"): (typeof documents)["\n  query PostgresRankingWalk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {\n    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      nodes { id }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsAccessTrust($userId: ID!, $value: String!) {\n    trustForUser(userId: $userId, kind: NETWORK, value: $value, reason: \"office\") { id createdBy }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsAccessTrust($userId: ID!, $value: String!) {\n    trustForUser(userId: $userId, kind: NETWORK, value: $value, reason: \"office\") { id createdBy }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsAccessRemoveTrust($id: ID!) {\n    removeTrust(id: $id) { id removedBy }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsAccessRemoveTrust($id: ID!) {\n    removeTrust(id: $id) { id removedBy }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsAccessAllow($value: String!) {\n    createAllowListEntry(kind: ASN, value: $value, reason: \"corp VPN\") { id }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsAccessAllow($value: String!) {\n    createAllowListEntry(kind: ASN, value: $value, reason: \"corp VPN\") { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsAccessRemoveAllow($id: ID!) {\n    removeAllowListEntry(id: $id) { id }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsAccessRemoveAllow($id: ID!) {\n    removeAllowListEntry(id: $id) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdjustmentsAccessAllowList {\n    allowList { id }\n  }\n"): (typeof documents)["\n  query AdjustmentsAccessAllowList {\n    allowList { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsAccessMarkFalsePositive($alertId: ID!) {\n    markAlertFalsePositive(alertId: $alertId, reason: \"known\") { id }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsAccessMarkFalsePositive($alertId: ID!) {\n    markAlertFalsePositive(alertId: $alertId, reason: \"known\") { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsAccessUndo($id: ID!) {\n    undoFalsePositive(id: $id) { id }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsAccessUndo($id: ID!) {\n    undoFalsePositive(id: $id) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdjustmentsAccessOfUser($id: ID!) {\n    user(id: $id) { adjustments { id } }\n  }\n"): (typeof documents)["\n  query AdjustmentsAccessOfUser($id: ID!) {\n    user(id: $id) { adjustments { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdjustmentsAccessAudit {\n    auditLog(first: 50) { actor action target details }\n  }\n"): (typeof documents)["\n  query AdjustmentsAccessAudit {\n    auditLog(first: 50) { actor action target details }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdjustmentsLatestEvent($id: ID!) {\n    user(id: $id) {\n      events(first: 1) { nodes { risk { score signals { name score message evidence } } } }\n    }\n  }\n"): (typeof documents)["\n  query AdjustmentsLatestEvent($id: ID!) {\n    user(id: $id) {\n      events(first: 1) { nodes { risk { score signals { name score message evidence } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsTrust($userId: ID!, $kind: TrustKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {\n    trustForUser(userId: $userId, kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {\n      id userId kind value reason createdBy expiresAt active lowers\n    }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsTrust($userId: ID!, $kind: TrustKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {\n    trustForUser(userId: $userId, kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {\n      id userId kind value reason createdBy expiresAt active lowers\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsRemoveTrust($id: ID!) {\n    removeTrust(id: $id) { id active removedAt removedBy }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsRemoveTrust($id: ID!) {\n    removeTrust(id: $id) { id active removedAt removedBy }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsAllow($kind: AllowListKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {\n    createAllowListEntry(kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {\n      id kind value reason expiresAt active lowers\n    }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsAllow($kind: AllowListKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {\n    createAllowListEntry(kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {\n      id kind value reason expiresAt active lowers\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsRemoveAllow($id: ID!) {\n    removeAllowListEntry(id: $id) { id active }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsRemoveAllow($id: ID!) {\n    removeAllowListEntry(id: $id) { id active }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdjustmentsAllowList($all: Boolean) {\n    allowList(includeInactive: $all) { id kind value active }\n  }\n"): (typeof documents)["\n  query AdjustmentsAllowList($all: Boolean) {\n    allowList(includeInactive: $all) { id kind value active }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsMarkFalsePositive($alertId: ID!, $reason: String!) {\n    markAlertFalsePositive(alertId: $alertId, reason: $reason) {\n      id alertId userId reason until active lowers { signal match factor }\n    }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsMarkFalsePositive($alertId: ID!, $reason: String!) {\n    markAlertFalsePositive(alertId: $alertId, reason: $reason) {\n      id alertId userId reason until active lowers { signal match factor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsUndoFalsePositive($id: ID!) {\n    undoFalsePositive(id: $id) { id active undoneAt }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsUndoFalsePositive($id: ID!) {\n    undoFalsePositive(id: $id) { id active undoneAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdjustmentsOfUser($id: ID!) {\n    user(id: $id) {\n      adjustments { source id label reason until alertId lowers { signal match factor } }\n      trustEntries(includeInactive: true) { id value active }\n      falsePositives(includeInactive: true) { id alertId active }\n    }\n  }\n"): (typeof documents)["\n  query AdjustmentsOfUser($id: ID!) {\n    user(id: $id) {\n      adjustments { source id label reason until alertId lowers { signal match factor } }\n      trustEntries(includeInactive: true) { id value active }\n      falsePositives(includeInactive: true) { id alertId active }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustmentsDeleteUser($id: ID!) {\n    deleteUser(id: $id) { userId }\n  }\n"): (typeof documents)["\n  mutation AdjustmentsDeleteUser($id: ID!) {\n    deleteUser(id: $id) { userId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdjustmentsAlertStatus($id: ID!) {\n    alert(id: $id) { status falsePositive { id reason active } }\n  }\n"): (typeof documents)["\n  query AdjustmentsAlertStatus($id: ID!) {\n    alert(id: $id) { status falsePositive { id reason active } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdjustmentsAudit {\n    auditLog(first: 200) { action target details }\n  }\n"): (typeof documents)["\n  query AdjustmentsAudit {\n    auditLog(first: 200) { action target details }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertQueue($status: [AlertStatus!], $level: [RiskLevel!], $verdict: [VerdictKind!], $orderBy: AlertOrder, $userId: ID) {\n    alerts(status: $status, level: $level, verdict: $verdict, orderBy: $orderBy, userId: $userId, first: 100) {\n      totalCount\n      nodes { id score level status note assignee user { id verdict { kind } } }\n    }\n  }\n"): (typeof documents)["\n  query AlertQueue($status: [AlertStatus!], $level: [RiskLevel!], $verdict: [VerdictKind!], $orderBy: AlertOrder, $userId: ID) {\n    alerts(status: $status, level: $level, verdict: $verdict, orderBy: $orderBy, userId: $userId, first: 100) {\n      totalCount\n      nodes { id score level status note assignee user { id verdict { kind } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StuffingIncidents {\n    incidents(status: [OPEN, ACKNOWLEDGED]) {\n      id kind source scope level accounts firstAt lastAt\n      users { id }\n      alerts { id user { id } }\n    }\n  }\n"): (typeof documents)["\n  query StuffingIncidents {\n    incidents(status: [OPEN, ACKNOWLEDGED]) {\n      id kind source scope level accounts firstAt lastAt\n      users { id }\n      alerts { id user { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkTriage($ids: [ID!]!, $status: AlertStatus!) {\n    setAlertsStatus(ids: $ids, status: $status) { id status }\n  }\n"): (typeof documents)["\n  mutation BulkTriage($ids: [ID!]!, $status: AlertStatus!) {\n    setAlertsStatus(ids: $ids, status: $status) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AnnotateAlert($id: ID!, $input: UpdateAlertInput!) {\n    updateAlert(id: $id, input: $input) { id note assignee }\n  }\n"): (typeof documents)["\n  mutation AnnotateAlert($id: ID!, $input: UpdateAlertInput!) {\n    updateAlert(id: $id, input: $input) { id note assignee }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TriageAudit { auditLog(first: 50) { actor action target details } }\n"): (typeof documents)["\n  query TriageAudit { auditLog(first: 50) { actor action target details } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation IngestWithNestedExtra($e: EventInput!) {\n      ingestEvent(input: $e) { __typename }\n    }\n  "): (typeof documents)["\n    mutation IngestWithNestedExtra($e: EventInput!) {\n      ingestEvent(input: $e) { __typename }\n    }\n  "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query StoredEventsOfUser($id: ID!) {\n        user(id: $id) { eventCount }\n      }\n    "): (typeof documents)["\n      query StoredEventsOfUser($id: ID!) {\n        user(id: $id) { eventCount }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query StillAnswering {\n          overview { users }\n        }\n      "): (typeof documents)["\n        query StillAnswering {\n          overview { users }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventNetwork_Timeline($id: ID!) {\n    user(id: $id) {\n      events(first: 10) {\n        nodes {\n          eventId\n          network {\n            type\n            asn\n            asnOrganization\n            country\n            city\n            radiusKm\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query EventNetwork_Timeline($id: ID!) {\n    user(id: $id) {\n      events(first: 10) {\n        nodes {\n          eventId\n          network {\n            type\n            asn\n            asnOrganization\n            country\n            city\n            radiusKm\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DriftEvidence($id: ID!) {\n    user(id: $id) { drift { reasons { code evidence } } }\n  }\n"): (typeof documents)["\n  query DriftEvidence($id: ID!) {\n    user(id: $id) { drift { reasons { code evidence } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestOneEvent($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on IngestEventPayload { duplicate event { id kind timestamp browser os ip ipClass device meta user { id eventCount } } }\n      ... on ValidationError { message code issues { field path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation IngestOneEvent($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on IngestEventPayload { duplicate event { id kind timestamp browser os ip ipClass device meta user { id eventCount } } }\n      ... on ValidationError { message code issues { field path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestEventBatch($inputs: [EventInput!]!) {\n    ingestEvents(inputs: $inputs) {\n      __typename\n      ... on IngestEventsPayload { count stored duplicates events { id user { id } } }\n      ... on ValidationError { message issues { field message } }\n    }\n  }\n"): (typeof documents)["\n  mutation IngestEventBatch($inputs: [EventInput!]!) {\n    ingestEvents(inputs: $inputs) {\n      __typename\n      ... on IngestEventsPayload { count stored duplicates events { id user { id } } }\n      ... on ValidationError { message issues { field message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoredEventCount {\n    overview { events }\n  }\n"): (typeof documents)["\n  query StoredEventCount {\n    overview { events }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query BadUsersPage($first: Int, $last: Int, $after: String) {\n      users(first: $first, last: $last, after: $after) { totalCount }\n    }\n  "): (typeof documents)["\n    query BadUsersPage($first: Int, $last: Int, $after: String) {\n      users(first: $first, last: $last, after: $after) { totalCount }\n    }\n  "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query BadEventsPage($after: String) {\n      user(id: \"p\") { events(after: $after) { edges { cursor } } }\n    }\n  "): (typeof documents)["\n    query BadEventsPage($after: String) {\n      user(id: \"p\") { events(after: $after) { edges { cursor } } }\n    }\n  "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query OversizedPage {\n          user(id: \"many\") { events(first: 150) { edges { cursor } } }\n        }\n      "): (typeof documents)["\n        query OversizedPage {\n          user(id: \"many\") { events(first: 150) { edges { cursor } } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query OverviewWhileLocked {\n          overview { users }\n        }\n      "): (typeof documents)["\n        query OverviewWhileLocked {\n          overview { users }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserWithDrift($id: ID!) {\n    user(id: $id) {\n      id eventCount firstSeen lastSeen\n      drift { score reasons { code label weight evidence } }\n      fingerprint { hash stability tokens latestTokens }\n      distinct { browsers os devices ipClasses }\n      latestEvent { id kind device ip ipClass meta user { id } }\n    }\n  }\n"): (typeof documents)["\n  query UserWithDrift($id: ID!) {\n    user(id: $id) {\n      id eventCount firstSeen lastSeen\n      drift { score reasons { code label weight evidence } }\n      fingerprint { hash stability tokens latestTokens }\n      distinct { browsers os devices ipClasses }\n      latestEvent { id kind device ip ipClass meta user { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserEventsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $kind: String, $since: DateTime, $until: DateTime, $order: SortDirection) {\n    user(id: $id) {\n      events(first: $first, after: $after, last: $last, before: $before, kind: $kind, since: $since, until: $until, order: $order) {\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n        edges { cursor node { timestamp kind } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query UserEventsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $kind: String, $since: DateTime, $until: DateTime, $order: SortDirection) {\n    user(id: $id) {\n      events(first: $first, after: $after, last: $last, before: $before, kind: $kind, since: $since, until: $until, order: $order) {\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n        edges { cursor node { timestamp kind } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RankedUsersPage($first: Int, $after: String, $orderBy: UserOrder, $direction: SortDirection, $minDriftScore: Int, $search: String) {\n    users(first: $first, after: $after, orderBy: $orderBy, direction: $direction, minDriftScore: $minDriftScore, search: $search) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id eventCount drift { score } }\n    }\n  }\n"): (typeof documents)["\n  query RankedUsersPage($first: Int, $after: String, $orderBy: UserOrder, $direction: SortDirection, $minDriftScore: Int, $search: String) {\n    users(first: $first, after: $after, orderBy: $orderBy, direction: $direction, minDriftScore: $minDriftScore, search: $search) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id eventCount drift { score } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RiskByDay($days: Int!) {\n    user(id: \"mixed\") { riskByDay(days: $days) { day events maxDriftScore factors { code count } } }\n  }\n"): (typeof documents)["\n  query RiskByDay($days: Int!) {\n    user(id: \"mixed\") { riskByDay(days: $days) { day events maxDriftScore factors { code count } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query DriftAfterEachEvent {\n          user(id: \"mixed\") { events(order: ASC) { nodes { kind driftScore factors } } }\n        }\n      "): (typeof documents)["\n        query DriftAfterEachEvent {\n          user(id: \"mixed\") { events(order: ASC) { nodes { kind driftScore factors } } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query BrowserMix {\n          user(id: \"mixed\") { tokens(dimension: \"browser\") { value count } }\n        }\n      "): (typeof documents)["\n        query BrowserMix {\n          user(id: \"mixed\") { tokens(dimension: \"browser\") { value count } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query LatestEventId {\n          user(id: \"steady\") { latestEvent { id } }\n        }\n      "): (typeof documents)["\n        query LatestEventId {\n          user(id: \"steady\") { latestEvent { id } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query EventById($id: ID!) {\n        event(id: $id) { id kind user { id } }\n      }\n    "): (typeof documents)["\n      query EventById($id: ID!) {\n        event(id: $id) { id kind user { id } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query OverviewTotals {\n          overview { users events driftingUsers averageDriftScore lastEventAt }\n        }\n      "): (typeof documents)["\n        query OverviewTotals {\n          overview { users events driftingUsers averageDriftScore lastEventAt }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersPageWithEverything($first: Int!) {\n    users(first: $first) {\n      edges {\n        node {\n          id eventCount lastSeen\n          drift { score reasons { code label weight evidence } }\n          fingerprint { hash stability tokens latestTokens }\n          latestEvent { id kind timestamp ip device browser os meta }\n          risk { score level basis }\n          openAlerts { id level status }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query UsersPageWithEverything($first: Int!) {\n    users(first: $first) {\n      edges {\n        node {\n          id eventCount lastSeen\n          drift { score reasons { code label weight evidence } }\n          fingerprint { hash stability tokens latestTokens }\n          latestEvent { id kind timestamp ip device browser os meta }\n          risk { score level basis }\n          openAlerts { id level status }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RankedByRisk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {\n    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      nodes {\n        id\n        risk { score level scoreLevel basis }\n        openAlerts { id level status }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RankedByRisk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {\n    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      nodes {\n        id\n        risk { score level scoreLevel basis }\n        openAlerts { id level status }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpenAlertsOf($userId: ID!) {\n    alerts(userId: $userId, status: [OPEN, ACKNOWLEDGED]) { nodes { id level } }\n  }\n"): (typeof documents)["\n  query OpenAlertsOf($userId: ID!) {\n    alerts(userId: $userId, status: [OPEN, ACKNOWLEDGED]) { nodes { id level } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RankingSetStatus($id: ID!, $status: AlertStatus!) {\n    setAlertStatus(id: $id, status: $status) { id status }\n  }\n"): (typeof documents)["\n  mutation RankingSetStatus($id: ID!, $status: AlertStatus!) {\n    setAlertStatus(id: $id, status: $status) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventsWithMeta($id: ID!, $first: Int) {\n    user(id: $id) { events(first: $first) { edges { node { id kind meta } } } }\n  }\n"): (typeof documents)["\n  query EventsWithMeta($id: ID!, $first: Int) {\n    user(id: $id) { events(first: $first) { edges { node { id kind meta } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query HoarderEventCount {\n          user(id: \"hoarder\") { eventCount }\n        }\n      "): (typeof documents)["\n        query HoarderEventCount {\n          user(id: \"hoarder\") { eventCount }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CachedUser($id: ID!) {\n    user(id: $id) { eventCount drift { score } }\n  }\n"): (typeof documents)["\n  query CachedUser($id: ID!) {\n    user(id: $id) { eventCount drift { score } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query UncachedOverview {\n        overview { events }\n        users(first: 100) { nodes { id } }\n      }\n    "): (typeof documents)["\n      query UncachedOverview {\n        overview { events }\n        users(first: 100) { nodes { id } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LatestEventRisk($id: ID!) {\n    user(id: $id) {\n      risk { score level peak }\n      drift { score }\n      events(first: 1) { nodes { driftScore risk { score level scored signals { name score message evidence } } } }\n    }\n  }\n"): (typeof documents)["\n  query LatestEventRisk($id: ID!) {\n    user(id: $id) {\n      risk { score level peak }\n      drift { score }\n      events(first: 1) { nodes { driftScore risk { score level scored signals { name score message evidence } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlert($id: ID!) {\n    setAlertStatus(id: $id, status: ACKNOWLEDGED) { status }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeAlert($id: ID!) {\n    setAlertStatus(id: $id, status: ACKNOWLEDGED) { status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query RiskChart {\n          user(id: \"charted\") { riskByDay(days: 3) { day events maxRisk } }\n        }\n      "): (typeof documents)["\n        query RiskChart {\n          user(id: \"charted\") { riskByDay(days: 3) { day events maxRisk } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AcknowledgedAlerts {\n          alerts(status: [ACKNOWLEDGED]) { totalCount nodes { id status } }\n        }\n      "): (typeof documents)["\n        query AcknowledgedAlerts {\n          alerts(status: [ACKNOWLEDGED]) { totalCount nodes { id status } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AlertAsOcsf($id: ID!) {\n          alert(id: $id) { export(format: OCSF) }\n        }\n      "): (typeof documents)["\n        query AlertAsOcsf($id: ID!) {\n          alert(id: $id) { export(format: OCSF) }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation IngestNegativeAsn {\n          ingestEvent(input: { userId: \"mallory\", kind: \"login\", meta: { asn: -5 } }) {\n            __typename\n            ... on ValidationError { issues { field } }\n          }\n        }\n      "): (typeof documents)["\n        mutation IngestNegativeAsn {\n          ingestEvent(input: { userId: \"mallory\", kind: \"login\", meta: { asn: -5 } }) {\n            __typename\n            ... on ValidationError { issues { field } }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation IngestForSubscriber {\n          ingestEvent(input: { userId: \"via-gql\", kind: \"logout\" }) { __typename }\n        }\n      "): (typeof documents)["\n        mutation IngestForSubscriber {\n          ingestEvent(input: { userId: \"via-gql\", kind: \"logout\" }) { __typename }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query AnswersAfterOversizedInit {\n        overview { users }\n      }\n    "): (typeof documents)["\n      query AnswersAfterOversizedInit {\n        overview { users }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserVerdict($id: ID!) {\n    user(id: $id) {\n      verdict { kind confidence since evidence { message values } }\n    }\n  }\n"): (typeof documents)["\n  query UserVerdict($id: ID!) {\n    user(id: $id) {\n      verdict { kind confidence since evidence { message values } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccessCreateKey($role: Role!, $name: String) {\n    createApiKey(role: $role, name: $name) { key apiKey { id prefix role name } }\n  }\n"): (typeof documents)["\n  mutation AccessCreateKey($role: Role!, $name: String) {\n    createApiKey(role: $role, name: $name) { key apiKey { id prefix role name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccessRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"): (typeof documents)["\n  mutation AccessRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessListKeys {\n    apiKeys { id prefix role lastUsedAt revokedAt }\n  }\n"): (typeof documents)["\n  query AccessListKeys {\n    apiKeys { id prefix role lastUsedAt revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccessDeleteUser($id: ID!) {\n    deleteUser(id: $id) { userId events }\n  }\n"): (typeof documents)["\n  mutation AccessDeleteUser($id: ID!) {\n    deleteUser(id: $id) { userId events }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query AccessOverviewWithoutKey {\n        overview { users }\n      }\n    "): (typeof documents)["\n      query AccessOverviewWithoutKey {\n        overview { users }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query AccessReadAsProducer {\n        user(id: \"carol\") { id }\n      }\n    "): (typeof documents)["\n      query AccessReadAsProducer {\n        user(id: \"carol\") { id }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation AccessIngestAsProducer($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate } }\n      }\n    "): (typeof documents)["\n      mutation AccessIngestAsProducer($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation AccessIngestAndReadBack($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate event { ip meta risk { score } } } }\n      }\n    "): (typeof documents)["\n      mutation AccessIngestAndReadBack($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { duplicate event { ip meta risk { score } } } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation AccessIngestBatchAndReadBack($inputs: [EventInput!]!) {\n        ingestEvents(inputs: $inputs) { ... on IngestEventsPayload { stored events { meta } } }\n      }\n    "): (typeof documents)["\n      mutation AccessIngestBatchAndReadBack($inputs: [EventInput!]!) {\n        ingestEvents(inputs: $inputs) { ... on IngestEventsPayload { stored events { meta } } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation AccessIngestAndReadDrift($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { event { user { drift { score } } } } }\n      }\n    "): (typeof documents)["\n      mutation AccessIngestAndReadDrift($input: EventInput!) {\n        ingestEvent(input: $input) { ... on IngestEventPayload { event { user { drift { score } } } } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query AccessCachedUser {\n        user(id: \"carol\") { id eventCount }\n      }\n    "): (typeof documents)["\n      query AccessCachedUser {\n        user(id: \"carol\") { id eventCount }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query AccessViewerRole {\n        viewer { role }\n      }\n    "): (typeof documents)["\n      query AccessViewerRole {\n        viewer { role }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation AccessTriageAsAnalyst {\n          setAlertStatus(id: \"999\", status: RESOLVED) { id }\n        }\n      "): (typeof documents)["\n        mutation AccessTriageAsAnalyst {\n          setAlertStatus(id: \"999\", status: RESOLVED) { id }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n            query AccessAuditAsAnalyst {\n              auditLog { id }\n            }\n          "): (typeof documents)["\n            query AccessAuditAsAnalyst {\n              auditLog { id }\n            }\n          "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AccessAuditLog {\n          auditLog { actor action target details }\n        }\n      "): (typeof documents)["\n        query AccessAuditLog {\n          auditLog { actor action target details }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AccessLatestAudit {\n          auditLog(first: 2) { action target details }\n        }\n      "): (typeof documents)["\n        query AccessLatestAudit {\n          auditLog(first: 2) { action target details }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AccessAuditPage($first: Int, $before: ID) {\n      auditLog(first: $first, before: $before) { id }\n    }\n  "): (typeof documents)["\n    query AccessAuditPage($first: Int, $before: ID) {\n      auditLog(first: $first, before: $before) { id }\n    }\n  "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AccessKeysAndAuditUnchanged {\n          apiKeys { id }\n          auditLog { id }\n        }\n      "): (typeof documents)["\n        query AccessKeysAndAuditUnchanged {\n          apiKeys { id }\n          auditLog { id }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query AlertExports($id: ID!) {\n          alert(id: $id) { ecs: export(format: ECS) ocsf: export(format: OCSF) cef: export(format: CEF) }\n        }\n      "): (typeof documents)["\n        query AlertExports($id: ID!) {\n          alert(id: $id) { ecs: export(format: ECS) ocsf: export(format: OCSF) cef: export(format: CEF) }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestWhileBusy($e: EventInput!) {\n    ingestEvent(input: $e) { __typename }\n  }\n"): (typeof documents)["\n  mutation IngestWhileBusy($e: EventInput!) {\n    ingestEvent(input: $e) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation DeleteUserWithWebhookMessages {\n          deleteUser(id: \"frank\") { events }\n        }\n      "): (typeof documents)["\n        mutation DeleteUserWithWebhookMessages {\n          deleteUser(id: \"frank\") { events }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestWithLargeMeta($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n"): (typeof documents)["\n  mutation IngestWithLargeMeta($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestBatchWithLargeMeta($inputs: [EventInput!]!) {\n    ingestEvents(inputs: $inputs) {\n      __typename\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n"): (typeof documents)["\n  mutation IngestBatchWithLargeMeta($inputs: [EventInput!]!) {\n    ingestEvents(inputs: $inputs) {\n      __typename\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostgresUser($id: ID!) {\n    user(id: $id) { eventCount drift { score } risk { score } events(first: 5) { nodes { ip } } }\n  }\n"): (typeof documents)["\n  query PostgresUser($id: ID!) {\n    user(id: $id) { eventCount drift { score } risk { score } events(first: 5) { nodes { ip } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PostgresDeleteUser($id: ID!) {\n    deleteUser(id: $id) { events }\n  }\n"): (typeof documents)["\n  mutation PostgresDeleteUser($id: ID!) {\n    deleteUser(id: $id) { events }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostgresEventCount($id: ID!) {\n    user(id: $id) { eventCount }\n  }\n"): (typeof documents)["\n  query PostgresEventCount($id: ID!) {\n    user(id: $id) { eventCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query RetainedUser {\n        user(id: \"mixed\") { eventCount drift { score } }\n      }\n    "): (typeof documents)["\n      query RetainedUser {\n        user(id: \"mixed\") { eventCount drift { score } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query RetentionAudit {\n          auditLog { actor action details }\n        }\n      "): (typeof documents)["\n        query RetentionAudit {\n          auditLog { actor action details }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StreamsCreateKey($role: Role!) {\n    createApiKey(role: $role) { key apiKey { id } }\n  }\n"): (typeof documents)["\n  mutation StreamsCreateKey($role: Role!) {\n    createApiKey(role: $role) { key apiKey { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation StreamsRevokeKey($id: ID!) {\n        revokeApiKey(id: $id) { id }\n      }\n    "): (typeof documents)["\n      mutation StreamsRevokeKey($id: ID!) {\n        revokeApiKey(id: $id) { id }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query StreamsOrdinaryRequest {\n        overview { __typename }\n      }\n    "): (typeof documents)["\n      query StreamsOrdinaryRequest {\n        overview { __typename }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestUnderUserId($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on IngestEventPayload { event { user { id } } }\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n"): (typeof documents)["\n  mutation IngestUnderUserId($input: EventInput!) {\n    ingestEvent(input: $input) {\n      __typename\n      ... on IngestEventPayload { event { user { id } } }\n      ... on ValidationError { code issues { field message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query UserByAnySpelling($id: ID!) {\n        user(id: $id) { id eventCount }\n      }\n    "): (typeof documents)["\n      query UserByAnySpelling($id: ID!) {\n        user(id: $id) { id eventCount }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation DeleteUserByAnySpelling($id: ID!) {\n          deleteUser(id: $id) { userId events }\n        }\n      "): (typeof documents)["\n        mutation DeleteUserByAnySpelling($id: ID!) {\n          deleteUser(id: $id) { userId events }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        mutation ResolveAlertForWebhook($id: ID!) {\n          setAlertStatus(id: $id, status: RESOLVED) { id }\n        }\n      "): (typeof documents)["\n        mutation ResolveAlertForWebhook($id: ID!) {\n          setAlertStatus(id: $id, status: RESOLVED) { id }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TiedUsers($first: Int, $after: String, $search: String) {\n    users(first: $first, after: $after, orderBy: EVENT_COUNT, search: $search) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id }\n    }\n  }\n"): (typeof documents)["\n  query TiedUsers($first: Int, $after: String, $search: String) {\n    users(first: $first, after: $after, orderBy: EVENT_COUNT, search: $search) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;