import { distanceKm } from '../geo.ts';
import type { Observation } from '../observation.ts';
import { placeOf } from '../observation.ts';
import type { RiskProfile } from '../profile.ts';
import { round, type Signal } from '../signals.ts';

/** Faster than an airliner between two located events. */
export const TRAVEL_SPEED_KMH = 900;
/** Geolocation is city-level at best: closer places are never "travel". */
const MIN_TRAVEL_KM = 150;

export function impossibleTravelSignal(profile: RiskProfile, observation: Observation): Signal | null {
  const from = profile.lastPlace;
  const to = placeOf(observation.network);
  if (from === null || to === null) return null;
  const km = distanceKm(from, to);
  if (km < MIN_TRAVEL_KM) return null;
  const hours = Math.abs(observation.at - from.at) / 3_600_000;
  const kmh = hours === 0 ? Number.POSITIVE_INFINITY : km / hours;
  if (kmh <= TRAVEL_SPEED_KMH) return null;
  const name = (place: { city: string | null; country: string | null }) =>
    [place.city, place.country].filter(Boolean).join(', ') || 'unknown place';
  return {
    name: 'impossible_travel',
    score: kmh > 2 * TRAVEL_SPEED_KMH ? 0.7 : 0.5,
    message: `${Math.round(km)} km from ${name(from)} to ${name(to)} in ${formatHours(hours)} (${Number.isFinite(kmh) ? `${Math.round(kmh)} km/h` : 'no time at all'})`,
    evidence: {
      km: Math.round(km),
      hours: round(hours, 2),
      kmh: Number.isFinite(kmh) ? Math.round(kmh) : null,
      from: name(from),
      to: name(to),
      fromLat: from.lat,
      fromLon: from.lon,
      toLat: to.lat,
      toLon: to.lon,
      fromAt: new Date(from.at).toISOString(),
    },
  };
}

function formatHours(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${round(hours, 1)} h`;
}
