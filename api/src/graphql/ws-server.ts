import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';

/** What each graphql-ws callback gets as `ctx.extra`. */
export interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** Writes one structured log line (the API's logger, through Yoga's). */
type LogError = (message: string, error: unknown) => void;

/** How often a ping checks that the peer is still there; one missed pong ends the socket. */
const KEEP_ALIVE_MS = 12_000;

/**
 * Serves the graphql-ws protocol on a `ws` server, as graphql-ws's own
 * `useServer` does, except that nothing is written with `console`: an error
 * inside the server (a bug, or a throw the hooks did not catch) is logged
 * through `logError` and closes only its socket with 4500 and a generic reason,
 * never the error's message.
 */
export function serveGraphQLWs(
  options: ServerOptions<Record<string, unknown> | undefined, SocketExtra>,
  wss: WebSocketServer,
  logError: LogError,
): { dispose(): void } {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  const failed = (socket: WebSocket, message: string, error: unknown) => {
    logError(message, error);
    if (socket.readyState === socket.OPEN) socket.close(CloseCode.InternalServerError, 'Internal server error');
  };
  wss.on('error', (error) => logError('websocket server error', error));
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.once('error', (error) => failed(socket, 'websocket error', error));
    let pongWait: NodeJS.Timeout | null = null;
    const pinger = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => {
        if (pongWait !== null) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, KEEP_ALIVE_MS);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              failed(socket, 'websocket message failed', error);
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      if (pongWait !== null) clearTimeout(pongWait);
      clearInterval(pinger);
      void Promise.resolve(closed(code, String(reason))).catch((error: unknown) =>
        logError('websocket close failed', error),
      );
    });
  });
  return {
    dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
    },
  };
}
