import { COUNTRY_CENTROIDS } from './country-centroids.ts';

/** Where a country's addresses are: its centre and the radius that holds nearly all of them. */
export interface CountryPlace {
  lat: number;
  lon: number;
  radiusKm: number;
}

/** The place an address in the country (ISO 3166-1 alpha-2) stands for, or null for a code the table lacks. */
export function countryPlace(code: string): CountryPlace | null {
  const row = COUNTRY_CENTROIDS[code.toUpperCase()];
  return row === undefined ? null : { lat: row[0], lon: row[1], radiusKm: row[2] };
}
