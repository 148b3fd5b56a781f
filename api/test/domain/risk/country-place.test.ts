import { describe, expect, it } from 'vitest';
import { COUNTRY_CENTROIDS } from '../../../src/domain/risk/country-centroids.ts';
import { countryPlace } from '../../../src/domain/risk/country-place.ts';
import { distanceKm } from '../../../src/domain/risk/geo.ts';

describe('countryPlace', () => {
  it('places a country at the centre of its addresses, with a radius that covers its cities', () => {
    const germany = countryPlace('DE');
    expect(germany).not.toBeNull();
    const { lat, lon, radiusKm } = germany as NonNullable<typeof germany>;
    // Inside Germany, and within its radius of Berlin, Hamburg and Munich.
    expect(lat).toBeGreaterThan(47.3);
    expect(lat).toBeLessThan(55);
    expect(lon).toBeGreaterThan(5.9);
    expect(lon).toBeLessThan(15);
    for (const city of [
      { lat: 52.52, lon: 13.405 },
      { lat: 53.55, lon: 9.99 },
      { lat: 48.14, lon: 11.58 },
    ])
      expect(distanceKm({ lat, lon }, city)).toBeLessThan(radiusKm);
    expect(radiusKm).toBeLessThan(700);
  });

  it('gives a large country a large radius and a city state the smallest', () => {
    expect(countryPlace('US')?.radiusKm).toBeGreaterThan(1500);
    expect(countryPlace('SG')?.radiusKm).toBe(50);
  });

  it('reads codes in either case and knows nothing of codes it lacks', () => {
    expect(countryPlace('fr')).toEqual(countryPlace('FR'));
    expect(countryPlace('XX')).toBeNull();
  });

  it('holds a valid place for every country', () => {
    expect(Object.keys(COUNTRY_CENTROIDS).length).toBeGreaterThan(200);
    for (const [code, [lat, lon, radius]] of Object.entries(COUNTRY_CENTROIDS)) {
      expect(code).toMatch(/^[A-Z]{2}$/);
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
      expect(radius).toBeGreaterThanOrEqual(50);
    }
  });
});
