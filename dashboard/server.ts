// `npm run dashboard`: the built dashboard behind a plain Node HTTP server.
// `next start` hands a request's X-Forwarded-For to the app as the client
// sent it, and the app cannot see the connection's address; this server
// replaces the header with the one address it can vouch for before Next sees
// the request, so the API's per-address limits count browsers, not guesses
// of them.
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientAddress, normalizeAddress, trustedProxies } from './src/lib/client-address';

// This serves a production build: React and Next pick their production code
// from NODE_ENV as they load (a test runner's `test` would give React's
// development build). Next's types make the variable read-only.
Object.assign(process.env, { NODE_ENV: 'production' });
const { default: next } = await import('next');

const hostname = process.env.HOST || '127.0.0.1';
const port = Number(process.env.DASHBOARD_PORT || 3000);
const trusted = trustedProxies(process.env.DASHBOARD_TRUSTED_PROXIES);

const app = next({ dir: dirname(fileURLToPath(import.meta.url)), hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  const peer = normalizeAddress(req.socket.remoteAddress ?? '');
  const forwardedFor = req.headers['x-forwarded-for'];
  // What a client that is no proxy says about the request is not passed on.
  if (peer === null || !trusted.has(peer)) {
    delete req.headers['x-forwarded-host'];
    delete req.headers['x-forwarded-proto'];
    delete req.headers['x-forwarded-port'];
  }
  const chain = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  req.headers['x-forwarded-for'] = clientAddress(req.socket.remoteAddress, chain, trusted);
  handle(req, res).catch(() => {
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});

server.once('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  // A taken port is the commonest first-run failure: name the setting, not a stack trace.
  console.error(`port ${port} is in use: set DASHBOARD_PORT=<another port> (or stop the other process)`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  process.stdout.write(`Persona Drift dashboard: http://${hostname}:${port}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
  });
}
