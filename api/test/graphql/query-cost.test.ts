import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';
import { pick, seededRandom } from '../support/random.ts';

const tmp = tempDir();
let server: RunningApi;
const statements: string[] = [];

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'cost.db'), {}, { onQuery: (sql) => statements.push(sql) });
  const random = seededRandom(3);
  const events = Array.from({ length: 600 }, (_, i) => ({
    user_id: `user-${String(i % 60).padStart(2, '0')}`,
    kind: pick(random, ['login', 'logout']),
    timestamp: 1_700_000_000_000 + i * 1000,
    meta: {
      browser: pick(random, ['chrome', 'firefox', 'safari']),
      os: pick(random, ['windows', 'macos', 'ios']),
      ip: `${pick(random, ['10', '172', '192'])}.1.${Math.floor(random() * 4)}.9`,
      device: pick(random, ['laptop', 'phone']),
    },
  }));
  expect((await server.post('/ingest', events)).status).toBe(200);
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const PAGE = graphql(`
  query UsersPageWithEverything($first: Int!) {
    users(first: $first) {
      edges {
        node {
          id eventCount lastSeen
          drift { score reasons { code label weight evidence } }
          fingerprint { hash stability tokens latestTokens }
          latestEvent { id kind timestamp ip device browser os meta }
          risk { score level basis }
          openAlerts { id level status }
        }
      }
    }
  }
`);

async function statementsFor(first: number): Promise<string[]> {
  statements.length = 0;
  const { data, errors } = await gql(server, PAGE, { first });
  expect(errors).toBeUndefined();
  expect(data?.users.edges).toHaveLength(first);
  expect(data?.users.edges.every((edge) => edge.node.latestEvent !== null)).toBe(true);
  return [...statements];
}

describe('query cost', () => {
  it('reads a page of 50 users with drift, fingerprint, latest event, risk and open alerts in a small, constant number of statements', async () => {
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    // The page, evidence tokens, latest events, and open alerts (through one batched user read).
    expect(fifty.length, fifty.join('\n')).toBeLessThanOrEqual(5);
    expect(fifty.length).toBe(five.length);
    expect(fifty.length, 'the statement counter hears nothing').toBeGreaterThan(0);
  });
});
