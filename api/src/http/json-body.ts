import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

// Fatal: invalid bytes are refused, not replaced by U+FFFD, which would make
// different ids (or any strings) sent by a broken producer equal.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** True for `application/json` and `application/<anything>+json`, with any parameters. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Reads and parses a JSON request body of at most `maxBytes`. A declared length
 * over the limit is refused before reading; a streamed body is cut off as soon
 * as it passes the limit.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  const tooLarge = () =>
    new HttpError(413, 'payload_too_large', `request body is larger than ${maxBytes} bytes`, {
      headers: { connection: 'close' },
    });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();

  // Plain 'data'/'end' events: an async iterator over the stream costs
  // several promises per chunk, measurable on single-event ingest.
  const { chunks, size } = await new Promise<{ chunks: Buffer[]; size: number }>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.resume(); // drain the rest without keeping it
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ chunks, size });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // A client that goes away mid-body never sends 'end'.
    const onClose = () => onError(new Error('the request closed before its body was complete'));
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
  let text: string;
  try {
    text = UTF8.decode(Buffer.concat(chunks, size));
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid UTF-8');
  }
  if (text.trim() === '') throw new HttpError(400, 'invalid_json', 'request body is empty; expected JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `request body is not valid JSON: ${(error as Error).message}`);
  }
}
