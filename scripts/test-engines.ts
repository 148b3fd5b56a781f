// Throwaway PostgreSQL and Redis servers for tests. ensureEngines() installs
// Debian's packages when we may (root on Debian, as in CI) and otherwise says
// what to install; each start takes a free port on 127.0.0.1 (PostgreSQL also a
// fresh data directory), and stop() leaves nothing behind.
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from './find-chromium.ts';
import { freePort } from './free-port.ts';

export interface Postgres {
  /** `postgresql://postgres@127.0.0.1:PORT/test`: superuser, no password (trust authentication). */
  url: string;
  port: number;
  /** Creates another empty database on the server; its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are closed) and removes its data directory. */
  stop(): Promise<void>;
}

export interface Redis {
  /** `redis://127.0.0.1:PORT`, nothing persisted. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** The port to listen on; a free one by default. */
  port?: number;
}

/** How long a server may take to start or stop: generous, for a loaded 2-core machine. */
const DEADLINE_MS = 60_000;
const DATABASE = 'test';
/** Debian keeps each PostgreSQL major's server binaries here, off PATH. */
const POSTGRES_ROOT = '/usr/lib/postgresql';

const execFileAsync = promisify(execFile);

/** The bin directory of the newest PostgreSQL with its server tools (a client-only package has no initdb). */
function postgresBin(): string | undefined {
  const versions = existsSync(POSTGRES_ROOT) ? readdirSync(POSTGRES_ROOT) : [];
  const newest = versions
    .filter((version) => isExecutable(join(POSTGRES_ROOT, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? undefined : join(POSTGRES_ROOT, newest, 'bin');
}

function redisServer(): string | undefined {
  return ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter)]
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'redis-server'))
    .find(isExecutable);
}

/** The Debian packages of the engines that are not installed. */
function missingPackages(): string[] {
  return [...(postgresBin() ? [] : ['postgresql']), ...(redisServer() ? [] : ['redis-server'])];
}

function installHint(packages: string[]): string {
  const found = packages.map((name) => (name === 'postgresql' ? `no ${POSTGRES_ROOT}/*/bin/initdb` : `no ${name}`));
  return [
    `The tests that start PostgreSQL and Redis found ${found.join(' and ')}. Install:`,
    `  sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`,
  ].join('\n');
}

/**
 * Makes sure PostgreSQL's server and redis-server are installed, installing
 * them with apt-get if we may; otherwise throws, naming the packages.
 */
