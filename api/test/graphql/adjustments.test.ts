import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';
import { waitFor } from '../support/wait.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'adjustments.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 9, 5, 8, 0);
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

const HOME = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };
const LAGOS = { ip: '102.89.3.7', country: 'NG', asn: 37148, lat: 6.45, lon: 3.39, city: 'Lagos' };
const SAO_PAULO = { ip: '177.12.4.9', country: 'BR', asn: 28573, lat: -23.55, lon: -46.63, city: 'São Paulo' };
const MUMBAI = { ip: '49.36.10.20', country: 'IN', asn: 55836, lat: 19.07, lon: 72.87, city: 'Mumbai' };
const TOKYO = { ip: '126.10.20.30', country: 'JP', asn: 17676, lat: 35.68, lon: 139.69, city: 'Tokyo' };

let sequence = 0;
function event(userId: string, at: number, meta: Record<string, unknown>) {
  sequence += 1;
  return { user_id: userId, kind: 'login', event_id: `a${sequence}`, timestamp: at, meta };
}

async function ingest(body: unknown, on: RunningApi = server) {
  const res = await on.post('/ingest', body);
  expect(res.status).toBe(200);
}

/** Twenty weekday-morning logins from one laptop on the home network. */
async function habitual(userId: string, on: RunningApi = server) {
  await ingest(
    Array.from({ length: 20 }, (_, day) =>
      event(userId, START + day * DAY, { ...HOME, user_agent: CHROME_WINDOWS, success: true }),
    ),
    on,
  );
}

/** A login from `where` on the user's own browser, `hours` after their history. */
function away(userId: string, where: Record<string, unknown>, hours: number, agent = CHROME_WINDOWS) {
  return event(userId, START + 20 * DAY + hours * HOUR, { ...where, user_agent: agent, success: true });
}

const LATEST = graphql(`
  query AdjustmentsLatestEvent($id: ID!) {
    user(id: $id) {
      events(first: 1) { nodes { risk { score signals { name score message evidence } } } }
    }
  }
`);

async function latest(userId: string) {
  const { data, errors } = await gql(server, LATEST, { id: userId });
  expect(errors).toBeUndefined();
  const risk = data?.user?.events.nodes[0]?.risk;
  if (!risk) throw new Error(`no event for ${userId}`);
  const signal = (name: string) => risk.signals.find((s) => s.name === name);
  return { score: risk.score, signals: risk.signals, signal };
}

const TRUST = graphql(`
  mutation AdjustmentsTrust($userId: ID!, $kind: TrustKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {
    trustForUser(userId: $userId, kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {
      id userId kind value reason createdBy expiresAt active lowers
    }
  }
`);

const REMOVE_TRUST = graphql(`
  mutation AdjustmentsRemoveTrust($id: ID!) {
    removeTrust(id: $id) { id active removedAt removedBy }
  }
`);

const ALLOW = graphql(`
  mutation AdjustmentsAllow($kind: AllowListKind!, $value: String!, $reason: String!, $expiresAt: DateTime) {
    createAllowListEntry(kind: $kind, value: $value, reason: $reason, expiresAt: $expiresAt) {
      id kind value reason expiresAt active lowers
    }
  }
`);

const REMOVE_ALLOW = graphql(`
  mutation AdjustmentsRemoveAllow($id: ID!) {
    removeAllowListEntry(id: $id) { id active }
  }
`);

const ALLOW_LIST = graphql(`
  query AdjustmentsAllowList($all: Boolean) {
    allowList(includeInactive: $all) { id kind value active }
  }
`);

const MARK_FP = graphql(`
  mutation AdjustmentsMarkFalsePositive($alertId: ID!, $reason: String!) {
    markAlertFalsePositive(alertId: $alertId, reason: $reason) {
      id alertId userId reason until active lowers { signal match factor }
    }
  }
`);

const UNDO_FP = graphql(`
  mutation AdjustmentsUndoFalsePositive($id: ID!) {
    undoFalsePositive(id: $id) { id active undoneAt }
  }
`);

const USER_ADJUSTMENTS = graphql(`
  query AdjustmentsOfUser($id: ID!) {
    user(id: $id) {
      adjustments { source id label reason until alertId lowers { signal match factor } }
      trustEntries(includeInactive: true) { id value active }
      falsePositives(includeInactive: true) { id alertId active }
    }
  }
`);

const DELETE_USER = graphql(`
  mutation AdjustmentsDeleteUser($id: ID!) {
    deleteUser(id: $id) { userId }
  }
`);

const ALERT_STATUS = graphql(`
  query AdjustmentsAlertStatus($id: ID!) {
    alert(id: $id) { status falsePositive { id reason active } }
  }
`);

