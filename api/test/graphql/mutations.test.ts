import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestOneEventMutationVariables } from '../generated/graphql.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql, ofType } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'mutations.db'), { MAX_BATCH_EVENTS: '3' });
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const INGEST = graphql(`
  mutation IngestOneEvent($input: EventInput!) {
    ingestEvent(input: $input) {
      __typename
      ... on IngestEventPayload { duplicate event { id kind timestamp browser os ip ipClass device meta user { id eventCount } } }
      ... on ValidationError { message code issues { field path message } }
    }
  }
`);

const INGEST_MANY = graphql(`
  mutation IngestEventBatch($inputs: [EventInput!]!) {
    ingestEvents(inputs: $inputs) {
      __typename
      ... on IngestEventsPayload { count stored duplicates events { id user { id } } }
      ... on ValidationError { message issues { field message } }
    }
  }
`);

const STORED_EVENTS = graphql(`
  query StoredEventCount {
    overview { events }
  }
`);

async function storedEvents(): Promise<number> {
  const { data } = await gql(server, STORED_EVENTS);
  return data?.overview.events ?? -1;
}

describe('Mutation.ingestEvent', () => {
  it('stores an event through the same path as REST and returns it', async () => {
    const { data, errors } = await gql(server, INGEST, {
      input: {
        userId: 'gq',
        kind: 'login',
        timestamp: '2024-06-01T10:00:00+02:00',
        meta: {
          browser: ' Firefox ',
          os: 'Linux',
          ip: '::ffff:10.1.2.3',
          devType: 'Laptop',
          userAgent: 'Mozilla/5.0',
          extra: { app: 'vpn' },
        },
      },
    });
    expect(errors).toBeUndefined();
    expect(data?.ingestEvent).toEqual({
      __typename: 'IngestEventPayload',
      duplicate: false,
      event: {
        id: expect.any(String),
        kind: 'login',
        timestamp: '2024-06-01T08:00:00.000Z',
        browser: 'firefox',
        os: 'linux',
        ip: '10.1.2.3',
        ipClass: '10.1.2.0/24',
        device: 'laptop',
        meta: {
          app: 'vpn',
          browser: ' Firefox ',
          os: 'Linux',
          ip: '::ffff:10.1.2.3',
          dev_type: 'Laptop',
          user_agent: 'Mozilla/5.0',
        },
        user: { id: 'gq', eventCount: 1 },
      },
    });
    // The REST shim sees it too.
    expect(await (await server.fetch('/drift/gq')).json()).toEqual({ events: 1, drift_score: 0, reasons: [] });
  });

  it('answers a retried eventId as a duplicate, pointing at the stored event', async () => {
    const input = { userId: 'gq-retry', kind: 'login', eventId: 'e-1', timestamp: 1717236000000 };
    const first = await gql(server, INGEST, { input });
    const again = await gql(server, INGEST, { input });
    const stored = ofType(first.data?.ingestEvent, 'IngestEventPayload');
    const retried = ofType(again.data?.ingestEvent, 'IngestEventPayload');
    expect(retried.duplicate).toBe(true);
    expect(retried.event?.id).toBe(stored.event!.id);
    expect(await (await server.fetch('/profiles')).json()).toMatchObject({ 'gq-retry': 1 });
  });

  // Every argument of the mutation, each with a value the domain rejects.
  it.each([
    [{ userId: '' }, 'input.userId', 'must not be empty'],
    [{ userId: '   ' }, 'input.userId', 'must not be empty'],
    [{ userId: 'u'.repeat(300) }, 'input.userId', 'at most 256'],
    [{ kind: '' }, 'input.kind', 'must not be empty'],
    [{ kind: 'k'.repeat(65) }, 'input.kind', 'at most 64'],
    [{ timestamp: 'yesterday' }, 'input.timestamp', 'ISO-8601'],
    [{ timestamp: -5 }, 'input.timestamp', 'between'],
    [{ timestamp: '2024-02-30T00:00:00Z' }, 'input.timestamp', 'not a real date'],
    [{ eventId: 'e'.repeat(129) }, 'input.eventId', 'at most 128'],
    [{ meta: { ip: '10.0.0.256' } }, 'input.meta.ip', 'not a valid IPv4 or IPv6'],
    [{ meta: { browser: 'b'.repeat(257) } }, 'input.meta.browser', 'at most 256'],
    [{ meta: { os: 'o'.repeat(257) } }, 'input.meta.os', 'at most 256'],
    [{ meta: { device: 'd'.repeat(257) } }, 'input.meta.device', 'at most 256'],
    [{ meta: { devType: 'd'.repeat(257) } }, 'input.meta.devType', 'at most 256'],
    [{ meta: { extra: { ip: 'not-an-ip' } } }, 'input.meta.ip', 'not a valid IPv4 or IPv6'],
  ])('rejects %j with a ValidationError at %s and stores nothing', async (change, field, message) => {
    const before = await storedEvents();
    const { data, errors } = await gql(server, INGEST, { input: { userId: 'bad', kind: 'login', ...change } });
    expect(errors).toBeUndefined();
    const payload = ofType(data?.ingestEvent, 'ValidationError');
    expect(payload.code).toBe('BAD_USER_INPUT');
    const issue = payload.issues.find((i) => i.field === field);
    expect(issue?.message).toContain(message);
    expect(issue?.path).toEqual(field.split('.'));
    expect(await storedEvents()).toBe(before);
  });

  it.each([
    ['a missing userId', { kind: 'login' }],
    ['a missing kind', { userId: 'x' }],
    ['a non-string kind', { userId: 'x', kind: 7 }],
    ['a boolean timestamp', { userId: 'x', kind: 'k', timestamp: true }],
    ['meta.extra that is not an object', { userId: 'x', kind: 'k', meta: { extra: [1, 2] } }],
    ['an unknown field', { userId: 'x', kind: 'k', colour: 'red' }],
  ])('refuses %s with BAD_USER_INPUT before running', async (_name, input) => {
    const before = await storedEvents();
    // Variables the schema refuses, on purpose.
    const res = await gql(server, INGEST, { input } as unknown as IngestOneEventMutationVariables);
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('$input');
    expect(await storedEvents()).toBe(before);
  });
});