export function ensureEngines(): void {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/etc/debian_version') && isExecutable('/usr/bin/apt-get');
  if (!canInstall) throw new Error(installHint(missing));
  process.stdout.write(`Installing ${missing.join(' and ')} for the tests (apt-get)…\n`);
  // Package scripts may try to start the services they install. Debian's
  // container images forbid that with /usr/sbin/policy-rc.d (exit 101), which
  // we leave in place: the tests start their own servers on free ports.
  const aptGet = (args: string[]) =>
    spawnSync('apt-get', args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  // Two test files may install at once: the second waits for dpkg's lock instead of failing.
  const install = () =>
    aptGet(['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...missing]);
  let run = install();
  // The package lists the machine has usually suffice; refresh them only when they do not.
  if (run.status !== 0 && aptGet(['update']).status === 0) run = install();
  if (run.status !== 0 || missingPackages().length > 0) {
    throw new Error(
      `apt-get install ${missing.join(' ')} failed:\n${run.stdout}${run.stderr}\n${installHint(missing)}`,
    );
  }
}

/** Resolves once `condition` holds, checking every few milliseconds; rejects with `what` after the deadline. */
async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${DEADLINE_MS / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts a PostgreSQL cluster of its own in a fresh temporary directory, with
 * one database, listening on 127.0.0.1 only. Durability is off (no fsync):
 * the data is thrown away with the directory.
 */
export async function startPostgres(options: EngineOptions = {}): Promise<Postgres> {
  const bin = postgresBin();
  if (bin === undefined) throw new Error(installHint(['postgresql']));
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'persona-drift-pg-'));
  const log = join(dir, 'server.log');
  // initdb, pg_ctl and the server refuse to run as root: as root, the data
  // directory belongs to the postgres user (Debian's package creates it) and
  // the binaries run as that user.
  const asRoot = process.getuid?.() === 0;
  const pgTool = (tool: string, args: string[]) => {
    const [command, ...rest] = asRoot
      ? ['runuser', '-u', 'postgres', '--', join(bin, tool), ...args]
      : [join(bin, tool), ...args];
    // pg_ctl has its own deadline (-t); this one only catches a tool that hangs.
    return execFileAsync(command!, rest, { cwd: dir, timeout: DEADLINE_MS + 15_000 });
  };
  const seconds = String(DEADLINE_MS / 1000);
  const urlOf = (name: string) => `postgresql://postgres@127.0.0.1:${port}/${name}`;
  const createDatabase = async (name: string) => {
    await pgTool('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
    return urlOf(name);
  };
  try {
    if (asRoot) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
      chownSync(dir, id('-u'), id('-g'));
    }
    // UTF8 whatever the caller's locale (unset, initdb would choose SQL_ASCII);
    // the C locale sorts the same on every machine.
    await pgTool('initdb', ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
    // pg_ctl passes -o through a shell, hence the quoted directory. -w waits
    // until the server reports it accepts connections; -l keeps the server's
    // output off our pipes (which would otherwise stay open as long as it runs).
    const serverOptions = `-p ${port} -k '${dir}' -c listen_addresses=127.0.0.1 -c fsync=off`;
    await pgTool('pg_ctl', ['-D', dir, '-l', log, '-o', serverOptions, '-w', '-t', seconds, 'start']);
    await createDatabase(DATABASE);
  } catch (error) {
    // A server that started but failed afterwards, or is still starting when
    // pg_ctl gave up, must not outlive the failed start.
    await pgTool('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', '-t', seconds, 'stop']).catch(() => {});
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '(no server log)';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start on port ${port}: ${messageOf(error)}\nServer log:\n${serverLog}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    url: urlOf(DATABASE),
    port,
    createDatabase,
    stop: () => {
      stopped ??= pgTool('pg_ctl', ['-D', dir, '-m', 'fast', '-w', '-t', seconds, 'stop'])
        .then(() => undefined)
        .finally(() => rmSync(dir, { recursive: true, force: true }));
      return stopped;
    },
  };
}

/** Whether a Redis server on `port` answers PING (not while it is still loading). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    // Something else on the port may close the connection without a word.
    socket.on('close', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** Starts a Redis server of its own, listening on 127.0.0.1 only, that persists nothing. */
export async function startRedis(options: EngineOptions = {}): Promise<Redis> {
  const server = redisServer();
  if (server === undefined) throw new Error(installHint(['redis-server']));
  const port = options.port ?? (await freePort());
  const child = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let ended = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.on('error', (error) => {
      output += `${error.message}\n`;
      // Also emitted when a signal cannot be sent; only a failed spawn means no process.
      if (child.pid === undefined) resolve();
    });
  }).then(() => {
    ended = true;
  });
  const kill = async (signal: NodeJS.Signals) => {
    if (!ended) child.kill(signal);
    await exited;
  };
  try {
    await waitUntil(async () => {
      if (ended) throw new Error(`redis-server exited with ${child.exitCode ?? child.signalCode}`);
      return answersPing(port);
    }, `redis-server to answer PING on port ${port}`);
  } catch (error) {
    await kill('SIGKILL');
    throw new Error(`Redis did not start on port ${port}: ${messageOf(error)}\nServer output:\n${output}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => {
      stopped ??= (async () => {
        const tooSlow = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
        await kill('SIGTERM');
        clearTimeout(tooSlow);
      })();
      return stopped;
    },
  };
}
