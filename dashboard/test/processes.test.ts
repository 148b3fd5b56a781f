import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnApi } from '../../api/test/support/process.ts';
import { ROOT } from '../../scripts/dashboard-build.ts';
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
    expect(page).toContain('Who is drifting');

    process.kill(-(child.pid as number), 'SIGINT'); // what Ctrl-C sends to the foreground group
    await exited;
    await expect.poll(() => answers(`http://127.0.0.1:${apiPort}/health`), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => answers(`http://127.0.0.1:${dashboardPort}/`), { timeout: 10_000 }).toBe(false);
  });
});

describe('npm run seed', () => {
  it('loads the demo population through the public API, and a second run adds nothing', async () => {
    const api = await spawnApi({ DATABASE_URL: `file:${join(dir, 'seed.db')}` });
    try {
      const run = () =>
        spawnSync(npm, ['run', 'seed', '--', '--users', '12', '--days', '7'], {
          cwd: ROOT,
          env: { ...process.env, API_URL: api.url },
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
