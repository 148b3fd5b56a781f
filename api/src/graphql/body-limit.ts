import { createGraphQLError, type Plugin } from 'graphql-yoga';

// The connection closes after the answer: Node would otherwise read the rest of a declared body to discard it.
const tooLarge = (maxBytes: number) =>
  createGraphQLError(`request body is larger than ${maxBytes} bytes`, {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413, headers: { connection: 'close' } } },
  });

/**
 * The request body limit of GraphQL over HTTP (the same MAX_BODY_BYTES as REST).
 * Yoga's own (`maxRequestBodySize`) pipes every body through a
 * TransformStream, declared length or not; in a heap profile of cached reads
 * that pipeline made 60% of the memory reaching V8's old generation, which the
 * mark-compacts then had to clear. A declared Content-Length bounds the body
 * (Node's parser reads no further), so it is checked once, up front; only a
 * body without one (chunked) is counted as it streams.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        // One non-negative integer; anything else (e.g. "10, 10") is refused, not skipped.
        if (!/^\d+$/.test(declared)) {
          throw createGraphQLError('Content-Length header is invalid', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
        if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
        return;
      }
      if (requestParser === undefined || request.body === null) return;
      setRequestParser((req) => requestParser(countedBody(req, maxBytes, fetchAPI)));
    },
  };
}

/** The request with a body that errors once more than `maxBytes` have streamed in. */
function countedBody(
  request: Request,
  maxBytes: number,
  fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream },
): Request {
  const body = request.body as ReadableStream<Uint8Array>;
  // A native stream cannot be piped into the ponyfill's TransformStream (as Yoga does the same).
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const counted = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > maxBytes) controller.error(tooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    duplex: 'half',
  } as RequestInit);
}
