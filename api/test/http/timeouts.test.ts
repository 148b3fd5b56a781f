import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApi, tempDir } from '../support/api.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('request timeouts', () => {
  it('drops a client that trickles its request (slowloris) after REQUEST_TIMEOUT_MS with 408', async () => {
    const slow = await startApi(join(tmp.dir, 'slow.db'), { REQUEST_TIMEOUT_MS: '1000' });
    try {
      const { port } = new URL(slow.url);
      const started = Date.now();
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            'POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
          );
        });
        let received = '';
        socket.on('data', (chunk) => {
          received += chunk.toString();
        });
        socket.on('close', () => resolve(received));
        socket.on('error', () => resolve(received));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(5000);
      // Others are still served.
      expect((await slow.fetch('/health')).status).toBe(200);
    } finally {
      await slow.stop();
    }
  });
});