describe('Mutation.ingestEvents', () => {
  it('stores a batch atomically and counts duplicates', async () => {
    const { data } = await gql(server, INGEST_MANY, {
      inputs: [
        { userId: 'batch', kind: 'login', eventId: 'a' },
        { userId: 'batch', kind: 'login', eventId: 'a' },
        { userId: 'batch2', kind: 'login' },
      ],
    });
    expect(data?.ingestEvents).toMatchObject({ __typename: 'IngestEventsPayload', count: 3, stored: 2, duplicates: 1 });
    expect(ofType(data?.ingestEvents, 'IngestEventsPayload').events?.map((e) => e.user.id)).toEqual([
      'batch',
      'batch2',
    ]);
  });

  it('names the bad event by index and stores none of the batch', async () => {
    const before = await storedEvents();
    const { data } = await gql(server, INGEST_MANY, {
      inputs: [
        { userId: 'atomic', kind: 'login' },
        { userId: 'atomic', kind: 'login', meta: { ip: 'nope' } },
        { userId: '', kind: 'login' },
      ],
    });
    expect(ofType(data?.ingestEvents, 'ValidationError').issues.map((i) => i.field)).toEqual([
      'inputs[1].meta.ip',
      'inputs[2].userId',
    ]);
    expect(await storedEvents()).toBe(before);
    expect((await server.fetch('/drift/atomic')).status).toBe(404);
  });

  it('refuses an empty batch and one over the limit', async () => {
    const before = await storedEvents();
    const empty = await gql(server, INGEST_MANY, { inputs: [] });
    expect(ofType(empty.data?.ingestEvents, 'ValidationError').issues).toEqual([
      { field: 'inputs', message: 'a batch must contain at least one event' },
    ]);
    const many = await gql(server, INGEST_MANY, {
      inputs: Array.from({ length: 4 }, () => ({ userId: 'many', kind: 'login' })),
    });
    expect(ofType(many.data?.ingestEvents, 'ValidationError').issues).toEqual([
      { field: 'inputs', message: 'at most 3 events per request' },
    ]);
    expect(await storedEvents()).toBe(before);
  });
});
