import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'crowded.db'), { GEOIP: 'false' });
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A Monday, 18:00 UTC: the evening peak. */
const EVENING = Date.UTC(2026, 2, 2, 18);
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
];
/** A residential ISP's /24 (Deutsche Telekom's AS3320 in Germany). */
const ISP = { country: 'DE', asn: 3320 };

let sequence = 0;
function login(userId: string, at: number, meta: Record<string, unknown>) {
  sequence += 1;
  return { user_id: userId, kind: 'login', event_id: `e${sequence}`, timestamp: at, meta };
}

async function ingest(events: unknown[]) {
  for (let index = 0; index < events.length; index += 1000) {
    const res = await server.post('/ingest', events.slice(index, index + 1000));
    expect(res.status).toBe(200);
  }
}

async function alerts(userId?: string) {
  const res = await server.fetch(userId === undefined ? '/alerts' : `/alerts?user_id=${encodeURIComponent(userId)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { alerts: Array<{ user_id: string; signals: Array<Record<string, unknown>> }> }).alerts;
}

/** Each stored event's v2 risk and signal names, for the users whose id starts with `prefix`. */
function storedRisks(prefix: string, from: number) {
  const db = new Database(server.dbFile, { readonly: true });
  try {
    return db
      .prepare<[string, number], { userId: string; risk: number; signals: string | null }>(
        'SELECT userId, risk, signals FROM "Event" WHERE userId LIKE ? AND timestamp >= ? ORDER BY id',
      )
      .all(`${prefix}%`, from)
      .map((row) => ({
        userId: row.userId,
        risk: row.risk,
        names: (JSON.parse(row.signals ?? '[]') as Array<{ name: string }>).map((signal) => signal.name),
      }));
  } finally {
    db.close();
  }
}

describe('crowded networks and credential stuffing, end to end', () => {
  it('a shared ISP /24 at its evening peak raises nothing', async () => {
    // 300 unrelated customers on one /24 (some behind the same address), each on their own device:
    // two weeks of evening logins, events interleaved across users as producers send them.
    const users = Array.from({ length: 300 }, (_, index) => ({
      id: `isp-${index}`,
      ip: `81.2.69.${1 + (index % 250)}`,
      agent: AGENTS[index % AGENTS.length],
    }));
    const history = [];
    for (let day = -14; day < 0; day += 1) {
      for (const [index, user] of users.entries()) {
        history.push(
          login(user.id, EVENING + day * DAY + index * 2_000, {
            ...ISP,
            ip: user.ip,
            user_agent: user.agent,
            success: true,
          }),
        );
      }
    }
    await ingest(history);
    // The peak: all 300 within ten minutes, a few mistyping their password first.
    const peak = [];
    for (const [index, user] of users.entries()) {
      const at = EVENING + index * 2_000;
      const meta = { ...ISP, ip: user.ip, user_agent: user.agent };
      if (index % 40 === 0) peak.push(login(user.id, at - 1_000, { ...meta, success: false }));
      peak.push(login(user.id, at, { ...meta, success: true }));
    }
    await ingest(peak);

    const scored = storedRisks('isp-', EVENING - MINUTE);
    expect(scored).toHaveLength(308);
    expect(scored.filter((event) => event.names.includes('credential_stuffing'))).toEqual([]);
    expect(Math.max(...scored.map((event) => event.risk))).toBeLessThan(30);
    expect(await alerts()).toEqual([]);
  });

  it('a stuffing run (one IP failing across many accounts, a few successes) raises alerts on the successes', async () => {
    const victims = Array.from({ length: 40 }, (_, index) => ({
      id: `victim-${index}`,
      ip: `81.3.${10 + index}.20`,
      agent: AGENTS[0],
    }));
    const history = [];
    for (let day = -14; day < 0; day += 1) {
      for (const [index, victim] of victims.entries()) {
        history.push(
          login(victim.id, EVENING + day * DAY + index * 5_000, {
            ...ISP,
            ip: victim.ip,
            user_agent: victim.agent,
            success: true,
          }),
        );
      }
    }
    await ingest(history);
    // A rig at a hosting provider tries every account within four minutes, with a common browser's user agent.
    const rig = { ip: '185.220.101.7', country: 'DE', asn: 24940, user_agent: AGENTS[0] };
    const cracked = new Set(['victim-17', 'victim-29', 'victim-38']);
    const run = victims.map((victim, index) =>
      login(victim.id, EVENING + index * 6_000, { ...rig, success: cracked.has(victim.id) }),
    );
    await ingest(run);

    for (const userId of cracked) {
      const [alert] = await alerts(userId);
      expect(alert?.signals[0]).toMatchObject({ name: 'credential_stuffing' });
      const evidence = alert?.signals[0]?.evidence as Record<string, unknown>;
      expect(evidence).toMatchObject({ source: 'ip', network: '185.220.101.7', outcome: 'success' });
      expect(evidence.failingNewAccounts).toBeGreaterThanOrEqual(17);
    }
    const successes = storedRisks('victim-', EVENING).filter((event) => cracked.has(event.userId));
    expect(successes.map((event) => event.risk).every((risk) => risk >= 70)).toBe(true);
  });
});
