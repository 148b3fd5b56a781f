import pg from 'pg';
import { ensureEngines, type Postgres, startPostgres } from '../../../scripts/test-engines.ts';
import { applyPostgresMigrations } from '../../src/storage/postgres/migrations.ts';
import { lockKeys } from '../../src/storage/postgres/user-locks.ts';
import { waitFor } from './wait.ts';

/**
 * One test file's throwaway PostgreSQL server: databases on demand, pools as
 * API nodes hold them, and at the end every pool closed before the server
 * stops (a pool's end resolves before its sessions have closed, and the
 * server's stop would fail those still closing).
 */
export class PostgresFixture {
  #server: Postgres | undefined;
  readonly #pools: pg.Pool[] = [];
  #sessions = 0;
  #databases = 0;

  /** Installs PostgreSQL when missing (see scripts/test-engines.ts) and starts the server. */
  async start(): Promise<void> {
    ensureEngines();
    this.#server = await startPostgres();
  }

  get server(): Postgres {
    if (this.#server === undefined) throw new Error('the PostgreSQL fixture was not started');
    return this.#server;
  }

  /** A new, empty database; its URL. */
  database(prefix: string): Promise<string> {
    this.#databases += 1;
    return this.server.createDatabase(`${prefix}_${this.#databases}`);
  }

  /** A new database with the PostgreSQL migrations applied; its URL. */
  async migratedDatabase(prefix: string): Promise<string> {
    const url = await this.database(prefix);
    await applyPostgresMigrations(this.pool(url));
    return url;
  }

  /** A pool on the database, as one API node holds; closed by `stop`. */
  pool(url: string, options: pg.PoolConfig = {}): pg.Pool {
    const pool = new pg.Pool({ connectionString: url, max: 2, ...options });
    pool.on('connect', () => {
      this.#sessions += 1;
    });
    pool.on('remove', () => {
      this.#sessions -= 1;
    });
    // An idle session a test's server stop ends is reported on the pool; the tests that stop one say so.
    pool.on('error', () => {});
    this.#pools.push(pool);
    return pool;
  }

  /**
   * Holds the user's ingest lock from a session of its own until `release`,
   * as another node's transaction would; `session` runs the test's queries.
   */
  async holdUser(url: string, userId: string): Promise<{ session: pg.Client; release(): Promise<void> }> {
    const session = new pg.Client({ connectionString: url });
    await session.connect();
    await session.query('BEGIN');
    await session.query('SELECT pg_advisory_xact_lock($1::int8)', [lockKeys([userId])[0]]);
    let released: Promise<void> | undefined;
    return {
      session,
      release: () => {
        released ??= session.query('COMMIT').then(() => session.end());
        return released;
      },
    };
  }

  async stop(): Promise<void> {
    try {
      await Promise.all(this.#pools.map((pool) => pool.end()));
      await waitFor(() => this.#sessions === 0, 'the test sessions to close', 60_000);
    } finally {
      await this.#server?.stop();
    }
  }
}

/** The sessions of the database `session` is on that wait for an ingest (advisory) lock. */
export async function lockWaiters(session: pg.Client): Promise<number[]> {
  const { rows } = await session.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return rows.map((row) => row.pid);
}
