import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickEncoding } from '../../src/graphql/graphiql-page.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'graphiql.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

/** GET /graphql as a browser asks for it, read as raw bytes (fetch would decompress them). */
function getPage(headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    get(`${server.url}/graphql`, { headers: { accept: 'text/html', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('the GraphiQL page', () => {
  it('is served compressed to a client that accepts it: the same page, under 2.5 MB', async () => {
    const plain = await getPage({});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toContain('<html');

    const gzipped = await getPage({ 'accept-encoding': 'gzip, deflate' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.body.length).toBeLessThan(2.5 * 1024 * 1024);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);

    const brotli = await getPage({ 'accept-encoding': 'gzip, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.body.length).toBeLessThan(gzipped.body.length);
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
    // Each encoding is a representation of its own.
    expect(new Set([plain.headers.etag, gzipped.headers.etag, brotli.headers.etag]).size).toBe(3);
  });

  it('answers 304 without the page to a browser that holds it', async () => {
    const first = await getPage({ 'accept-encoding': 'gzip' });
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers.vary).toBe('Accept, Accept-Encoding');
    const again = await getPage({ 'accept-encoding': 'gzip', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it('picks brotli over gzip over none, never an encoding refused with q=0', () => {
    expect(pickEncoding(null)).toBe('identity');
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(pickEncoding('GZIP')).toBe('gzip');
    expect(pickEncoding('gzip;q=0, deflate')).toBe('identity');
  });
});
