import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

// The real API with the bundled address databases and network lists: producers
// send only the address and the user agent, as most do.
const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'anonymous-network.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 5, 8, 0); // a Monday, 08:00 UTC
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
/** Deutsche Telekom broadband (AS3320, DE): an ordinary ISP. */
const HOME_IP = '2.160.7.10';
/** A NordVPN exit (PacketHub, AS136787) in the Netherlands. */
const VPN_IP = '45.141.23.10';

let sequence = 0;
function login(userId: string, at: number, ip: string, extra: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    user_id: userId,
    kind: 'login',
    event_id: `a${sequence}`,
    timestamp: at,
    meta: { ip, user_agent: CHROME_WINDOWS, success: true, ...extra },
  };
}

/** Twenty days of weekday-morning logins from one address, on the user's own laptop. */
const history = (userId: string, ip: string) =>
  Array.from({ length: 20 }, (_, day) => login(userId, START + day * DAY, ip));

async function ingest(body: unknown) {
  const res = await server.post('/ingest', body);
  expect(res.status).toBe(200);
}

async function alertsOf(userId: string) {
  const res = await server.fetch(`/alerts?user_id=${encodeURIComponent(userId)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { alerts: Array<{ status: string; signals: Signal[] }> }).alerts;
}

interface Signal {
  name: string;
  score: number;
  evidence: Record<string, unknown>;
}

/** The newest event's v2 score and signals, over GraphQL. */
async function latestRisk(userId: string): Promise<{ score: number; signals: Signal[] }> {
  const res = await server.post('/graphql', {
    query:
      'query Latest($id: ID!) { user(id: $id) { events(first: 1) { nodes { risk { score signals { name score evidence } } } } } }',
    variables: { id: userId },
  });
  const body = (await res.json()) as {
    data?: { user: { events: { nodes: Array<{ risk: { score: number; signals: Signal[] } }> } } | null };
  };
  const risk = body.data?.user?.events.nodes[0]?.risk;
  if (risk === undefined) throw new Error(`no risk for ${userId}: ${JSON.stringify(body)}`);
  return risk;
}

const AFTER = START + 20 * DAY + 2 * 3600_000;

describe('network types end to end', () => {
  it('a takeover through a VPN with the victim’s own browser and OS raises an alert naming the network', async () => {
    await ingest(history('vera', HOME_IP));
    expect(await alertsOf('vera')).toEqual([]);

    await ingest(login('vera', AFTER, VPN_IP));

    const risk = await latestRisk('vera');
    expect(risk.score).toBeGreaterThanOrEqual(70);
    const names = risk.signals.map((signal) => signal.name);
    expect(names).toContain('anonymous_network');
    // Same browser, OS and device: nothing about the client is new.
    expect(names).not.toContain('new_device');
    // A VPN's address says where its server is: no travel is judged from it.
    expect(names).not.toContain('impossible_travel');
    const alerts = await alertsOf('vera');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.status).toBe('open');
    expect(alerts[0]?.signals.find((signal) => signal.name === 'anonymous_network')?.evidence).toMatchObject({
      type: 'vpn',
      source: 'asn-table:AS136787',
      asn: 136787,
      organization: expect.stringMatching(/PacketHub/),
      typeWeight: 0,
      anonymousShare: 0,
    });
  });

  it('a user who always connects through the same VPN is no alert', async () => {
    await ingest(history('victor', VPN_IP));
    await ingest(login('victor', AFTER, VPN_IP));
    const risk = await latestRisk('victor');
    expect(risk.score).toBeLessThan(30);
    expect(risk.signals.map((signal) => signal.name)).not.toContain('anonymous_network');
    expect(await alertsOf('victor')).toEqual([]);
  });

  it('takes the producer’s meta.network_type over the lists, and refuses a type it does not know', async () => {
    await ingest(history('petra', HOME_IP));
    await ingest(login('petra', AFTER, HOME_IP, { network_type: 'Tor' }));
    const signal = (await latestRisk('petra')).signals.find((s) => s.name === 'anonymous_network');
    expect(signal?.evidence).toMatchObject({ type: 'tor', source: 'producer', asn: 3320 });

    const refused = await server.post(
      '/ingest',
      login('petra', AFTER + 60_000, HOME_IP, { network_type: 'satellite' }),
    );
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('meta.network_type');
  });
});
