/**
 * DateTime columns are TIMESTAMP(3) on PostgreSQL, UTC without a zone as
 * Prisma writes them, while storage works in epoch milliseconds as on SQLite.
 * Converting in SQL keeps it exact and independent of the session's time
 * zone (node-postgres would read a TIMESTAMP as local time).
 */

/** SQL: a TIMESTAMP column as epoch milliseconds, a float8 (exact: extract gives a numeric). */
export function epochMsOf(column: string): string {
  return `(extract(epoch FROM ${column}) * 1000)::float8`;
}

/** SQL: epoch milliseconds (a float8 expression) as a TIMESTAMP. */
export function timestampOf(ms: string): string {
  return `('epoch'::timestamp + ${ms} * interval '1 millisecond')`;
}
