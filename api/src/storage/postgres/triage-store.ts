import type pg from 'pg';
import type { AlertStatus } from '../../domain/risk/alert-export.ts';
import type { RiskLevel } from '../../domain/risk/score.ts';
import { attention, highestLevel, type LevelRank } from '../../domain/risk/standing.ts';
import type { VerdictKind } from '../../domain/risk/verdict.ts';
import type { AuditNote, ChangedAlert, Triage } from '../ports.ts';
import { writeAudit } from './audit.ts';
import { rankMovesBefore } from './rank-walks.ts';
import { timestampOf } from './timestamps.ts';
import { inTransaction } from './transaction.ts';
import { lockUsers } from './user-locks.ts';

const ALERT_USERS = 'SELECT DISTINCT "userId" FROM "Alert" WHERE id = ANY($1::int4[])';
const SET_STATUS = `UPDATE "Alert" SET status = $1, "updatedAt" = ${timestampOf('$2::float8')}
  WHERE id = ANY($3::int4[]) RETURNING id, "userId"`;
const ANNOTATE = `UPDATE "Alert" SET note = CASE WHEN $1 THEN $2 ELSE note END,
  assignee = CASE WHEN $3 THEN $4 ELSE assignee END, "updatedAt" = ${timestampOf('$5::float8')}
  WHERE id = $6 RETURNING "userId"`;
const UNRESOLVED_LEVELS = `SELECT u.id, u.verdict, array_remove(array_agg(DISTINCT a.level), NULL) AS levels
  FROM "User" u LEFT JOIN "Alert" a ON a."userId" = u.id AND a.status <> 'resolved'
  WHERE u.id = ANY($1::text[]) GROUP BY u.id, u.verdict`;
// The users' moves in the "at risk" order are recorded with it.
const SET_STANDING = `WITH s AS (SELECT * FROM unnest($1::text[], $2::int4[], $3::int4[]) AS s(id, level, attention)),
  ${rankMovesBefore('s', 's.id', (column) => (column === 'attention' ? 's.attention' : undefined))}
  UPDATE "User" u SET "alertLevel" = s.level, attention = s.attention FROM s WHERE u.id = s.id`;
const USER_EVENTS = 'SELECT "eventCount" FROM "User" WHERE id = $1';

/**
 * What analysts and admins change outside ingest, on PostgreSQL: alert
 * triage (the alert's users' standing recomputed with it) and deleting a
 * user, each with its audit entries in one transaction. Each takes the
 * advisory locks of the users it changes, as ingest does on every node, so a
 * user's standing is never written by two transactions at once.
 */
export class PostgresTriageStore implements Triage {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Sets the status of each alert that exists; returns those changed, in the order asked. */
  setAlertStatus(
    ids: readonly number[],
    status: AlertStatus,
    now: number,
    audit: (changed: readonly ChangedAlert[]) => AuditNote[] = () => [],
  ): Promise<ChangedAlert[]> {
    return inTransaction(this.#pool, async (client) => {
      const users = (await client.query<{ userId: string }>(ALERT_USERS, [ids])).rows.map((row) => row.userId);
      if (users.length === 0) return [];
      await lockUsers(client, users);
      const { rows } = await client.query<ChangedAlert>(SET_STATUS, [status, now, ids]);
      const order = new Map(ids.map((id, index) => [id, index]));
      const changed = rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      await refreshStanding(client, [...new Set(changed.map((alert) => alert.userId))]);
      await writeAudit(client, audit(changed), now);
      return changed;
    });
  }

  /** Sets an alert's note and/or assignee (a key absent is left as is); null when there is no such alert. */
  annotateAlert(
    id: number,
    change: { note?: string | null; assignee?: string | null },
    now: number,
    audit: (userId: string) => AuditNote[] = () => [],
  ): Promise<{ userId: string } | null> {
    // A note or an assignee does not move the user: no lock, no standing to recompute.
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<{ userId: string }>(ANNOTATE, [
        'note' in change,
        change.note ?? null,
        'assignee' in change,
        change.assignee ?? null,
        now,
        id,
      ]);
      const found = rows[0];
      if (found === undefined) return null;
      await writeAudit(client, audit(found.userId), now);
      return { userId: found.userId };
    });
  }

  /** Deletes everything stored about the user (their adjustments included); null when there is no such user. */
  deleteUser(
    userId: string,
    audit: (events: number) => AuditNote[],
    now = Date.now(),
  ): Promise<{ events: number } | null> {
    return inTransaction(this.#pool, async (client) => {
      await lockUsers(client, [userId]);
      const found = (await client.query<{ eventCount: number }>(USER_EVENTS, [userId])).rows[0];
      if (found === undefined) return null;
      // Events, tokens, alerts and the profile go with the user (foreign keys); trust and feedback name them only.
      await client.query('DELETE FROM "TrustEntry" WHERE "userId" = $1', [userId]);
      await client.query('DELETE FROM "AlertFeedback" WHERE "userId" = $1', [userId]);
      await client.query('DELETE FROM "User" WHERE id = $1', [userId]);
      await writeAudit(client, audit(found.eventCount), now);
      return { events: found.eventCount };
    });
  }

  /** Whether the database answers a query at all. */
  async ping(): Promise<boolean> {
    try {
      return (await this.#pool.query('SELECT 1 AS ok')).rows.length === 1;
    } catch {
      return false;
    }
  }
}

/** Recomputes the users' unresolved alert level and the attention it makes with their verdict (as UserStanding does). */
async function refreshStanding(client: pg.PoolClient, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const { rows } = await client.query<{ id: string; verdict: VerdictKind | null; levels: RiskLevel[] }>(
    UNRESOLVED_LEVELS,
    [userIds],
  );
  const levels = rows.map((row) => highestLevel(row.levels));
  await client.query(SET_STANDING, [
    rows.map((row) => row.id),
    levels,
    rows.map((row, index) => attention({ alertLevel: levels[index] as LevelRank, verdict: row.verdict })),
  ]);
}
