import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where distributions and installers put Chrome or Chromium, most common first. */
const KNOWN_PATHS = [
  '/usr/bin/chromium', // Debian, Arch
  '/usr/bin/chromium-browser', // Ubuntu, Fedora
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];
/** The same browsers by command name, looked up on PATH as `which` would. */
const COMMANDS = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/** What to do when no browser is found: the package to install per system, or the variable to set. */
export const INSTALL_CHROMIUM = [
  'Install Chromium or Chrome:',
  '  Debian/Ubuntu: sudo apt-get install -y chromium   (Ubuntu may call it chromium-browser)',
  '  Fedora:        sudo dnf install -y chromium',
  '  Arch:          sudo pacman -S chromium',
  '  macOS:         brew install --cask chromium',
  'or set CHROMIUM_PATH to the browser executable.',
].join('\n');

/** Whether the file exists and this process may run it. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type ChromiumLookup = { path: string } | { problem: string };

/**
 * The Chrome or Chromium the browser tests drive: CHROMIUM_PATH when set
 * (which must then exist), else the first one found at a known path or on PATH.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const chosen = env.CHROMIUM_PATH;
  if (chosen) {
    return isExecutable(chosen)
      ? { path: chosen }
      : { problem: `CHROMIUM_PATH=${chosen} is not an executable file.\n${INSTALL_CHROMIUM}` };
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .flatMap((dir) => COMMANDS.map((command) => join(dir, command)));
  const path = [...KNOWN_PATHS, ...onPath].find(isExecutable);
  return path === undefined
    ? { problem: `The browser tests found no Chrome or Chromium.\n${INSTALL_CHROMIUM}` }
    : { path };
}
