import { describe, expect, it } from 'vitest';
import { distanceKm } from '../../../src/domain/risk/geo.ts';
import { BERLIN, NEW_YORK, POTSDAM } from './fixtures.ts';

const EARTH_RADIUS_KM = 6371.0088;

describe('distanceKm', () => {
  it('is 0 between a place and itself', () => {
    expect(distanceKm(BERLIN, BERLIN)).toBe(0);
  });

  it('measures Berlin to New York at about 6385 km, either way round', () => {
    const km = distanceKm(BERLIN, NEW_YORK);
    expect(km).toBeGreaterThan(6355);
    expect(km).toBeLessThan(6415);
    expect(distanceKm(NEW_YORK, BERLIN)).toBeCloseTo(km, 9);
  });

  it('measures short hops: Berlin to Potsdam is about 27 km', () => {
    const km = distanceKm(BERLIN, POTSDAM);
    expect(km).toBeGreaterThan(25);
    expect(km).toBeLessThan(29);
  });

  it('measures one degree of latitude as 1/360 of a great circle', () => {
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo((2 * Math.PI * EARTH_RADIUS_KM) / 360, 6);
  });

  it('measures antipodes as half the circumference (the asin argument is clamped)', () => {
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(distanceKm({ lat: 90, lon: 0 }, { lat: -90, lon: 0 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
  });

  it('treats longitudes across the antimeridian as neighbours', () => {
    const km = distanceKm({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 });
    expect(km).toBeCloseTo((2 * Math.PI * EARTH_RADIUS_KM) / 360, 6);
  });
});
