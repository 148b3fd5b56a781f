import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT as ROOT } from '../api/src/project-root.ts';

export const NEXT_BIN = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
/** Node arguments that serve the built dashboard (on HOST and DASHBOARD_PORT). */
export const DASHBOARD_SERVER = ['--import', 'tsx', join(ROOT, 'dashboard', 'server.ts')];
const dashboard = join(ROOT, 'dashboard');
const buildId = join(dashboard, '.next', 'BUILD_ID');

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.next' || entry.name === 'node_modules' || entry.name === 'test') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs `next build dashboard` unless the last build is newer than every dashboard source. */
export function ensureDashboardBuilt(env: NodeJS.ProcessEnv = process.env): void {
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestChange(dashboard)) return;
  process.stdout.write('Building the dashboard…\n');
  const build = spawnSync(process.execPath, [NEXT_BIN, 'build', 'dashboard'], {
    cwd: ROOT,
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error(`next build failed with exit code ${build.status}`);
}
