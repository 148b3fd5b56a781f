import type { AddressInfo } from 'node:net';
import { type Config, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { type Api, openApi, StartupRefused } from './server.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const logger = createLogger(config.logLevel);
let api: Api;
try {
  api = await openApi(config, logger);
} catch (error) {
  if (!(error instanceof StartupRefused)) throw error;
  logger.error(error.message);
  process.exit(1);
}
let address: AddressInfo;
try {
  address = await api.listen();
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  // A taken port is the commonest first-run failure: name the setting, not a stack trace.
  console.error(`port ${config.port} is in use: set PORT=<another port> (or stop the other process)`);
  process.exit(1);
}
logger.info('persona drift API listening', {
  url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
  database: api.database,
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: (error as Error).message });
        process.exit(1);
      },
    );
  });
}
