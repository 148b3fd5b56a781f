import pg from 'pg';
import { inject } from 'vitest';
import type { Role } from '../../src/domain/api-key.ts';
import { KeyStore } from '../../src/storage/key-store.ts';
import { PostgresKeyStore } from '../../src/storage/postgres/key-store.ts';
import { applyPostgresMigrations } from '../../src/storage/postgres/migrations.ts';
import { openMigratedDatabase } from '../../src/storage/sqlite.ts';

/**
 * The storage engine `startApi` runs the API on: SQLite files, or, in the
 * `api-postgresql` test project, a fresh PostgreSQL database for each file
 * name on the server its global setup started (the same file name, the same
 * database, so a restart finds its data).
 */
export const ENGINE_UNDER_TEST: 'sqlite' | 'postgresql' =
  process.env.PERSONA_TEST_ENGINE === 'postgresql' ? 'postgresql' : 'sqlite';

const databases = new Map<string, Promise<string>>();
let created = 0;

/** The DATABASE_URL standing for an SQLite file under the engine being tested. */
export function databaseUrlFor(dbFile: string): Promise<string> {
  if (ENGINE_UNDER_TEST === 'sqlite') return Promise.resolve(`file:${dbFile}`);
  let url = databases.get(dbFile);
  if (url === undefined) {
    url = createDatabase();
    databases.set(dbFile, url);
  }
  return url;
}

async function createDatabase(): Promise<string> {
  const server = inject('postgresUrl');
  created += 1;
  const name = `test_${process.pid}_${created}`;
  const session = new pg.Client({ connectionString: server });
  await session.connect();
  try {
    await session.query(`CREATE DATABASE ${name}`);
  } finally {
    await session.end();
  }
  return server.replace(/\/[^/]*$/, `/${name}`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** Creates API keys in the database standing for `dbFile` (migrated first), as `npm run keys` would; the keys, in order. */
export async function createKeys<const Wanted extends ReadonlyArray<readonly [role: Role, name: string]>>(
  dbFile: string,
  wanted: Wanted,
): Promise<{ -readonly [K in keyof Wanted]: string }> {
  return (await createKeyList(dbFile, wanted)) as { -readonly [K in keyof Wanted]: string };
}

async function createKeyList(
  dbFile: string,
  wanted: ReadonlyArray<readonly [role: Role, name: string]>,
): Promise<string[]> {
  if (ENGINE_UNDER_TEST === 'sqlite') {
    const db = openMigratedDatabase(dbFile);
    try {
      const store = new KeyStore(db);
      return wanted.map(([role, name]) => store.create(role, name, 'cli').key);
    } finally {
      db.close();
    }
  }
  const pool = new pg.Pool({ connectionString: await databaseUrlFor(dbFile), max: 1 });
  try {
    await applyPostgresMigrations(pool);
    const store = await PostgresKeyStore.open(pool);
    store.stop();
    const keys: string[] = [];
    for (const [role, name] of wanted) keys.push((await store.create(role, name, 'cli')).key);
    return keys;
  } finally {
    await pool.end();
  }
}
