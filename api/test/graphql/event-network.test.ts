import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_RADIUS_KM, EventNetworkReads } from '../../src/reads/event-networks.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'network.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const EventNetworkQuery = graphql(`
  query EventNetwork_Timeline($id: ID!) {
    user(id: $id) {
      events(first: 10) {
        nodes {
          eventId
          network {
            type
            asn
            asnOrganization
            country
            city
            radiusKm
          }
        }
      }
    }
  }
`);

/** Stores one login per meta, in order, for `userId`, and reads their networks back by event id. */
async function networksOf(api: RunningApi, userId: string, metas: Array<Record<string, unknown>>) {
  const body = metas.map((meta, index) => ({
    user_id: userId,
    kind: 'login',
    event_id: `e${index}`,
    timestamp: Date.UTC(2026, 10, 2, 9, index),
    meta,
  }));
  const res = await api.post('/ingest', body);
  expect(res.status).toBe(200);
  const result = await gql(api, EventNetworkQuery, { id: userId });
  expect(result.errors).toBeUndefined();
  const nodes = result.data?.user?.events.nodes ?? [];
  return new Map(nodes.map((node) => [node.eventId, node.network]));
}

describe('Event.network', () => {
  it('names a VPN exit, its operator and the city DB-IP places it in, with an honest radius', async () => {
    const networks = await networksOf(server, 'vpn-user', [{ ip: '2.26.157.5' }]);
    expect(networks.get('e0')).toEqual({
      type: 'VPN',
      asn: 212238,
      asnOrganization: 'Datacamp Limited',
      country: 'US',
      city: 'New York',
      radiusKm: CITY_RADIUS_KM,
    });
  });

  it('gives the lists’ verdict for hosting, Tor, ISP and mobile, with a mobile city as wide as its country', async () => {
    const networks = await networksOf(server, 'mixed-user', [
      { ip: '8.8.8.8' },
      { ip: '185.220.101.1' },
      { ip: '81.2.69.10' },
      { ip: '172.56.10.10' },
    ]);
    expect(networks.get('e0')).toMatchObject({ type: 'HOSTING', asn: 15169, country: 'US' });
    expect(networks.get('e1')).toMatchObject({ type: 'TOR', country: 'DE', city: 'Berlin' });
    expect(networks.get('e2')).toMatchObject({ type: 'ISP', country: 'GB', city: 'London' });
    expect(networks.get('e2')?.radiusKm).toBeLessThanOrEqual(CITY_RADIUS_KM);
    // A carrier's gateway city says little of where the phone is: the country's radius.
    expect(networks.get('e3')).toMatchObject({ type: 'MOBILE', asn: 21928, country: 'US', city: 'Hilltop' });
    expect(networks.get('e3')?.radiusKm).toBeGreaterThan(1_000);
  });

  it("lets the producer's meta win: its network type, its place and coordinates, and no city from another country", async () => {
    const networks = await networksOf(server, 'producer-user', [
      { ip: '81.2.69.10', network_type: 'mobile', country: 'DE', city: 'Berlin', lat: 52.52, lon: 13.405 },
      { ip: '81.2.69.10', country: 'FR' },
      { ip: '81.2.69.10', country: 'FR', city: 'Lyon' },
    ]);
    expect(networks.get('e0')).toMatchObject({ type: 'MOBILE', country: 'DE', city: 'Berlin', radiusKm: 0 });
    // The database places the address in London: a city of another country than the producer's is not shown.
    expect(networks.get('e1')).toMatchObject({ type: 'ISP', country: 'FR', city: null, radiusKm: null });
    const lyon = networks.get('e2');
    expect(lyon).toMatchObject({ country: 'FR', city: 'Lyon' });
    expect(lyon?.radiusKm).toBeGreaterThan(CITY_RADIUS_KM);
  });

  it('has no type or place for a private address or an event without one', async () => {
    const networks = await networksOf(server, 'private-user', [{ ip: '192.168.1.20' }, {}]);
    for (const id of ['e0', 'e1'])
      expect(networks.get(id)).toEqual({
        type: null,
        asn: null,
        asnOrganization: null,
        country: null,
        city: null,
        radiusKm: null,
      });
  });

  it('without lookups (GEOIP off), knows only what the producer sent', () => {
    const reads = new EventNetworkReads();
    const stored = (meta: Record<string, unknown>) => ({
      userId: 'offline-user',
      eventId: null,
      kind: 'login',
      timestamp: new Date(Date.UTC(2026, 10, 2)),
      meta: JSON.stringify(meta),
    });
    expect(reads.of(stored({ ip: '2.26.157.5' }))).toMatchObject({ type: 'unknown', asn: null, city: null });
    expect(reads.of(stored({ ip: '8.8.8.8', asn: 15169, city: 'Paris', country: 'FR' }))).toMatchObject({
      type: 'unknown',
      asn: 15169,
      country: 'FR',
      city: 'Paris',
    });
  });
});
