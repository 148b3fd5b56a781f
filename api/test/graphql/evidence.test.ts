import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'evidence.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const DRIFT_EVIDENCE = graphql(`
  query DriftEvidence($id: ID!) {
    user(id: $id) { drift { reasons { code evidence } } }
  }
`);

describe('drift evidence', () => {
  it('lists at most 20 values per reason, most frequent first, however many a user has', async () => {
    // 30 networks, the first one seen three times and the second twice.
    const nets = Array.from({ length: 30 }, (_, n) => `10.0.${n}.1`);
    const ips = [nets[0], nets[0], nets[1], ...nets];
    const events = ips.map((ip) => ({ user_id: 'roamer', kind: 'login', meta: { ip } }));
    expect((await server.post('/ingest', events)).status).toBe(200);
    const { data } = await gql(server, DRIFT_EVIDENCE, { id: 'roamer' });
    const ipReason = data?.user?.drift.reasons.find((reason) => reason.code === 'MULTIPLE_IPS');
    expect(ipReason?.evidence).toHaveLength(20);
    // Then ties in value order, as strings: 10.0.10, 10.0.11, …
    expect(ipReason?.evidence.slice(0, 4)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.10.0/24', '10.0.11.0/24']);
  });
});
