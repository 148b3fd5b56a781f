// `npm start`: the whole system in one command. Builds the dashboard when its
// sources are newer than the last build, then runs the API and the dashboard
// side by side; stopping this process (Ctrl-C, SIGTERM) stops both, and if
// either one exits the other is stopped too.
import { type ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT as ROOT } from '../api/src/project-root.ts';
import { API_NODE_FLAGS } from './api-process.ts';
import { DASHBOARD_SERVER, ensureDashboardBuilt } from './dashboard-build.ts';
import { portIsFree } from './free-port.ts';

const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const apiPort = env.PORT || '8080';
const host = env.HOST || '127.0.0.1';
env.NEXT_PUBLIC_API_URL ||= `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${apiPort}/graphql`;

// Said before anything starts, so the banner below is never printed for a system that cannot run.
for (const [variable, port] of [
  ['PORT', apiPort],
  ['DASHBOARD_PORT', env.DASHBOARD_PORT || '3000'],
] as const) {
  if (!(await portIsFree(host, Number(port)))) {
    console.error(`port ${port} is in use: set ${variable}=<another port> (or stop the other process)`);
    process.exit(1);
  }
}

try {
  ensureDashboardBuilt(env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const children: ChildProcess[] = [
  spawn(process.execPath, [...API_NODE_FLAGS, '--import', 'tsx', 'api/src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  }),
  spawn(process.execPath, DASHBOARD_SERVER, {
    cwd: ROOT,
    env: { ...env, HOST: host },
    stdio: 'inherit',
  }),
];
process.stdout.write(
  `Persona Drift: API http://${host}:${apiPort} (GraphQL at /graphql), dashboard http://${host}:${env.DASHBOARD_PORT || '3000'}\n`,
);

let stopping = false;
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, 8000);
  force.unref();
  Promise.all(
    children.map((child) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)))),
  ).then(() => process.exit(code));
}

for (const child of children) child.once('exit', (code) => stopAll(code ?? 1));
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
