import { createServer } from 'node:http';

/**
 * The HTTP limit: a bare node:http server that reads and parses the same JSON
 * body as POST /ingest and answers the same bytes, doing nothing else.
 */
const ANSWER = JSON.stringify({ ok: true, stored: true });

createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
