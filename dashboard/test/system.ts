import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type ApiProcess, spawnApi } from '../../api/test/support/process.ts';
import { ensureDashboardBuilt, NEXT_BIN, ROOT } from '../../scripts/dashboard-build.ts';
import { freePort } from '../../scripts/free-port.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The running system under test: a real API process on a temporary database and the built dashboard. */
export interface System {
  api: ApiProcess;
  /** Everything the dashboard process printed. */
  dashboardLogs(): string;
  dashboardUrl: string;
  browser: Browser;
  ingest(body: unknown): Promise<void>;
  stop(): Promise<void>;
}

export async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited early:\n${output()}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`nothing answered at ${url}:\n${output()}`);
}

export interface SystemOptions {
  /** Runs on the new database file before the API starts (to create API keys). */
  prepare?: (dbFile: string) => void;
  /** Headers for `ingest` (a producer key once keys exist). */
  ingestHeaders?: Record<string, string>;
}

export async function startSystem(options: SystemOptions = {}): Promise<System> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
  }
  ensureDashboardBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'persona-drift-browser-'));
  const dbFile = join(dir, 'browser.db');
  options.prepare?.(dbFile);
  const api = await spawnApi({ DATABASE_URL: `file:${dbFile}` });
  const port = await freePort();
  let output = '';
  const dashboard = spawn(process.execPath, [NEXT_BIN, 'start', 'dashboard', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXT_PUBLIC_API_URL: `${api.url}/graphql` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dashboard.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  dashboard.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const dashboardUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(dashboardUrl, dashboard, () => output);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    api,
    dashboardLogs: () => output,
    dashboardUrl,
    browser,
    async ingest(body) {
      const res = await fetch(`${api.url}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.ingestHeaders },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST /ingest answered ${res.status}: ${await res.text()}`);
    },
    async stop() {
      await browser.close();
      dashboard.kill('SIGTERM');
      api.child.kill('SIGTERM');
      await Promise.all([new Promise((r) => dashboard.once('exit', r)), api.exited]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
