import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../../api/test/support/api.ts';
import { PersonaDrift } from '../src/index.ts';

const tmp = tempDir();
let busy: RunningApi;

beforeAll(async () => {
  // One request a second, two at once: most of a quick run is answered 429 with Retry-After.
  busy = await startApi(join(tmp.dir, 'busy.db'), { RATE_LIMIT_PER_IP: '1' });
});

afterAll(async () => {
  await busy.stop();
  tmp.cleanup();
});

const login = (userId: string, n: number) => ({
  userId,
  kind: 'login',
  timestamp: Date.UTC(2026, 10, 1) + n * 60_000,
  meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' },
});

describe('the producer SDK against a busy server', () => {
  it('waits as Retry-After says and gets every event in', async () => {
    const statuses: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    };
    const client = new PersonaDrift({ url: busy.url, fetch: counting, batchSize: 1 });
    const result = await client.sendBatch([1, 2, 3, 4].map((n) => login('patient', n)));
    expect(result).toEqual({ count: 4, duplicates: 0 });
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200)).toHaveLength(4);
  });
});
