import {
  SdkAlertChangedDocument,
  type SdkAlertChangedSubscription,
  SdkUserDocument,
  SdkUserEventsDocument,
  type SdkUserEventsQuery,
  type SdkUserQuery,
  SdkUsersAtRiskDocument,
  type SdkUsersAtRiskQuery,
} from './generated/graphql.ts';
import { type BatchResult, Producer, type ProducerOptions } from './producer.ts';
import { Reader } from './reader.ts';

export type { ProducerEvent } from './events.ts';
export * as operations from './generated/graphql.ts';
export type { Connection } from './http.ts';
export { type BatchResult, IngestError, Producer, type ProducerOptions, QueueFull } from './producer.ts';
export { GraphQLRequestError, Reader } from './reader.ts';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';

export type UserSummary = NonNullable<SdkUserQuery['user']>;
export type UsersAtRiskPage = SdkUsersAtRiskQuery['users'];
export type ExportedEvent = NonNullable<SdkUserEventsQuery['user']>['events']['nodes'][number];
export type AlertChange = SdkAlertChangedSubscription['alertChanged'];

/**
 * One client for producers and readers: `send`/`sendBatch` for events,
 * typed GraphQL reads and the live alert stream.
 */
export class PersonaDrift {
  readonly producer: Producer;
  readonly reader: Reader;

  constructor(options: ProducerOptions) {
    this.producer = new Producer(options);
    this.reader = new Reader(options);
  }

  send(...args: Parameters<Producer['send']>): Promise<void> {
    return this.producer.send(...args);
  }

  sendBatch(...args: Parameters<Producer['sendBatch']>): Promise<BatchResult> {
    return this.producer.sendBatch(...args);
  }

  flush(): Promise<void> {
    return this.producer.flush();
  }

  close(): Promise<void> {
    return this.producer.close();
  }

  /** A user's risk, verdict, drift and open alerts; null for an unknown user. */
  async user(id: string): Promise<UserSummary | null> {
    return (await this.reader.request(SdkUserDocument, { id })).user ?? null;
  }

  /** A page of users, who is at risk first. */
  async usersAtRisk(first: number, after?: string | null): Promise<UsersAtRiskPage> {
    return (await this.reader.request(SdkUsersAtRiskDocument, { first, after: after ?? null })).users;
  }

  /** Every stored event of a user, oldest first, read page by page (50 a page keeps within the API's cost limit). */
  async *events(userId: string, pageSize = 50): AsyncGenerator<ExportedEvent> {
    let after: string | null = null;
    for (;;) {
      const { user }: SdkUserEventsQuery = await this.reader.request(SdkUserEventsDocument, {
        id: userId,
        first: pageSize,
        after,
      });
      if (!user) return;
      yield* user.events.nodes;
      if (!user.events.pageInfo.hasNextPage) return;
      after = user.events.pageInfo.endCursor ?? null;
    }
  }

  /** Alerts as they open, extend or are triaged, each with its ECS, OCSF or CEF export; until `signal` aborts. */
  alerts(format: 'ECS' | 'OCSF' | 'CEF', signal?: AbortSignal): AsyncGenerator<AlertChange> {
    const changes = this.reader.subscribe(SdkAlertChangedDocument, { format }, signal);
    return (async function* () {
      for await (const change of changes) yield change.alertChanged;
    })();
  }
}
