import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'verdict.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 9, 5); // a Monday
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

const BERLIN_HOME = { ip: '81.2.69.10', country: 'DE', city: 'Berlin', asn: 3320, lat: 52.52, lon: 13.405 };
const MUNICH_HOME = { ip: '88.64.12.9', country: 'DE', city: 'Munich', asn: 6805, lat: 48.137, lon: 11.575 };
const BERLIN_MOBILE = {
  ip: '109.40.1.7',
  country: 'DE',
  city: 'Berlin',
  asn: 3209,
  lat: 52.52,
  lon: 13.405,
  network_type: 'mobile',
};
const LAGOS = { ip: '102.89.3.7', country: 'NG', city: 'Lagos', asn: 37148, lat: 6.45, lon: 3.39 };

let sequence = 0;
function event(userId: string, at: number, meta: Record<string, unknown>, kind = 'login') {
  sequence += 1;
  return { user_id: userId, kind, event_id: `v${sequence}`, timestamp: at, meta: { success: true, ...meta } };
}

/** The owner: the laptop at home every evening for four weeks. */
function owner(userId: string, days = 28) {
  return Array.from({ length: days }, (_, day) =>
    event(userId, START + day * DAY + 19 * HOUR, { ...BERLIN_HOME, user_agent: CHROME_WINDOWS }),
  );
}

async function ingest(events: unknown[]) {
  const res = await server.post('/ingest', events);
  expect(res.status).toBe(200);
}

const USER_VERDICT = graphql(`
  query UserVerdict($id: ID!) {
    user(id: $id) {
      verdict { kind confidence since evidence { message values } }
    }
  }
`);

async function verdictOverGraphQL(userId: string) {
  const { data, errors } = await gql(server, USER_VERDICT, { id: userId });
  expect(errors).toBeUndefined();
  return data?.user?.verdict ?? null;
}

async function verdictOverRest(userId: string) {
  const res = await server.fetch(`/verdict/${encodeURIComponent(userId)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { verdict: Record<string, unknown> | null }).verdict;
}

describe('verdicts end to end', () => {
  it('a shared account (two people in two cities alternating daily over three weeks) gets `sharing`', async () => {
    const other = Array.from({ length: 21 }, (_, n) => 7 + n)
      .filter((day) => day % 4 !== 1)
      .map((day) => event('shared', START + day * DAY + 20 * HOUR, { ...MUNICH_HOME, user_agent: SAFARI_MAC }));
    await ingest([...owner('shared'), ...other].sort((a, b) => a.timestamp - b.timestamp));

    const verdict = await verdictOverGraphQL('shared');
    expect(verdict).toMatchObject({ kind: 'SHARING', since: new Date(START + 7 * DAY + 20 * HOUR).toISOString() });
    expect(verdict?.confidence).toBeGreaterThanOrEqual(0.6);
    const places = verdict?.evidence.find((evidence) => evidence.message.startsWith('Used from two places'));
    expect(places?.values).toMatchObject({ firstNetwork: 'AS3320', secondNetwork: 'AS6805', secondCountry: 'DE' });

    expect(await verdictOverRest('shared')).toEqual({
      kind: 'sharing',
      confidence: verdict?.confidence,
      since: verdict?.since,
      evidence: verdict?.evidence,
    });
  });

  it('a habitual user with a laptop at home and a phone on mobile data gets none', async () => {
    const phone = Array.from({ length: 28 }, (_, day) =>
      event('habitual', START + day * DAY + 8 * HOUR, { ...BERLIN_MOBILE, user_agent: SAFARI_IPHONE }),
    );
    await ingest([...owner('habitual'), ...phone].sort((a, b) => a.timestamp - b.timestamp));
    expect(await verdictOverGraphQL('habitual')).toBeNull();
    expect(await verdictOverRest('habitual')).toBeNull();
  });

  it('a takeover that changes the password gets `takeover`, from when the intruder first got in', async () => {
    const attack = START + 28 * DAY + 2 * HOUR;
    await ingest(owner('victim'));
    await ingest([
      event('victim', attack, { ...LAGOS, user_agent: FIREFOX_LINUX }),
      event('victim', attack + 10 * 60_000, { ...LAGOS, user_agent: FIREFOX_LINUX }, 'password_change'),
    ]);
    const verdict = await verdictOverGraphQL('victim');
    expect(verdict).toMatchObject({ kind: 'TAKEOVER', since: new Date(attack).toISOString() });
    expect(verdict?.confidence).toBeGreaterThanOrEqual(0.7);
    expect(verdict?.evidence[0]?.message).toMatch(/^Sensitive actions \(password_change\) 0\.2 h after/);
    expect(verdict?.evidence[0]?.values).toMatchObject({ sensitive: 'password_change', personaCountry: 'NG' });
    expect(await verdictOverRest('victim')).toMatchObject({ kind: 'takeover', since: new Date(attack).toISOString() });
  });

  it('REST answers 404 for an unknown user, as the other user routes do', async () => {
    const res = await server.fetch('/verdict/nobody-at-all');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: 'not_found' });
  });
});
