import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaPath } from '../../scripts/schema-engine.ts';
import { applyPostgresMigrations, POSTGRES_MIGRATIONS_DIR } from '../../src/storage/postgres/migrations.ts';
import { tempDir } from '../support/api.ts';
import { PostgresFixture } from '../support/postgres.ts';

const tmp = tempDir();
const postgres = new PostgresFixture();

beforeAll(() => postgres.start(), 600_000);

afterAll(async () => {
  await postgres.stop();
  tmp.cleanup();
});

const poolOn = (url: string) => postgres.pool(url);

/** Each model of prisma/schema.prisma with its scalar fields: what the database must hold. */
function schemaColumns(): Map<string, string[]> {
  const models = new Map<string, string[]>();
  let model: string[] | null = null;
  for (const line of readFileSync(schemaPath, 'utf8').split('\n')) {
    const start = /^model (\w+) \{/.exec(line);
    if (start) {
      model = [];
      models.set(start[1] as string, model);
    } else if (line.startsWith('}')) model = null;
    else if (model !== null) {
      const field = /^\s+(\w+)\s+(String|Int|BigInt|Float|Boolean|DateTime|Json|Bytes|Decimal)\??\s/.exec(`${line} `);
      if (field) model.push(field[1] as string);
    }
  }
  return models;
}

describe('PostgreSQL migrations', () => {
  it('create every model’s table with every field on an empty database, once', async () => {
    const pool = poolOn(await postgres.database('fresh'));
    const applied = await applyPostgresMigrations(pool);
    expect(applied.length).toBeGreaterThan(0);
    expect(await applyPostgresMigrations(pool)).toEqual([]);
    const { rows } = await pool.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
    );
    const models = schemaColumns();
    expect(models.size).toBeGreaterThanOrEqual(10);
    for (const [name, fields] of models) {
      const columns = rows.filter((row) => row.table_name === name).map((row) => row.column_name);
      expect(columns.sort(), name).toEqual([...fields].sort());
    }
    const recorded = await pool.query('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name');
    expect(recorded.rows.map((row) => row.migration_name)).toEqual(applied);
  });

  it('migrate once when several nodes start on one database at the same moment', async () => {
    const url = await postgres.database('together');
    const [pool, other] = [poolOn(url), poolOn(url)];
    const results = await Promise.all([applyPostgresMigrations(pool), applyPostgresMigrations(other)]);
    expect(results.map((names) => names.length).sort()).toEqual([0, results.flat().length]);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(rows[0].n).toBe(results.flat().length);
  });

  it('refuse a database whose applied migration was edited afterwards', async () => {
    const dir = join(tmp.dir, 'edited');
    cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
    const pool = poolOn(await postgres.database('edited'));
    const [first] = await applyPostgresMigrations(pool, dir);
    const file = join(dir, first as string, 'migration.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited\n`);
    await expect(applyPostgresMigrations(pool, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it('leave nothing of a migration that fails halfway', async () => {
    const dir = join(tmp.dir, 'failing');
    cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(join(dir, '99990101000000_broken'));
    writeFileSync(
      join(dir, '99990101000000_broken', 'migration.sql'),
      'CREATE TABLE "Halfway" ("id" TEXT);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;\n',
    );
    const url = await postgres.database('failing');
    const pool = poolOn(url);
    await expect(applyPostgresMigrations(pool, dir)).rejects.toThrow(/migration 99990101000000_broken failed/);
    // The lock is free again: another node (another session: advisory locks are re-entrant within one)
    // can migrate at once, and fails on the same broken migration instead of waiting.
    await expect(applyPostgresMigrations(poolOn(url), dir)).rejects.toThrow(/migration 99990101000000_broken failed/);
    const { rows } = await pool.query('SELECT to_regclass(\'public."Halfway"\') AS halfway');
    expect(rows[0].halfway).toBeNull();
    const recorded = await pool.query('SELECT migration_name FROM "_prisma_migrations"');
    expect(recorded.rows.map((row) => row.migration_name)).not.toContain('99990101000000_broken');
    expect(recorded.rows.length).toBeGreaterThan(0);
  });
});
