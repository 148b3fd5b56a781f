import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { parseCef } from '../support/cef.ts';
import { checkEcs } from '../support/ecs.ts';
import { gql } from '../support/graphql.ts';
import { checkOcsf, requiredAttributes } from '../support/ocsf.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'alert-exports.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 5, 8, 0);
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
/** A user agent with every character CEF escapes or that splits a naive parser. */
const ODD_AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0 a|b=c\\d';
const HOME = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };
const ATTACKER = { ip: '102.89.3.7', country: 'NG', asn: 37148, lat: 6.45, lon: 3.39, city: 'Lagos' };
const ATTACK = START + 20 * DAY + 2 * 3600_000;

async function ingest(body: unknown) {
  const res = await server.post('/ingest', body);
  expect(res.status).toBe(200);
}

/** Twenty habitual logins, then four failed guesses from another country and network and (unless `guessOnly`) a login. */
async function takeover(userId: string, guessOnly = false) {
  const at = (n: number, meta: Record<string, unknown>) => ({ user_id: userId, kind: 'login', timestamp: n, meta });
  await ingest(
    Array.from({ length: 20 }, (_, day) =>
      at(START + day * DAY, { ...HOME, user_agent: CHROME_WINDOWS, success: true }),
    ),
  );
  const guesses = [0, 1, 2, 3].map((n) =>
    at(ATTACK + n * 60_000, { ...ATTACKER, user_agent: ODD_AGENT, success: false }),
  );
  await ingest(
    guessOnly ? guesses : [...guesses, at(ATTACK + 5 * 60_000, { ...ATTACKER, user_agent: ODD_AGENT, success: true })],
  );
  const res = await server.fetch(`/alerts?user_id=${userId}`);
  const [alert] = ((await res.json()) as { alerts: Array<{ id: number }> }).alerts;
  if (alert === undefined) throw new Error(`no alert for ${userId}`);
  return alert.id;
}

async function exported(id: number, format: 'ecs' | 'ocsf') {
  const res = await server.fetch(`/alerts/${id}?format=${format}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('alert exports carry the attacker’s address, place, client and outcome', () => {
  it('ECS: every field is an ECS 8.11 field of the right type, source.* from the last event', async () => {
    const id = await takeover('ecs-taken');
    const ecs = await exported(id, 'ecs');
    const { problems, fields } = checkEcs(ecs, 'persona_drift');
    expect(problems).toEqual([]);
    expect(fields).toEqual(
      expect.arrayContaining([
        'source.ip',
        'source.geo.country_iso_code',
        'source.geo.city_name',
        'source.geo.location',
        'source.as.number',
        'user_agent.original',
        'event.outcome',
        'related.ip',
        'related.user',
      ]),
    );
    expect(ecs).toMatchObject({
      event: { kind: 'alert', outcome: 'success' },
      source: {
        ip: ATTACKER.ip,
        geo: { country_iso_code: 'NG', city_name: 'Lagos', location: { lat: 6.45, lon: 3.39 } },
        as: { number: 37148 },
      },
      user_agent: { original: ODD_AGENT },
      related: { ip: [ATTACKER.ip], user: ['ecs-taken'] },
    });
  });

  it('ECS: event.outcome is failure when the last event was a failed guess', async () => {
    const id = await takeover('ecs-guessed', true);
    const ecs = await exported(id, 'ecs');
    expect(checkEcs(ecs, 'persona_drift').problems).toEqual([]);
    expect(ecs).toMatchObject({ event: { outcome: 'failure' }, source: { ip: ATTACKER.ip } });
  });

  it('OCSF: a valid 1.3.0 Detection Finding with observables and the source endpoint', async () => {
    const id = await takeover('ocsf-taken');
    const ocsf = await exported(id, 'ocsf');
    expect(requiredAttributes('detection_finding')).toEqual(
      expect.arrayContaining(['class_uid', 'metadata', 'finding_info', 'severity_id', 'time', 'type_uid']),
    );
    expect(checkOcsf(ocsf, 'detection_finding')).toEqual([]);
    expect(ocsf).toMatchObject({ timezone_offset: 0, metadata: { version: '1.3.0' } });
    expect(ocsf.evidences).toContainEqual({
      user: { uid: 'ocsf-taken', name: 'ocsf-taken' },
      src_endpoint: {
        ip: ATTACKER.ip,
        location: { country: 'NG', city: 'Lagos', lat: 6.45, long: 3.39 },
        autonomous_system: expect.objectContaining({ number: 37148 }),
      },
    });
    expect(ocsf.observables).toEqual(
      expect.arrayContaining([
        { name: 'evidences.src_endpoint.ip', type_id: 2, type: 'IP Address', value: ATTACKER.ip },
        { name: 'unmapped.user_agent', type_id: 16, type: 'HTTP User-Agent', value: ODD_AGENT },
      ]),
    );
  });

  it('CEF: the strict parser reads back src, suser, requestClientApplication, outcome and the place', async () => {
    const id = await takeover('cef-taken');
    const res = await server.fetch(`/alerts/${id}?format=cef`);
    const line = (await res.text()).replace(/\n$/, '');
    expect(parseCef(line).extensions).toMatchObject({
      src: ATTACKER.ip,
      suser: 'cef-taken',
      requestClientApplication: ODD_AGENT,
      outcome: 'success',
      slat: '6.45',
      slong: '3.39',
      cs4: 'NG',
      cs5: 'Lagos',
      cn3: '37148',
    });
  });

  it('GraphQL Alert.export gives the same enriched documents as REST', async () => {
    const id = await takeover('graphql-taken');
    const { data, errors } = await gql(
      server,
      graphql(`
        query AlertExports($id: ID!) {
          alert(id: $id) { ecs: export(format: ECS) ocsf: export(format: OCSF) cef: export(format: CEF) }
        }
      `),
      { id: String(id) },
    );
    expect(errors).toBeUndefined();
    expect(JSON.parse(data?.alert?.ecs ?? '{}')).toEqual(await exported(id, 'ecs'));
    expect(JSON.parse(data?.alert?.ocsf ?? '{}')).toEqual(await exported(id, 'ocsf'));
    expect(`${data?.alert?.cef}\n`).toBe(await (await server.fetch(`/alerts/${id}?format=cef`)).text());
  });

  it('the spec checks refuse a broken document', async () => {
    const id = await takeover('broken-export');
    const ecs = await exported(id, 'ecs');
    const broken = {
      ...ecs,
      source: { ip: 'not-an-ip', port: '80', geo: { planet: 'Earth' } },
      event: { kind: 'oops' },
    };
    expect(checkEcs(broken, 'persona_drift').problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^source\.ip: .* is not an IP address/),
        expect.stringMatching(/^source\.port: .* is not an integer/),
        'source.geo.planet: not an ECS field',
        expect.stringMatching(/^event\.kind: "oops" is not an allowed value/),
      ]),
    );
    const ocsf = await exported(id, 'ocsf');
    const { finding_info: _dropped, ...withoutFinding } = ocsf;
    expect(checkOcsf({ ...withoutFinding, severity_id: 9, bogus: 1 }, 'detection_finding')).toEqual(
      expect.arrayContaining([
        'finding_info: required, missing',
        'severity_id: 9 is not one of its enum',
        'bogus: not an attribute here',
      ]),
    );
  });
});
