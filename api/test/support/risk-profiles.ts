import type { GeoLookup } from '../../src/domain/risk/observe.ts';
import { NO_GEO } from '../../src/domain/risk/observe.ts';
import type { RiskProfile } from '../../src/domain/risk/profile.ts';
import { decodeProfile } from '../../src/domain/risk/stored-profile.ts';
import { replayRiskProfiles } from '../../src/storage/consistency.ts';
import type { SqliteDatabase } from '../../src/storage/sqlite.ts';

/** The v2 risk profiles as stored, by user. */
export function storedProfiles(db: SqliteDatabase): Map<string, RiskProfile> {
  const rows = db.prepare('SELECT userId, profile FROM "UserRiskProfile"').raw().all() as Array<[string, string]>;
  return new Map(rows.map(([userId, profile]) => [userId, decodeProfile(JSON.parse(profile))]));
}

/** Every user's profile as a replay of all their stored events gives it. */
export function replayedProfiles(db: SqliteDatabase, geo: GeoLookup = NO_GEO): Map<string, RiskProfile> {
  const users = db.prepare('SELECT id FROM "User" ORDER BY id').pluck().all() as string[];
  return replayRiskProfiles(db, users, geo);
}
