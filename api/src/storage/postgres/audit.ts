import type pg from 'pg';
import type { AuditNote } from '../ports.ts';
import { timestampOf } from './timestamps.ts';

const INSERT_AUDIT = `INSERT INTO "AuditEntry" (at, actor, action, target, details)
  SELECT ${timestampOf('$1::float8')}, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])`;

/** Writes audit entries on `client`: inside the change's own transaction, or alone on the pool. */
export async function writeAudit(
  client: pg.Pool | pg.PoolClient,
  notes: readonly AuditNote[],
  now: number,
): Promise<void> {
  if (notes.length === 0) return;
  await client.query({
    name: 'pd_audit',
    text: INSERT_AUDIT,
    values: [
      now,
      notes.map((note) => note.actor),
      notes.map((note) => note.action),
      notes.map((note) => note.target),
      notes.map((note) => (note.details === null ? null : JSON.stringify(note.details))),
    ],
  });
}
