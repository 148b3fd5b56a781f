import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type Api, type ApiOptions, createApi, openApi } from '../../src/server.ts';
import { databaseUrlFor } from './engine-under-test.ts';

export interface RunningApi {
  api: Api;
  url: string;
  /** The SQLite file; empty on PostgreSQL. */
  dbFile: string;
  /** fetch against the running server. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** POSTs a JSON body (or raw string) to a path. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Stops the server and starts a new one on the same database file. */
  restart(): Promise<RunningApi>;
  stop(): Promise<void>;
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'persona-drift-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the real API in-process on 127.0.0.1 and a free port, on the given SQLite file (or what stands for it: engine-under-test.ts). */
export async function startApi(
  dbFile: string,
  env: Record<string, string> = {},
  options: ApiOptions = {},
): Promise<RunningApi> {
  return startApiOn(await databaseUrlFor(dbFile), env, options);
}

/** Starts the real API in-process on either engine's DATABASE_URL (PostgreSQL migrated first). */
export async function startApiOn(
  databaseUrl: string,
  env: Record<string, string> = {},
  options: ApiOptions = {},
): Promise<RunningApi> {
  const dbFile = databaseUrl.startsWith('file:') ? databaseUrl.slice('file:'.length) : '';
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, ...env });
  const api =
    dbFile === ''
      ? await openApi(config, createLogger('silent'), options)
      : createApi(config, createLogger('silent'), options);
  const address = await api.listen();
  const url = `http://127.0.0.1:${address.port}`;
  const running: RunningApi = {
    api,
    url,
    dbFile,
    fetch: (path, init) => fetch(`${url}${path}`, init),
    post: (path, body, headers = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async restart() {
      await api.close();
      return startApiOn(databaseUrl, env, options);
    },
    stop: () => api.close(),
  };
  return running;
}
