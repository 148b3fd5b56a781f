import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { isPostgresUrl } from '../api/src/config.ts';
import { keyHash, newApiKey } from '../api/src/domain/api-key.ts';
import { PROJECT_ROOT as ROOT } from '../api/src/project-root.ts';
import { KeyStore } from '../api/src/storage/key-store.ts';
import { PostgresKeyStore } from '../api/src/storage/postgres/key-store.ts';
import { applyPostgresMigrations } from '../api/src/storage/postgres/migrations.ts';
import { openMigratedDatabase } from '../api/src/storage/sqlite.ts';
import { API_NODE_FLAGS } from '../scripts/api-process.ts';
import { freePort } from '../scripts/free-port.ts';

/** A server process under test: where it listens and how to stop it. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resident memory in MB, read from /proc. */
  rssMb(): number;
  stop(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/**
 * Starts `node <args>` with PORT set to a free port and waits until `probePath`
 * answers. Servers listen on 127.0.0.1 only.
 */
export async function startServer(
  args: string[],
  env: Record<string, string>,
  probePath: string,
): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited early:\n${output}`);
    try {
      const response = await fetch(url + probePath);
      await response.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        // A server that never answered must not outlive the run.
        child.kill('SIGKILL');
        await exited;
        throw new Error(`${args.join(' ')} did not start:\n${output}`);
      }
      await sleep(100);
    }
  }
  return {
    child,
    url,
    rssMb: () => rssMb(child.pid as number),
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * The benchmark runs with authentication on: every database gets an admin
 * key and every request the benchmark makes carries it. The per-key and
 * per-address rate limits are set out of reach (their checks still run on
 * every request), since the point is to measure the server at full speed.
 */
const KEY = newApiKey();
export const authHeaders = (): Record<string, string> => ({ authorization: `Bearer ${KEY}` });

/**
 * Stores this run's key in the database (as the CLI would, but the same key
 * for every database of the run): an SQLite file, or a PostgreSQL database,
 * migrated first if it is empty (as `npm run keys` does).
 */
async function ensureKey(database: string): Promise<void> {
  if (!isPostgresUrl(database)) {
    const db = openMigratedDatabase(database);
    const keys = new KeyStore(db);
    if (keys.verify(KEY) === null) keys.create('admin', 'benchmark', 'cli', Date.now(), KEY);
    db.close();
    return;
  }
  const pool = new pg.Pool({ connectionString: database, max: 1 });
  try {
    await applyPostgresMigrations(pool);
    const keys = await PostgresKeyStore.open(pool);
    keys.stop();
    if (keys.findByHash(keyHash(KEY)) === null) await keys.create('admin', 'benchmark', 'cli', Date.now(), KEY);
  } finally {
    await pool.end();
  }
}

/**
 * The built API (`dist/api/main.js`), with the flags `npm start` uses, keys
 * required, on an SQLite file or a `postgresql://` database.
 */
export async function startApi(database: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  await ensureKey(database);
  return startServer(
    [...API_NODE_FLAGS, join(ROOT, 'dist', 'api', 'main.js')],
    {
      DATABASE_URL: isPostgresUrl(database) ? database : `file:${database}`,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_KEY: '1000000',
      RATE_LIMIT_PER_IP: '1000000',
      ...extraEnv,
    },
    '/health',
  );
}

/** A baseline server from bench/baselines, run through tsx like the rest of the scripts. */
export function startBaseline(name: string): Promise<ServerProcess> {
  return startServer(['--import', 'tsx', join(ROOT, 'bench', 'baselines', `${name}.ts`)], {}, '/health');
}
