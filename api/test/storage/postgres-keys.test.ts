import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyHash } from '../../src/domain/api-key.ts';
import { AccessControl } from '../../src/services/access.ts';
import { PostgresKeyStore } from '../../src/storage/postgres/key-store.ts';
import { PostgresFixture } from '../support/postgres.ts';
import { waitFor } from '../support/wait.ts';

// API keys and the audit log on PostgreSQL, as two API nodes on one database see them.

const postgres = new PostgresFixture();
const stores: PostgresKeyStore[] = [];

beforeAll(async () => {
  await postgres.start();
}, 600_000);

afterAll(async () => {
  for (const store of stores) store.stop();
  await postgres.stop();
});

async function twoNodes() {
  const url = await postgres.migratedDatabase('keys');
  const [a, b] = await Promise.all([
    PostgresKeyStore.open(postgres.pool(url)),
    PostgresKeyStore.open(postgres.pool(url)),
  ]);
  stores.push(a, b);
  return { a, b };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('API keys on PostgreSQL', () => {
  it('creates, finds, lists and revokes keys, each change audited in its transaction', async () => {
    const { a } = await twoNodes();
    const { key, record } = await a.create('analyst', 'siem', 'cli', Date.UTC(2026, 11, 1));
    expect(record).toEqual({
      id: 1,
      prefix: key.slice(0, 11),
      role: 'analyst',
      name: 'siem',
      createdAt: Date.UTC(2026, 11, 1),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(a.findByHash(keyHash(key))).toEqual(record);
    expect(await a.list()).toEqual([record]);
    expect([a.activeCount(), a.totalCount()]).toEqual([1, 1]);

    const revoked = await a.revoke(record.id, 'key:9 (pd_admin000)', Date.UTC(2026, 11, 2));
    expect(revoked?.revokedAt).toBe(Date.UTC(2026, 11, 2));
    expect(a.findByHash(keyHash(key))).toBeNull();
    // Revoking again changes nothing and audits nothing; an unknown key is null.
    expect(await a.revoke(record.id, 'cli')).toEqual(revoked);
    expect(await a.revoke(404, 'cli')).toBeNull();
    expect([a.activeCount(), a.totalCount()]).toEqual([0, 1]);

    const log = await a.auditLog(10);
    expect(log.map(({ action, target, actor }) => ({ action, target, actor }))).toEqual([
      { action: 'key.revoked', target: 'key:1', actor: 'key:9 (pd_admin000)' },
      { action: 'key.created', target: 'key:1', actor: 'cli' },
    ]);
    expect(log[1]?.details).toEqual({ role: 'analyst', name: 'siem', prefix: record.prefix });
    expect((await a.auditLog(10, log[0]?.id)).map((entry) => entry.action)).toEqual(['key.created']);
  });

  it('lets every node admit a key created on one, and refuse it within a second of its revocation on another', async () => {
    const { a, b } = await twoNodes();
    const onB = new AccessControl(b, { loopback: false, allowOpenAccess: false });
    // No key yet: nothing gets in on a reachable address.
    expect(onB.mode()).toBe('locked');

    const { key, record } = await a.create('producer', null, 'cli');
    await waitFor(() => b.findByHash(keyHash(key)) !== null, 'node B to learn of the key', 10_000);
    await waitFor(() => onB.mode() === 'keys', 'node B to require keys', 10_000);
    const admitted = onB.authenticate(bearer(key));
    expect(admitted).toEqual({ ok: true, principal: { role: 'producer', keyId: record.id, prefix: record.prefix } });

    await b.revoke(record.id, 'cli');
    await waitFor(() => a.findByHash(keyHash(key)) === null, 'node A to learn of the revocation', 10_000);
    expect(a.get(record.id)?.revokedAt).not.toBeNull();
    onB.changed();
    expect(onB.authenticate(bearer(key))).toMatchObject({ ok: false });
    onB.stop();
  });

  it('records when a key was last used', async () => {
    const { a } = await twoNodes();
    const { record } = await a.create('admin', null, 'cli');
    a.touch(record.id, Date.UTC(2026, 11, 3, 12));
    await waitFor(async () => (await a.list())[0]?.lastUsedAt === Date.UTC(2026, 11, 3, 12), 'lastUsedAt written');
  });
});
