import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/api-key.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { createKeys } from '../support/engine-under-test.ts';
import { gql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  const file = join(tmp.dir, 'keyed.db');
  [keys.producer, keys.analyst, keys.admin] = await createKeys(file, [
    ['producer', 'producer'],
    ['analyst', 'analyst'],
    ['admin', 'admin'],
  ]);
  server = await startApi(file);
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const as = (role: Role) => ({ authorization: `Bearer ${keys[role]}` });

const TRUST = graphql(`
  mutation AdjustmentsAccessTrust($userId: ID!, $value: String!) {
    trustForUser(userId: $userId, kind: NETWORK, value: $value, reason: "office") { id createdBy }
  }
`);
const REMOVE_TRUST = graphql(`
  mutation AdjustmentsAccessRemoveTrust($id: ID!) {
    removeTrust(id: $id) { id removedBy }
  }
`);
const ALLOW = graphql(`
  mutation AdjustmentsAccessAllow($value: String!) {
    createAllowListEntry(kind: ASN, value: $value, reason: "corp VPN") { id }
  }
`);
const REMOVE_ALLOW = graphql(`
  mutation AdjustmentsAccessRemoveAllow($id: ID!) {
    removeAllowListEntry(id: $id) { id }
  }
`);
const ALLOW_LIST = graphql(`
  query AdjustmentsAccessAllowList {
    allowList { id }
  }
`);
const MARK_FP = graphql(`
  mutation AdjustmentsAccessMarkFalsePositive($alertId: ID!) {
    markAlertFalsePositive(alertId: $alertId, reason: "known") { id }
  }
`);
const UNDO_FP = graphql(`
  mutation AdjustmentsAccessUndo($id: ID!) {
    undoFalsePositive(id: $id) { id }
  }
`);
const ADJUSTMENTS = graphql(`
  query AdjustmentsAccessOfUser($id: ID!) {
    user(id: $id) { adjustments { id } }
  }
`);
const AUDIT = graphql(`
  query AdjustmentsAccessAudit {
    auditLog(first: 50) { actor action target details }
  }
`);

const code = (result: { errors?: Array<{ extensions?: { code?: string } }> }) => result.errors?.[0]?.extensions?.code;

describe('who may adjust scoring', () => {
  it('lets analysts trust and mark false positives, admins keep the allow-list, producers nothing', async () => {
    const ingest = await server.post(
      '/ingest',
      { user_id: 'keyed-user', kind: 'login', meta: { ip: '81.2.69.10' } },
      as('producer'),
    );
    expect(ingest.status).toBe(200);

    const variables = { userId: 'keyed-user', value: 'AS3320' };
    expect(code(await gql(server, TRUST, variables, as('producer')))).toBe('FORBIDDEN');
    const trusted = await gql(server, TRUST, variables, as('analyst'));
    expect(trusted.errors).toBeUndefined();
    const id = trusted.data?.trustForUser.id ?? '';
    expect(trusted.data?.trustForUser.createdBy).toMatch(/^key:\d+ \(pd_/);
    expect(code(await gql(server, ADJUSTMENTS, { id: 'keyed-user' }, as('producer')))).toBe('FORBIDDEN');
    expect((await gql(server, ADJUSTMENTS, { id: 'keyed-user' }, as('analyst'))).data?.user?.adjustments).toEqual([
      { id },
    ]);
    expect(code(await gql(server, REMOVE_TRUST, { id }, as('producer')))).toBe('FORBIDDEN');
    expect((await gql(server, REMOVE_TRUST, { id }, as('analyst'))).errors).toBeUndefined();

    expect(code(await gql(server, MARK_FP, { alertId: '1' }, as('producer')))).toBe('FORBIDDEN');
    expect(code(await gql(server, MARK_FP, { alertId: '1' }, as('analyst')))).toBe('NOT_FOUND');
    expect(code(await gql(server, UNDO_FP, { id: '1' }, as('producer')))).toBe('FORBIDDEN');

    expect(code(await gql(server, ALLOW, { value: 'AS1' }, as('analyst')))).toBe('FORBIDDEN');
    const created = await gql(server, ALLOW, { value: 'AS1' }, as('admin'));
    expect(created.errors).toBeUndefined();
    const allowId = created.data?.createAllowListEntry.id ?? '';
    expect((await gql(server, ALLOW_LIST, {}, as('analyst'))).data?.allowList).toEqual([{ id: allowId }]);
    expect(code(await gql(server, ALLOW_LIST, {}, as('producer')))).toBe('FORBIDDEN');
    expect(code(await gql(server, REMOVE_ALLOW, { id: allowId }, as('analyst')))).toBe('FORBIDDEN');
    expect((await gql(server, REMOVE_ALLOW, { id: allowId }, as('admin'))).errors).toBeUndefined();

    const audit = (await gql(server, AUDIT, {}, as('admin'))).data?.auditLog ?? [];
    expect(audit.map((entry) => entry.action).slice(0, 4)).toEqual([
      'allow.removed',
      'allow.created',
      'trust.removed',
      'trust.created',
    ]);
    expect(audit[3]).toMatchObject({
      actor: expect.stringMatching(/^key:\d+ \(pd_/),
      target: 'user:keyed-user',
      details: { kind: 'network', value: 'AS3320', reason: 'office' },
    });
  });
});
