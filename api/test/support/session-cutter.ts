import { connect, createServer, type Server, type Socket } from 'node:net';

/** Where a session is cut: before its COMMIT reaches the server, or once the server has answered it. */
export type Cut = 'before-commit' | 'after-commit';

/**
 * A TCP proxy in front of PostgreSQL that cuts one session at its COMMIT, as
 * a network failure would: the next transaction whose statements (since its
 * BEGIN) contain `marker` loses its session either before the COMMIT reaches
 * the server (it is rolled back) or right after the server committed and
 * answered (the client never hears the answer).
 */
export class SessionCutter {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #armed: { cut: Cut; marker: string } | null = null;
  #cuts = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.#server = createServer((client) => this.#proxy(client));
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return (this.#server.address() as { port: number }).port;
  }

  /** Cuts the next matching transaction's session. */
  arm(cut: Cut, marker: string): void {
    this.#armed = { cut, marker };
  }

  /** Sessions cut so far. */
  get cuts(): number {
    return this.#cuts;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #proxy(client: Socket): void {
    const server = connect(this.target.port, this.target.host);
    for (const socket of [client, server]) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => {});
    }
    const cut = () => {
      this.#cuts += 1;
      client.destroy();
      server.destroy();
    };
    // The client's statements since its transaction began, as text (the wire's strings are readable in latin1).
    let transaction = '';
    let cutOnAnswer = false;
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const begin = text.lastIndexOf('BEGIN');
      transaction = begin >= 0 ? text.slice(begin) : transaction + text;
      const armed = this.#armed;
      if (armed !== null && text.includes('COMMIT\0') && transaction.includes(armed.marker)) {
        this.#armed = null;
        if (armed.cut === 'before-commit') return cut();
        cutOnAnswer = true;
      }
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      if (cutOnAnswer) return cut();
      client.write(chunk);
    });
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  }
}
