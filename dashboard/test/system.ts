import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { PROJECT_ROOT as ROOT } from '../../api/src/project-root.ts';
import { type ApiProcess, spawnApi } from '../../api/test/support/process.ts';
import { DASHBOARD_SERVER, ensureDashboardBuilt } from '../../scripts/dashboard-build.ts';
import { findChromium } from '../../scripts/find-chromium.ts';
import { freePort } from '../../scripts/free-port.ts';

/** The running system under test: a real API process on a temporary database and the built dashboard. */
export interface System {
  api: ApiProcess;
  /** Everything the dashboard process printed. */
  dashboardLogs(): string;
  dashboardUrl: string;
  browser: Browser;
  /**
   * A page in the file's one shared browser context, as an analyst's browser
   * keeps its cache from page to page: the dashboard's scripts load once per
   * file instead of once per test. Tests of sessions and cookies open their
   * own contexts from `browser`.
   */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  ingest(body: unknown): Promise<void>;
  /** Stops the dashboard process and starts a new one on the same port (the API keeps running). */
  restartDashboard(): Promise<void>;
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
  /** Extra environment for the API process. */
  apiEnv?: Record<string, string>;
  /** Extra environment for the dashboard process. */
  dashboardEnv?: Record<string, string>;
}

export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const chromiumFound = findChromium();
  if ('problem' in chromiumFound) throw new Error(chromiumFound.problem);
  ensureDashboardBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'persona-drift-browser-'));
  const dbFile = join(dir, 'browser.db');
  options.prepare?.(dbFile);
  const api = await spawnApi({ DATABASE_URL: `file:${dbFile}`, ...options.apiEnv });
  const port = await freePort();
  let output = '';
  const startDashboard = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, DASHBOARD_SERVER, {
      cwd: ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        DASHBOARD_PORT: String(port),
        NEXT_TELEMETRY_DISABLED: '1',
        NEXT_PUBLIC_API_URL: `${api.url}/graphql`,
        DASHBOARD_SIGNED_OUT_FILE: join(dir, 'signed-out'),
        ...options.dashboardEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await waitForHttp(dashboardUrl, child, () => output);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return child;
  };
  const stopDashboard = async (): Promise<void> => {
    if (dashboard.exitCode === null && dashboard.signalCode === null) {
      const exited = new Promise((resolve) => dashboard.once('exit', resolve));
      dashboard.kill('SIGTERM');
      await exited;
    }
  };
  const dashboardUrl = `http://127.0.0.1:${port}`;
  // A failed start leaves no process behind: the file's afterAll has no system to stop.
  let dashboard = await startDashboard().catch((error: unknown) => {
    api.child.kill('SIGKILL');
    throw error;
  });
  const browser = await chromium
    .launch({
      executablePath: chromiumFound.path,
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
    })
    .catch(async (error: unknown) => {
      api.child.kill('SIGKILL');
      await stopDashboard();
      throw error;
    });
  let shared: BrowserContext | null = null;
  return {
    api,
    dashboardLogs: () => output,
    dashboardUrl,
    browser,
    async newPage(viewport = { width: 1280, height: 900 }) {
      shared ??= await browser.newContext();
      const page = await shared.newPage();
      await page.setViewportSize(viewport);
      return page;
    },
    async ingest(body) {
      const res = await fetch(`${api.url}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.ingestHeaders },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST /ingest answered ${res.status}: ${await res.text()}`);
    },
    async restartDashboard() {
      await stopDashboard();
      dashboard = await startDashboard();
    },
    async stop() {
      await browser.close();
      api.child.kill('SIGTERM');
      await Promise.all([stopDashboard(), api.exited]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves once the API has accepted the page's subscription `operation` on
 * the tab's event stream (graphql-sse answers 202 once the operation
 * listens): an event ingested afterwards reaches the page. Call it before the
 * navigation that opens the page.
 */
export function subscriptionOpened(page: Page, operation: string): Promise<unknown> {
  return page.waitForResponse(
    (res) =>
      new URL(res.url()).pathname === '/graphql' &&
      res.request().method() === 'POST' &&
      (res.request().postData() ?? '').includes(operation) &&
      res.status() === 202,
    { timeout: 30_000 },
  );
}

/** Collects what the page's console says about Content Security Policy violations, as they happen. */
export function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text()))
      seen.push(message.text());
  });
  return seen;
}
