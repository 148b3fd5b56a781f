import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/api.ts';
import { apiProcesses, ROOT, spawnApi } from '../support/process.ts';

const tmp = tempDir();
const processes = apiProcesses();
const start = processes.start;
afterAll(() => {
  processes.killAll();
  tmp.cleanup();
});

const post = (url: string, body: unknown) =>
  fetch(`${url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

// Each test starts real processes (tsx compiles the sources first): tens of seconds on a busy machine.
describe('the API process', { timeout: 90_000 }, () => {
  it('creates and migrates its database on first start, and loses no acknowledged event to SIGKILL', async () => {
    const dbFile = join(tmp.dir, 'data', 'kill.db');
    const first = await start(dbFile);
    expect(existsSync(dbFile)).toBe(true);
    expect(first.logs()).toContain('database migrated');

    let acknowledged = 0;
    for (let i = 0; i < 200; i++) {
      const res = await post(first.url, {
        user_id: `u${i % 7}`,
        kind: 'login',
        event_id: `e${i}`,
        meta: { device: 'laptop' },
      });
      if (res.status === 200) acknowledged += 1;
    }
    expect(acknowledged).toBe(200);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await start(dbFile);
    expect(second.logs()).not.toContain('database migrated');
    const profiles = (await (await fetch(`${second.url}/profiles`)).json()) as Record<string, number>;
    expect(Object.values(profiles).reduce((a, b) => a + b, 0)).toBe(200);
    second.child.kill('SIGTERM');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const api = await start(join(tmp.dir, 'term.db'));
    expect((await post(api.url, { user_id: 'a', kind: 'login' })).status).toBe(200);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.logs()).toContain('shutting down');
  });

  it('runs the same from the bundle `npm run build` makes (what the benchmark starts)', async () => {
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-api.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    const api = await start(join(tmp.dir, 'bundle.db'), ['dist/api/main.js']);
    expect(api.logs()).toContain('database migrated');
    expect((await post(api.url, { user_id: 'a', kind: 'login', meta: { browser: 'chrome' } })).status).toBe(200);
    expect(await (await fetch(`${api.url}/drift/a`)).json()).toEqual({ events: 1, drift_score: 0, reasons: [] });
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  });

  it('refuses to start with a bad configuration, naming the variable', async () => {
    await expect(spawnApi({ PORT: 'eighty' })).rejects.toThrow(/PORT/);
  });

  it('names PORT in one line when its port is taken, and exits non-zero', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const refused = await spawnApi({ PORT: String(port), DATABASE_URL: `file:${join(tmp.dir, 'taken.db')}` }).then(
        () => new Error('the API started on a taken port'),
        (error: Error) => error,
      );
      expect(refused.message).toMatch(/^API exited with 1 before listening:/);
      expect(refused.message).toContain(
        `\nport ${port} is in use: set PORT=<another port> (or stop the other process)\n`,
      );
      expect(refused.message).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  });
});
