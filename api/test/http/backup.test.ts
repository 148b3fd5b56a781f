import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregateDifferences } from '../../src/storage/consistency.ts';
import { openDatabase, openMigratedDatabase } from '../../src/storage/sqlite.ts';
import { tempDir } from '../support/api.ts';
import { apiProcesses, ROOT } from '../support/process.ts';
import { startIngester } from '../support/producer.ts';

const tmp = tempDir();
const processes = apiProcesses();
afterAll(() => {
  processes.killAll();
  tmp.cleanup();
});

interface BackupRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run backup -- <target>` on a database file; killed (and failing) past `timeoutMs`. */
function runBackup(dbFile: string, target: string, timeoutMs: number): Promise<BackupRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/scripts/backup.ts', target], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => {
    stderr += `\nkilled: still running after ${timeoutMs} ms`;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The event ids a database file holds. */
function storedEventIds(file: string): Set<string> {
  const db = openDatabase(file);
  try {
    return new Set(db.prepare<[], string>('SELECT eventId FROM "Event"').pluck().all());
  } finally {
    db.close();
  }
}

describe('npm run backup', () => {
  it('copies a consistent database while the API ingests', async () => {
    const dbFile = join(tmp.dir, 'live.db');
    const api = await processes.start(dbFile);
    const ingester = startIngester(api.url);
    await expect.poll(() => ingester.acknowledged.length, { timeout: 20_000 }).toBeGreaterThan(500);
    const target = join(tmp.dir, 'backup.db');
    const run = await runBackup(dbFile, target, 60_000);
    await ingester.stop();
    api.child.kill('SIGTERM');
    await api.exited;
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/integrity ok/);
    const copy = openDatabase(target);
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('SELECT count(*) AS n FROM "Event"').get() as { n: number }).n).toBeGreaterThan(500);
      expect(aggregateDifferences(copy)).toEqual([]);
    } finally {
      copy.close();
    }
  }, 90_000);

  it('finishes a database of tens of megabytes while events keep arriving, with progress, readable by its owner only', async () => {
    const dbFile = join(tmp.dir, 'large.db');
    // 64 MB of other pages: a copy that restarts whenever another connection
    // writes never gets through them while a producer writes every few ms.
    const seed = openMigratedDatabase(dbFile);
    seed.exec('CREATE TABLE "Ballast" (data BLOB NOT NULL)');
    const fill = seed.prepare('INSERT INTO "Ballast" (data) VALUES (randomblob(4000))');
    seed.transaction(() => {
      for (let n = 0; n < 16_000; n += 1) fill.run();
    })();
    seed.close();

    const api = await processes.start(dbFile);
    const ingester = startIngester(api.url);
    await expect.poll(() => ingester.acknowledged.length, { timeout: 20_000 }).toBeGreaterThan(300);
    const before = [...ingester.acknowledged];
    const target = join(tmp.dir, 'large-backup.db');
    const run = await runBackup(dbFile, target, 120_000);
    const during = ingester.acknowledged.length - before.length;
    await ingester.stop();
    api.child.kill('SIGTERM');
    await api.exited;

    expect(run.status, run.stderr).toBe(0);
    // The producer kept writing the whole time.
    expect(during).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/\d+%/);
    expect(run.stdout).toMatch(/integrity ok/);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const copy = openDatabase(target);
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT count(*) FROM "Ballast"').pluck().get()).toBe(16_000);
      expect(aggregateDifferences(copy)).toEqual([]);
    } finally {
      copy.close();
    }
    const copied = storedEventIds(target);
    expect(before.filter((id) => !copied.has(id))).toEqual([]);
  }, 180_000);
});
