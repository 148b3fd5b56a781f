import { spawn } from 'node:child_process';
import { ROOT } from './process.ts';

/** Starts the ingesting producer (support/ingester.ts, another process); collects the event ids answered 2xx. */
export function startIngester(url: string, seed = 7) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/test/support/ingester.ts', url, String(seed)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acknowledged: string[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) acknowledged.push(...(JSON.parse(line) as string[]));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    acknowledged,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