async function alertIdOf(userId: string): Promise<string> {
  const res = await server.fetch(`/alerts?user_id=${encodeURIComponent(userId)}`);
  const { alerts } = (await res.json()) as { alerts: Array<{ id: number }> };
  expect(alerts.length).toBeGreaterThan(0);
  return String(alerts[0]?.id);
}

describe('trust for one user', () => {
  it('stops a trusted network raising what it raised before, and the evidence names the entry', async () => {
    await habitual('trusting');
    await habitual('control');
    await ingest([away('trusting', LAGOS, 2), away('control', LAGOS, 2)]);
    const before = await latest('trusting');
    expect(before.signal('new_country')?.score).toBeGreaterThan(0);

    const trusted = await gql(server, TRUST, {
      userId: 'trusting',
      kind: 'NETWORK',
      value: 'as37148',
      reason: 'works from the Lagos office',
    });
    expect(trusted.errors).toBeUndefined();
    const entry = trusted.data?.trustForUser;
    expect(entry).toMatchObject({ userId: 'trusting', kind: 'NETWORK', value: 'AS37148', active: true });
    expect(entry?.lowers).toEqual(expect.arrayContaining(['new_asn', 'new_country', 'impossible_travel']));
    // The default expiry: 90 days.
    expect(Date.parse(entry?.expiresAt ?? '') - Date.now()).toBeGreaterThan(89 * DAY);

    await ingest([away('trusting', LAGOS, 26), away('control', LAGOS, 26)]);
    const lowered = await latest('trusting');
    const control = await latest('control');
    expect(control.signal('new_country')?.score).toBeGreaterThan(0);
    expect(lowered.signal('new_country')).toMatchObject({
      score: 0,
      evidence: { loweredBy: `trust:${entry?.id} works from the Lagos office AS37148` },
    });
    expect(lowered.signal('new_country')?.message).toMatch(/lowered by trust:/);
    expect(lowered.score).toBeLessThan(control.score);

    // Kept across a restart: entries are loaded when the API starts.
    server = await server.restart();
    await ingest([away('trusting', LAGOS, 50), away('control', LAGOS, 50)]);
    expect((await latest('trusting')).signal('new_country')?.score ?? 0).toBe(0);

    const removed = await gql(server, REMOVE_TRUST, { id: entry?.id ?? '' });
    expect(removed.data?.removeTrust).toMatchObject({ active: false, removedBy: 'open-access' });
    await ingest([away('trusting', LAGOS, 74), away('control', LAGOS, 74)]);
    expect((await latest('trusting')).score).toBe((await latest('control')).score);
  });

  it('trusts a device: its novelty scores 0', async () => {
    await habitual('new-laptop');
    const { data } = await gql(server, TRUST, {
      userId: 'new-laptop',
      kind: 'DEVICE',
      value: 'desktop/linux',
      reason: 'issued by IT',
    });
    expect(data?.trustForUser.value).toBe('device:desktop/linux');
    await ingest([away('new-laptop', HOME, 2, FIREFOX_LINUX)]);
    const { signal } = await latest('new-laptop');
    expect(signal('new_device')).toMatchObject({ score: 0, evidence: { loweredBy: expect.stringMatching(/^trust:/) } });
    expect(signal('new_browser')?.score).toBeGreaterThan(0);

    // Deleting the user deletes their trust: a new history under the same id starts without it.
    expect((await gql(server, DELETE_USER, { id: 'new-laptop' })).errors).toBeUndefined();
    await habitual('new-laptop');
    await ingest([away('new-laptop', HOME, 2, FIREFOX_LINUX)]);
    expect((await latest('new-laptop')).signal('new_device')?.score).toBeGreaterThan(0);
    expect((await gql(server, USER_ADJUSTMENTS, { id: 'new-laptop' })).data?.user?.trustEntries).toEqual([]);
  });

  it('does nothing once expired', async () => {
    await habitual('expiring');
    const { data } = await gql(server, TRUST, {
      userId: 'expiring',
      kind: 'NETWORK',
      value: '102.89.0.0/16',
      reason: 'short trip',
      expiresAt: new Date(Date.now() + 1000).toISOString(),
    });
    expect(data?.trustForUser.active).toBe(true);
    // The entry lapses on the clock: wait until the API itself says it is no longer in force.
    const lapsed = async () =>
      (await gql(server, USER_ADJUSTMENTS, { id: 'expiring' })).data?.user?.trustEntries[0]?.active === false;
    await waitFor(lapsed, 'the trust entry to lapse');
    await ingest([away('expiring', LAGOS, 2)]);
    const { signal } = await latest('expiring');
    expect(signal('new_country')?.score).toBeGreaterThan(0);
    expect(signal('new_country')?.evidence).not.toHaveProperty('loweredBy');
    const listed = await gql(server, USER_ADJUSTMENTS, { id: 'expiring' });
    expect(listed.data?.user?.adjustments).toEqual([]);
    expect(listed.data?.user?.trustEntries).toEqual([
      { id: data?.trustForUser.id, value: '102.89.0.0/16', active: false },
    ]);
  });
});

