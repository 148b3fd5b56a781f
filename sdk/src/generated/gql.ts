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
    "query SdkUser($id: ID!) {\n  user(id: $id) {\n    id\n    eventCount\n    firstSeen\n    lastSeen\n    risk {\n      score\n      level\n      scoreLevel\n      basis\n    }\n    verdict {\n      kind\n      confidence\n      since\n      evidence {\n        message\n      }\n    }\n    drift {\n      score\n      reasons {\n        label\n      }\n    }\n    openAlerts {\n      id\n      level\n      score\n      status\n    }\n  }\n}\n\nquery SdkUsersAtRisk($first: Int!, $after: String) {\n  users(first: $first, after: $after, orderBy: RISK) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      risk {\n        score\n        level\n        basis\n      }\n      verdict {\n        kind\n      }\n    }\n  }\n}\n\nquery SdkUserEvents($id: ID!, $first: Int!, $after: String) {\n  user(id: $id) {\n    id\n    events(first: $first, after: $after, order: ASC) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        eventId\n        kind\n        timestamp\n        receivedAt\n        ip\n        browser\n        os\n        device\n        meta\n        risk {\n          score\n          level\n          signals {\n            name\n            score\n            message\n          }\n        }\n      }\n    }\n  }\n}\n\nsubscription SdkAlertChanged($format: AlertExportFormat!) {\n  alertChanged {\n    id\n    status\n    level\n    score\n    user {\n      id\n    }\n    export(format: $format)\n  }\n}": typeof types.SdkUserDocument,
};
const documents: Documents = {
    "query SdkUser($id: ID!) {\n  user(id: $id) {\n    id\n    eventCount\n    firstSeen\n    lastSeen\n    risk {\n      score\n      level\n      scoreLevel\n      basis\n    }\n    verdict {\n      kind\n      confidence\n      since\n      evidence {\n        message\n      }\n    }\n    drift {\n      score\n      reasons {\n        label\n      }\n    }\n    openAlerts {\n      id\n      level\n      score\n      status\n    }\n  }\n}\n\nquery SdkUsersAtRisk($first: Int!, $after: String) {\n  users(first: $first, after: $after, orderBy: RISK) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      risk {\n        score\n        level\n        basis\n      }\n      verdict {\n        kind\n      }\n    }\n  }\n}\n\nquery SdkUserEvents($id: ID!, $first: Int!, $after: String) {\n  user(id: $id) {\n    id\n    events(first: $first, after: $after, order: ASC) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        eventId\n        kind\n        timestamp\n        receivedAt\n        ip\n        browser\n        os\n        device\n        meta\n        risk {\n          score\n          level\n          signals {\n            name\n            score\n            message\n          }\n        }\n      }\n    }\n  }\n}\n\nsubscription SdkAlertChanged($format: AlertExportFormat!) {\n  alertChanged {\n    id\n    status\n    level\n    score\n    user {\n      id\n    }\n    export(format: $format)\n  }\n}": types.SdkUserDocument,
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
export function graphql(source: "query SdkUser($id: ID!) {\n  user(id: $id) {\n    id\n    eventCount\n    firstSeen\n    lastSeen\n    risk {\n      score\n      level\n      scoreLevel\n      basis\n    }\n    verdict {\n      kind\n      confidence\n      since\n      evidence {\n        message\n      }\n    }\n    drift {\n      score\n      reasons {\n        label\n      }\n    }\n    openAlerts {\n      id\n      level\n      score\n      status\n    }\n  }\n}\n\nquery SdkUsersAtRisk($first: Int!, $after: String) {\n  users(first: $first, after: $after, orderBy: RISK) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      risk {\n        score\n        level\n        basis\n      }\n      verdict {\n        kind\n      }\n    }\n  }\n}\n\nquery SdkUserEvents($id: ID!, $first: Int!, $after: String) {\n  user(id: $id) {\n    id\n    events(first: $first, after: $after, order: ASC) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        eventId\n        kind\n        timestamp\n        receivedAt\n        ip\n        browser\n        os\n        device\n        meta\n        risk {\n          score\n          level\n          signals {\n            name\n            score\n            message\n          }\n        }\n      }\n    }\n  }\n}\n\nsubscription SdkAlertChanged($format: AlertExportFormat!) {\n  alertChanged {\n    id\n    status\n    level\n    score\n    user {\n      id\n    }\n    export(format: $format)\n  }\n}"): (typeof documents)["query SdkUser($id: ID!) {\n  user(id: $id) {\n    id\n    eventCount\n    firstSeen\n    lastSeen\n    risk {\n      score\n      level\n      scoreLevel\n      basis\n    }\n    verdict {\n      kind\n      confidence\n      since\n      evidence {\n        message\n      }\n    }\n    drift {\n      score\n      reasons {\n        label\n      }\n    }\n    openAlerts {\n      id\n      level\n      score\n      status\n    }\n  }\n}\n\nquery SdkUsersAtRisk($first: Int!, $after: String) {\n  users(first: $first, after: $after, orderBy: RISK) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      risk {\n        score\n        level\n        basis\n      }\n      verdict {\n        kind\n      }\n    }\n  }\n}\n\nquery SdkUserEvents($id: ID!, $first: Int!, $after: String) {\n  user(id: $id) {\n    id\n    events(first: $first, after: $after, order: ASC) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        eventId\n        kind\n        timestamp\n        receivedAt\n        ip\n        browser\n        os\n        device\n        meta\n        risk {\n          score\n          level\n          signals {\n            name\n            score\n            message\n          }\n        }\n      }\n    }\n  }\n}\n\nsubscription SdkAlertChanged($format: AlertExportFormat!) {\n  alertChanged {\n    id\n    status\n    level\n    score\n    user {\n      id\n    }\n    export(format: $format)\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;