import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../api/src/project-root.ts';
import { type RunningApi, startApi, tempDir } from '../../api/test/support/api.ts';
import { waitFor } from '../../api/test/support/wait.ts';
import { runCli } from '../src/cli.ts';
import { PersonaDrift } from '../src/index.ts';

const tmp = tempDir();
let server: RunningApi;
let client: PersonaDrift;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'cli.db'));
  client = new PersonaDrift({ url: server.url });
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

/** Runs the CLI in-process against the test API; stdout and stderr as text. */
async function cli(args: string[], stdin = '', signal?: AbortSignal) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  const code = await runCli(['--url', server.url, ...args], {
    stdin: Readable.from([stdin]),
    stdout,
    stderr,
    env: {},
    ...(signal ? { signal } : {}),
  });
  return { code, stdout: () => out, stderr: () => err };
}

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1, 8);
const line = (userId: string, n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    user_id: userId,
    kind: 'login',
    timestamp: new Date(START + n * 3_600_000).toISOString(),
    meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop', ...extra },
  });

describe('npm run cli', () => {
  it('sends a long NDJSON file with progress, and sending it again stores nothing twice', async () => {
    const file = join(tmp.dir, 'events.ndjson');
    writeFileSync(file, `${Array.from({ length: 2500 }, (_, n) => line(`ndjson-${n % 5}`, n)).join('\n')}\n`);
    const first = await cli(['send', file, '--batch', '1000']);
    expect(first.stderr()).toMatch(/sent 2,500 events \([\d,]+\/s\)\n$/);
    expect(first.code).toBe(0);
    // Sent again, it says that nothing was new, once.
    const again = await cli(['send', file]);
    expect(again.code).toBe(0);
    expect(again.stderr()).toMatch(/sent 2,500 events, 2,500 of them already stored \([\d,]+\/s\)\n$/);
    expect(again.stderr().match(/sent 2,500 events/g)).toHaveLength(1);
    const quiet = await cli(['send', file, '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr()).toBe('');
    const users = await Promise.all([0, 1, 2, 3, 4].map((n) => client.user(`ndjson-${n}`)));
    expect(users.map((user) => user?.eventCount)).toEqual([500, 500, 500, 500, 500]);
  });

  it('sends CSV with quoted fields, and events from stdin', async () => {
    const csv = [
      'user_id,kind,timestamp,ip,user_agent,success,asn',
      `csv-user,login,${new Date(START).toISOString()},81.2.69.10,"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",true,3320`,
      `csv-user,logout,${new Date(START + DAY).toISOString()},81.2.69.10,,,`,
    ].join('\n');
    const file = join(tmp.dir, 'events.csv');
    // As a spreadsheet saves it: with a byte-order mark.
    writeFileSync(file, `\uFEFF${csv}`);
    expect((await cli(['send', '--csv', file])).code).toBe(0);
    const events = [];
    for await (const event of client.events('csv-user')) events.push(event);
    expect(events.map((event) => [event.kind, event.browser, event.os, event.meta.success, event.meta.asn])).toEqual([
      ['login', 'chrome', 'windows', true, 3320],
      ['logout', null, null, undefined, undefined],
    ]);

    const piped = await cli(['send', '-'], `${line('stdin-user', 1)}\n${line('stdin-user', 2)}\n`);
    expect(piped.code).toBe(0);
    expect((await client.user('stdin-user'))?.eventCount).toBe(2);
  });

  it('names the line and field of a bad event, stores the requests before its own, and exits 1', async () => {
    const file = join(tmp.dir, 'bad.ndjson');
    // A blank line 3: the bad event is on line 5.
    writeFileSync(
      file,
      [line('bad-file', 1), line('bad-file', 2), '', line('bad-file', 3), line('bad-file', 4, { ip: 'nope' })].join(
        '\n',
      ),
    );
    const run = await cli(['send', file, '--quiet', '--batch', '2']);
    expect(run.code).toBe(1);
    expect(run.stderr()).toMatch(
      /^error: line 5: .*\(field meta\.ip\) \[HTTP 422\]; the 2 events of its request were not stored, those before them were/,
    );
    expect((await client.user('bad-file'))?.eventCount).toBe(2);
    const notJson = await cli(['send', '-'], `${line('bad-file', 6)}\n{oops\n`);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr()).toMatch(/^error: line 2: not JSON/);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
  });

  it("imports the original engine's store.json, once however often it runs", async () => {
    const store = {
      alice: [
        {
          user_id: 'alice',
          kind: 'login',
          meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' },
          timestamp: 1_730_000_000,
        },
        {
          user_id: 'alice',
          kind: 'login',
          meta: { browser: 'firefox', os: 'linux', ip: '98.76.54.32', dev_type: 'desktop' },
          timestamp: '2024-10-28T10:00:00Z',
        },
      ],
      bob: [{ kind: 'login', meta: { browser: 'safari', os: 'ios', ip: '10.0.0.2', device: 'phone' } }],
    };
    const file = join(tmp.dir, 'store.json');
    writeFileSync(file, JSON.stringify(store));
    for (let run = 0; run < 2; run += 1) {
      const result = await cli(['import-legacy', file]);
      expect(result.code).toBe(0);
      expect(result.stderr()).toMatch(/sent 3 events/);
    }
    const drift = await (await server.fetch('/drift/alice')).json();
    expect(drift).toMatchObject({ events: 2, drift_score: 45 });
    expect(drift.reasons).toEqual(expect.arrayContaining(['Multiple IPs', 'Multiple Browsers']));
    const timeline = (await (await server.fetch('/timeline/alice')).json()) as Array<{ timestamp: string }>;
    expect(timeline.map((event) => event.timestamp)).toEqual(['2024-10-27T03:33:20.000Z', '2024-10-28T10:00:00.000Z']);
    expect((await client.user('bob'))?.eventCount).toBe(1);
  });

  it("exports a user's events as NDJSON that send takes back, and a summary", async () => {
    const out = join(tmp.dir, 'export.ndjson');
    expect((await cli(['export-user', 'ndjson-3', '--out', out])).code).toBe(0);
    const exported = readFileSync(out, 'utf8').trim().split('\n');
    expect(exported).toHaveLength(500);
    expect(JSON.parse(exported[0] as string)).toMatchObject({
      user_id: 'ndjson-3',
      kind: 'login',
      meta: { ip: '12.34.56.78' },
    });
    // Sending the export back stores nothing new: the ids came along.
    expect((await cli(['send', out, '--quiet'])).code).toBe(0);
    expect((await client.user('ndjson-3'))?.eventCount).toBe(500);

    const summary = await cli(['export-user', 'ndjson-3', '--summary']);
    expect(JSON.parse(summary.stdout())).toMatchObject({
      id: 'ndjson-3',
      eventCount: 500,
      risk: { level: expect.any(String) },
    });
    const missing = await cli(['export-user', 'nobody-here']);
    expect(missing.code).toBe(1);
    expect(missing.stderr()).toMatch(/no user 'nobody-here'/);
    const unwritable = await cli(['export-user', 'ndjson-3', '--out', join(tmp.dir, 'no-such-dir', 'x.ndjson')]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr()).toMatch(/ENOENT/);
  });

  it('tails alerts live as CEF lines and as NDJSON', async () => {
    for (const format of ['cef', 'ndjson'] as const) {
      const controller = new AbortController();
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (chunk) => {
        out += chunk;
      });
      const running = runCli(['--url', server.url, 'tail', '--format', format], {
        stdin: Readable.from([]),
        stdout,
        stderr: new PassThrough(),
        env: {},
        signal: controller.signal,
      });
      // Wait until the stream is open: a subscriber is listening on alertChanged.
      await waitFor(() => server.api.subscribers.count('alertChanged') > 0, 'the tail to subscribe');
      const user = `tailed-${format}`;
      const history = Array.from({ length: 20 }, (_, n) => JSON.parse(line(user, n * 24)));
      const guesses = Array.from({ length: 11 }, (_, n) => ({
        ...JSON.parse(line(user, 20 * 24 + 1)),
        timestamp: START + 20 * DAY + n * 60_000,
        meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop', success: false },
      }));
      const success = {
        ...JSON.parse(line(user, 20 * 24 + 1)),
        timestamp: START + 20 * DAY + 12 * 60_000,
        meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop', success: true },
      };
      expect((await server.post('/ingest', [...history, ...guesses, success])).status).toBe(200);
      await waitFor(() => out.includes(user), 'the alert on the tail');
      controller.abort();
      expect(await running).toBe(0);
      const [first] = out.trim().split('\n');
      if (format === 'cef')
        expect(first).toMatch(new RegExp(`^CEF:0\\|Persona Drift\\|Persona Drift\\|.*suser=${user}`));
      else expect(JSON.parse(first as string)).toMatchObject({ user: { id: user }, status: 'OPEN', level: 'HIGH' });
    }
  });

  it('runs as a command, and says how to use it', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'sdk/bin/persona-drift.ts', 'frobnicate'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'frobnicate'[\s\S]*Usage: npm run cli -- <command>/);
  });
});