describe('the organisation allow-list', () => {
  it('lowers matching signals for every user by CIDR, ASN and country, and stops when removed', async () => {
    for (const user of ['by-cidr', 'by-asn', 'by-country', 'unlisted']) await habitual(user);
    const entries = [];
    for (const [kind, value] of [
      ['IPV4_CIDR', '177.12.0.0/16'],
      ['ASN', 'AS55836'],
      ['COUNTRY', 'jp'],
    ] as const) {
      const { data, errors } = await gql(server, ALLOW, { kind, value, reason: 'corp VPN' });
      expect(errors).toBeUndefined();
      entries.push(data?.createAllowListEntry);
    }
    expect(entries.map((e) => e?.value)).toEqual(['177.12.0.0/16', 'AS55836', 'JP']);
    expect(entries[2]?.lowers).toEqual(['new_country']);
    // The default expiry: a year.
    expect(Date.parse(entries[0]?.expiresAt ?? '') - Date.now()).toBeGreaterThan(364 * DAY);

    await ingest([
      away('by-cidr', SAO_PAULO, 2),
      away('by-asn', MUMBAI, 2),
      away('by-country', TOKYO, 2),
      away('unlisted', LAGOS, 2),
    ]);
    const byCidr = await latest('by-cidr');
    expect(byCidr.signal('new_country')).toMatchObject({
      score: 0,
      evidence: { loweredBy: `allow:${entries[0]?.id} corp VPN 177.12.0.0/16`, scoreBefore: expect.any(Number) },
    });
    expect(byCidr.score).toBe(0);
    const byAsn = await latest('by-asn');
    expect(byAsn.signal('new_country')).toMatchObject({
      score: 0,
      evidence: { loweredBy: `allow:${entries[1]?.id} corp VPN AS55836` },
    });
    const byCountry = await latest('by-country');
    expect(byCountry.signal('new_country')).toMatchObject({
      score: 0,
      evidence: { loweredBy: `allow:${entries[2]?.id} corp VPN JP` },
    });
    const unlisted = await latest('unlisted');
    expect(unlisted.signal('new_country')?.score).toBeGreaterThan(0);
    expect(unlisted.signals.every((s) => s.evidence.loweredBy === undefined)).toBe(true);

    const listed = await gql(server, ALLOW_LIST, {});
    expect(listed.data?.allowList.map((e) => e.value)).toEqual(['JP', 'AS55836', '177.12.0.0/16']);
    for (const entry of entries) {
      const removed = await gql(server, REMOVE_ALLOW, { id: entry?.id ?? '' });
      expect(removed.data?.removeAllowListEntry.active).toBe(false);
    }
    expect((await gql(server, ALLOW_LIST, {})).data?.allowList).toEqual([]);
    expect((await gql(server, ALLOW_LIST, { all: true })).data?.allowList).toHaveLength(3);
    await ingest([away('by-country', TOKYO, 30)]);
    expect((await latest('by-country')).signal('new_country')?.evidence).not.toHaveProperty('loweredBy');
  });
});

