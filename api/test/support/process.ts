import { type ChildProcess, spawn } from 'node:child_process';
import { get } from 'node:http';

import { PROJECT_ROOT } from '../../src/project-root.ts';

export const ROOT = PROJECT_ROOT;

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  logs(): string;
}

/** How `npm run api` starts the API from source. */
export const FROM_SOURCE = ['--import', 'tsx', 'api/src/main.ts'];

/** How long a process may take to listen: tsx compiles the sources first, slow on a busy machine. */
const START_TIMEOUT_MS = 60_000;

/** Starts the API (by default from source) as a real process and waits for its "listening" log line. */
export function spawnApi(env: Record<string, string>, args: string[] = FROM_SOURCE): Promise<ApiProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });
  return new Promise((resolve, reject) => {
    // A process that never says it listens is killed, not left running behind the test.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`API did not start:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], exited, logs: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${String(code)} before listening:\n${output}`));
    });
  });
}

/**
 * API processes for one test file: `start` spawns one on a database file (from
 * source, or with other node arguments), and
 * `killAll` (for afterAll) stops whatever a failed test left running.
 */
export function apiProcesses() {
  const running: ApiProcess[] = [];
  return {
    async start(dbFile: string, args: string[] = FROM_SOURCE): Promise<ApiProcess> {
      const api = await spawnApi({ DATABASE_URL: `file:${dbFile}` }, args);
      running.push(api);
      return api;
    },
    killAll(): void {
      for (const api of running) api.child.kill('SIGKILL');
    },
  };
}

/** The API's gauge of requests being served, read from its /metrics (this read among them). */
export async function requestsInFlight(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^persona_drift_requests_in_flight (\d+)$/m.exec(text);
  if (!match?.[1]) throw new Error(`no persona_drift_requests_in_flight in /metrics:\n${text}`);
  return Number(match[1]);
}

/** The API's gauge of subscriptions listening, per live topic, read from its /metrics. */
export async function subscriptionsActive(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const series = [...text.matchAll(/^persona_drift_subscriptions_active\{topic="(\w+)"\} (\d+)$/gm)];
  if (series.length === 0) throw new Error(`no persona_drift_subscriptions_active in /metrics:\n${text}`);
  return Object.fromEntries(series.map(([, topic, count]) => [topic, Number(count)]));
}

/** Whether the API answers on a new connection (fetch could reuse one it keeps open). */
export function acceptsConnections(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(`${url}/health`, { agent: false }, (res) => {
      res.resume();
      resolve(true);
    }).on('error', () => resolve(false));
  });
}
