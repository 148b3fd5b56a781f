// Runs before `npm test`: the dashboard's browser tests drive an installed
// Chrome or Chromium. When none is found, installs Debian's chromium with
// apt-get if we may (root on Debian, as in CI); otherwise says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './find-chromium.ts';

const found = findChromium();
if ('problem' in found) {
  const canInstall = !process.env.CHROMIUM_PATH && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(found.problem);
    process.exit(1);
  }
  process.stdout.write('Installing Chromium for the browser tests (apt-get)…\n');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const run = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}