describe('false positives', () => {
  it('lower the next similar event of that user only, resolve the alert, and undo restores the score', async () => {
    for (const user of ['marked', 'unmarked']) {
      await habitual(user);
      await ingest([
        ...[0, 1, 2, 3].map((n) =>
          event(user, START + 20 * DAY + n * 60_000, { ...LAGOS, user_agent: FIREFOX_LINUX, success: false }),
        ),
        event(user, START + 20 * DAY + 5 * 60_000, { ...LAGOS, user_agent: FIREFOX_LINUX, success: true }),
      ]);
    }
    const alertId = await alertIdOf('marked');
    const marked = await gql(server, MARK_FP, { alertId, reason: 'the user is travelling' });
    expect(marked.errors).toBeUndefined();
    const feedback = marked.data?.markAlertFalsePositive;
    expect(feedback).toMatchObject({ alertId, userId: 'marked', active: true });
    const lowers = feedback?.lowers ?? [];
    expect(lowers).toContainEqual({ signal: 'new_country', match: 'value:NG', factor: 0.5 });
    expect(lowers.map((l) => l.signal)).not.toContain('failed_logins');
    // The alert says it was marked, to whoever reads it later.
    expect((await gql(server, ALERT_STATUS, { id: alertId })).data?.alert).toEqual({
      status: 'RESOLVED',
      falsePositive: { id: feedback?.id, reason: 'the user is travelling', active: true },
    });

    // The same way in again the next day: similar for both, lowered for the marked user only.
    const again = (user: string, hours: number) =>
      event(user, START + 21 * DAY + hours * HOUR, { ...LAGOS, user_agent: FIREFOX_LINUX, success: true });
    await ingest([again('marked', 1), again('unmarked', 1)]);
    const similar = await latest('marked');
    const other = await latest('unmarked');
    expect(similar.score).toBeLessThan(other.score);
    const country = similar.signal('new_country');
    expect(country?.evidence).toMatchObject({
      loweredBy: `feedback:${feedback?.id} false positive on alert ${alertId}: the user is travelling`,
    });
    expect(country?.score).toBeCloseTo((other.signal('new_country')?.score ?? 0) / 2, 2);

    // Somewhere else is not similar.
    const elsewhere = (user: string) =>
      event(user, START + 21 * DAY + 2 * HOUR, { ...SAO_PAULO, user_agent: FIREFOX_LINUX, success: true });
    await ingest([elsewhere('marked'), elsewhere('unmarked')]);
    const dissimilar = await latest('marked');
    expect(dissimilar.signal('new_country')?.evidence).not.toHaveProperty('loweredBy');
    expect(dissimilar.signal('new_country')?.score).toBe((await latest('unmarked')).signal('new_country')?.score);

    const shown = await gql(server, USER_ADJUSTMENTS, { id: 'marked' });
    expect(shown.data?.user?.adjustments).toEqual([
      expect.objectContaining({ source: 'FALSE_POSITIVE', id: feedback?.id, alertId, lowers: expect.any(Array) }),
    ]);

    const undone = await gql(server, UNDO_FP, { id: feedback?.id ?? '' });
    expect(undone.data?.undoFalsePositive).toMatchObject({ active: false, undoneAt: expect.any(String) });
    expect((await gql(server, ALERT_STATUS, { id: alertId })).data?.alert?.falsePositive).toBeNull();
    await ingest([again('marked', 5), again('unmarked', 5)]);
    expect((await latest('marked')).score).toBe((await latest('unmarked')).score);
    expect((await gql(server, USER_ADJUSTMENTS, { id: 'marked' })).data?.user?.adjustments).toEqual([]);
  });
});

const AUDIT = graphql(`
  query AdjustmentsAudit {
    auditLog(first: 200) { action target details }
  }
`);

describe('audit and input', () => {
  it('writes an audit entry for every action', async () => {
    const actions = new Set((await gql(server, AUDIT)).data?.auditLog.map((entry) => entry.action));
    for (const action of [
      'trust.created',
      'trust.removed',
      'allow.created',
      'allow.removed',
      'feedback.false_positive',
      'feedback.undone',
    ]) {
      expect(actions, action).toContain(action);
    }
  });

  it('answers bad input with BAD_USER_INPUT naming the field, unknown ids with NOT_FOUND', async () => {
    const base = { userId: 'control', kind: 'NETWORK' as const, value: '10.0.0.0/8', reason: 'office' };
    // Bad values are what is tested: the variables are the operation's with some replaced.
    const trust = (variables: Record<string, unknown>) => gql(server, TRUST, { ...base, ...variables } as typeof base);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ value: '10.0.0.0/33' }, 'value', 'BAD_USER_INPUT'],
      [{ value: 'DE' }, 'value', 'BAD_USER_INPUT'],
      [{ kind: 'DEVICE', value: 'browser:' }, 'value', 'BAD_USER_INPUT'],
      [{ reason: '  ' }, 'reason', 'BAD_USER_INPUT'],
      [{ expiresAt: new Date(Date.now() - DAY).toISOString() }, 'expiresAt', 'BAD_USER_INPUT'],
      [{ expiresAt: new Date(Date.now() + 800 * DAY).toISOString() }, 'expiresAt', 'BAD_USER_INPUT'],
      [{ userId: 'nobody-here' }, 'userId', 'NOT_FOUND'],
    ];
    for (const [variables, field, code] of cases) {
      const { errors } = await trust(variables);
      expect(errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code, field });
    }
    const country = await gql(server, ALLOW, { kind: 'COUNTRY', value: 'ZZ', reason: 'x' });
    expect(country.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'value' });
    const v6 = await gql(server, ALLOW, { kind: 'IPV6_PREFIX', value: '10.0.0.0/8', reason: 'x' });
    expect(v6.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'value' });
    expect((await gql(server, REMOVE_TRUST, { id: '424242' })).errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await gql(server, REMOVE_TRUST, { id: 'x' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
    const fp = await gql(server, MARK_FP, { alertId: '424242', reason: 'x' });
    expect(fp.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'alertId' });
    expect((await gql(server, UNDO_FP, { id: '424242' })).errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
