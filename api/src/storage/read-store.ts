import Database from 'better-sqlite3';
import { FACTOR_BITS } from '../domain/factors.ts';
import { DAY_MS } from '../domain/timestamp.ts';
import { activityDayOf, type DayRow } from './activity-day.ts';
import type { ActivityDay, EvidenceToken, PersonaRows } from './ports.ts';
import { asStore, BUSY_TIMEOUT_MS } from './sqlite.ts';
import { fromUserValues, USER_COLUMNS, type UserRow } from './user-row.ts';

/**
 * SQLite's persona rows, on their own read-only connection with prepared
 * statements: one user's aggregate row by primary key, which is all GET /drift
 * and GET /fingerprint need, the drift evidence and risk per day. Prisma's
 * per-query cost (it prepares each statement anew and maps rows in JS) was
 * most of such a request's time; the rest of the read side stays on Prisma.
 */
export class ReadStore implements PersonaRows {
  readonly #db: Database.Database;
  readonly #user;
  readonly #evidence;
  readonly #days;
  readonly #onQuery: (sql: string) => void;

  constructor(file: string, onQuery: (sql: string) => void = () => {}) {
    this.#db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    this.#onQuery = onQuery;
    const columns = USER_COLUMNS.map((column) => `"${column}"`).join(', ');
    this.#user = this.#db.prepare<[string], unknown[]>(`SELECT ${columns} FROM "User" WHERE id = ?`).raw();
    // Only the top values per dimension leave SQLite, however many a user
    // has collected: the answer's size does not grow with history.
    this.#evidence = this.#db.prepare<[string, number], { userId: string; dimension: string; value: string }>(
      `SELECT userId, dimension, value FROM (
         SELECT userId, dimension, value, count,
                row_number() OVER (PARTITION BY userId, dimension ORDER BY count DESC, value) AS rank
         FROM "UserToken" WHERE userId IN (SELECT value FROM json_each(?))
       ) WHERE rank <= ? ORDER BY userId, dimension, count DESC, value`,
    );
    // The day and the factor bits are integer literals: integer division and bit tests stay integer.
    const factor = (code: keyof typeof FACTOR_BITS) => `sum((factors & ${FACTOR_BITS[code]}) != 0)`;
    this.#days = this.#db.prepare<[string, number, number], DayRow>(
      `SELECT timestamp / ${DAY_MS} AS day, count(*) AS events, max(driftScore) AS maxDriftScore,
         max(CASE WHEN signals IS NOT NULL THEN risk END) AS maxRisk,
         ${factor('MULTIPLE_IPS')} AS ips, ${factor('MULTIPLE_OS')} AS os,
         ${factor('MULTIPLE_BROWSERS')} AS browsers, ${factor('MULTIPLE_DEVICE_TYPES')} AS devices,
         ${factor('ABRUPT_DEVICE_SWITCH')} AS switches
       FROM "Event" WHERE userId = ? AND timestamp >= ? AND timestamp < ?
       GROUP BY day`,
    );
  }

  /** Timestamps come back as epoch ms. */
  user(id: string): UserRow | undefined {
    const values = asStore(() => this.#user.get(id));
    return values === undefined ? undefined : fromUserValues(values);
  }

  evidence(userIds: readonly string[], perDimension: number): Map<string, EvidenceToken[]> {
    this.#onQuery(this.#evidence.source);
    const byUser = new Map<string, EvidenceToken[]>();
    const rows = asStore(() => this.#evidence.all(JSON.stringify(userIds), perDimension));
    for (const { userId, dimension, value } of rows) {
      const list = byUser.get(userId) ?? [];
      list.push({ dimension, value });
      byUser.set(userId, list);
    }
    return byUser;
  }

  /** One grouped range scan of the user's events in the window. */
  activityByDay(userId: string, from: number, to: number): ActivityDay[] {
    this.#onQuery(this.#days.source);
    return asStore(() => this.#days.all(userId, from * DAY_MS, to * DAY_MS)).map(activityDayOf);
  }

  close(): void {
    this.#db.close();
  }
}
