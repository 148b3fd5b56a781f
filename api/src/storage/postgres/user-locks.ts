import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Each user's advisory-lock key: 64 bits of a hash of their id (two users
 * sharing a key only wait for each other), distinct and ascending, so that
 * transactions take shared keys in one order and cannot deadlock.
 */
export function lockKeys(userIds: readonly string[]): string[] {
  const keys = new Set(userIds.map((userId) => createHash('sha256').update(userId).digest().readBigInt64BE(0)));
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
}

// A plain scan of the array: the locks are taken in its order.
const LOCK_USERS = 'SELECT pg_advisory_xact_lock(key) FROM unnest($1::int8[]) AS key';

/**
 * Takes the users' locks for the rest of the caller's transaction: every
 * PostgreSQL store takes them before it changes a user, as ingest does on
 * every node, so a user is written by one transaction at a time.
 */
export async function lockUsers(client: pg.PoolClient, userIds: readonly string[]): Promise<void> {
  await client.query({ name: 'pd_lock_users', text: LOCK_USERS, values: [lockKeys(userIds)] });
}
