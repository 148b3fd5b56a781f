import { distanceKm } from '../geo.ts';
import type { Observation, Place } from '../observation.ts';
import { travelPlaceOf } from '../observation.ts';
import type { Persona } from '../personas.ts';
import type { RiskProfile } from '../profile.ts';
import { round, type Signal } from '../signals.ts';

/** Faster than an airliner between two located events. */
export const TRAVEL_SPEED_KMH = 900;
/** Geolocation is city-level at best: closer places are never "travel". */
const MIN_TRAVEL_KM = 150;

/**
 * The user's last place that travel can trust (see travelPlaceOf: none behind
 * a hosting, VPN or Tor address or a mobile carrier's gateway) and this
 * event's, further apart than an airliner could fly in the time between. A
 * place stands for a circle: the least distance travelled is the distance
 * between the centres less both radii, so two country-level places must be
 * far apart indeed, while two producer-sent points are judged as they are.
 */
export function impossibleTravelSignal(profile: RiskProfile, observation: Observation): Signal | null {
  const from = profile.lastPlace;
  const to = travelPlaceOf(observation.network, observation.client.device);
  if (from === null || to === null) return null;
  const km = distanceKm(from, to);
  const fromRadius = from.radiusKm ?? 0;
  const toRadius = to.radiusKm ?? 0;
  const least = km - fromRadius - toRadius;
  if (least < MIN_TRAVEL_KM) return null;
  const hours = Math.abs(observation.at - from.at) / 3_600_000;
  const kmh = hours === 0 ? Number.POSITIVE_INFINITY : least / hours;
  if (kmh <= TRAVEL_SPEED_KMH || isReturn(profile, observation, from, to)) return null;
  const uncertain = fromRadius + toRadius > 0;
  const distance = uncertain
    ? `At least ${Math.round(least)} km (${Math.round(km)} km between places known to ${fromRadius} and ${toRadius} km)`
    : `${Math.round(km)} km`;
  return {
    name: 'impossible_travel',
    score: kmh > 2 * TRAVEL_SPEED_KMH ? 0.7 : 0.5,
    message: `${distance} from ${name(from)} to ${name(to)} in ${formatHours(hours)} (${Number.isFinite(kmh) ? `${Math.round(kmh)} km/h` : 'no time at all'})`,
    evidence: {
      km: Math.round(km),
      ...(uncertain ? { leastKm: Math.round(least) } : {}),
      hours: round(hours, 2),
      kmh: Number.isFinite(kmh) ? Math.round(kmh) : null,
      from: name(from),
      to: name(to),
      fromLat: from.lat,
      fromLon: from.lon,
      fromRadiusKm: fromRadius,
      fromSource: from.source ?? 'producer',
      toLat: to.lat,
      toLon: to.lon,
      toRadiusKm: toRadius,
      toSource: to.source ?? 'producer',
      fromAt: new Date(from.at).toISOString(),
    },
  };
}

/**
 * Whether the event returns to a way of showing up (a persona's network and
 * country, and near its place where known) older than the one the last place
 * came from: the owner back home after a far-away login. The newer, far
 * place was the odd one and was judged when it came; going back to it again
 * is judged again.
 */
function isReturn(profile: RiskProfile, observation: Observation, from: Place & { at: number }, to: Place): boolean {
  const { asn, scope, subnet, country } = observation.network;
  const network = asn !== null ? `AS${asn}` : scope === 'public' ? subnet : null;
  if (network === null) return false;
  let far: Persona | undefined;
  let here: Persona | undefined;
  for (const persona of profile.personas) {
    if (persona.lastAt === from.at && (far === undefined || persona.firstAt < far.firstAt)) far = persona;
    if (persona.network !== network || persona.country !== country || !near(persona, to)) continue;
    if (here === undefined || persona.firstAt < here.firstAt) here = persona;
  }
  return far !== undefined && here !== undefined && here.firstAt < far.firstAt;
}

/** A national ISP spans its country: where a persona's place is known, the event must be near it. */
function near(persona: Persona, to: Place): boolean {
  if (persona.lat === null || persona.lon === null) return true;
  return distanceKm({ lat: persona.lat, lon: persona.lon }, to) - (to.radiusKm ?? 0) < MIN_TRAVEL_KM;
}

function name(place: Place): string {
  return [place.city, place.country].filter(Boolean).join(', ') || 'unknown place';
}

function formatHours(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${round(hours, 1)} h`;
}
