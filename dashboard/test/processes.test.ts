import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT as ROOT } from '../../api/src/project-root.ts';
import { spawnApi } from '../../api/test/support/process.ts';
import { freePort } from '../../scripts/free-port.ts';
import { waitForHttp } from './system.ts';

const dir = mkdtempSync(join(tmpdir(), 'persona-drift-processes-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started: ChildProcess[] = [];

afterAll(() => {
  // Anything a failed test left running: its whole process group.
  for (const child of started) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('serves the API and the dashboard together, and Ctrl-C stops both', async () => {
    const [apiPort, dashboardPort] = [await freePort(), await freePort()];
    const child = spawn(npm, ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(apiPort),
        DASHBOARD_PORT: String(dashboardPort),
        DATABASE_URL: `file:${join(dir, 'start.db')}`,
      },
      stdio: 'ignore',
      detached: true, // its own process group, as in a terminal
    });
    started.push(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitForHttp(`http://127.0.0.1:${apiPort}/health`, child, () => 'npm start');
    await waitForHttp(`http://127.0.0.1:${dashboardPort}/`, child, () => 'npm start');
    const page = await (await fetch(`http://127.0.0.1:${dashboardPort}/`)).text();
    expect(page).toContain('Users at risk');

    process.kill(-(child.pid as number), 'SIGINT'); // what Ctrl-C sends to the foreground group
    await exited;
    await expect.poll(() => answers(`http://127.0.0.1:${apiPort}/health`), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => answers(`http://127.0.0.1:${dashboardPort}/`), { timeout: 10_000 }).toBe(false);
  });
});

/** Runs `npm start` to its end; resolves with its exit code and what it printed on stderr. */
function runStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(npm, ['start'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${join(dir, 'taken.db')}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(child);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm start on a taken port', () => {
  it('names the variable to change in one line and exits non-zero', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      for (const variable of ['PORT', 'DASHBOARD_PORT']) {
        const other = variable === 'PORT' ? 'DASHBOARD_PORT' : 'PORT';
        const run = await runStart({ [variable]: String(port), [other]: String(await freePort()) });
        expect(run.code, run.stderr).not.toBe(0);
        expect(run.stderr).toContain(
          `port ${port} is in use: set ${variable}=<another port> (or stop the other process)\n`,
        );
        expect(run.stderr).not.toMatch(/\n\s+at /);
        // Nothing claims the system is up.
        expect(run.stdout).not.toContain('Persona Drift: API');
      }
    } finally {
      taken.close();
    }
  });
});

describe('npm run seed', () => {
  it('loads the demo population through the public API, and a second run adds nothing', async () => {
    const api = await spawnApi({ DATABASE_URL: `file:${join(dir, 'seed.db')}` });
    try {
      const run = () =>
        spawnSync(npm, ['run', 'seed', '--', '--users', '12', '--days', '7'], {
          cwd: ROOT,
          env: { ...process.env, API_URL: `${api.url}/graphql` },
          encoding: 'utf8',
        });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      const profiles = (await (await fetch(`${api.url}/profiles`)).json()) as Record<string, number>;
      expect(Object.keys(profiles)).toHaveLength(12);
      const total = Object.values(profiles).reduce((a, b) => a + b, 0);
      expect(first.stdout).toContain(`Seeded 12 users: ${total} new events`);
      const drifting = (await await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ overview { driftingUsers } }' }),
      }).then((r) => r.json())) as { data: { overview: { driftingUsers: number } } };
      expect(drifting.data.overview.driftingUsers).toBeGreaterThan(0);

      const second = run();
      expect(second.status, second.stderr).toBe(0);
      expect(second.stdout).toContain('Seeded 12 users: 0 new events');
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  });
});
