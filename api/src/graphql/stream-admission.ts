import type { Plugin } from 'graphql-yoga';
import type { MountContext } from '../http/app.ts';

/** Retry-After for a stream refused because every slot is taken: streams free up slowly. */
const STREAM_RETRY_SECONDS = 5;

/** Media types of answers that stay open and stream: SSE and incremental delivery. */
function isStreamedResponse(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.toLowerCase();
  return type.startsWith('text/event-stream') || type.startsWith('multipart/mixed');
}

/**
 * Tells the front door which answers are streams, by what the answer is (SSE
 * or incremental delivery), whatever the request's Accept said: a stream is
 * then capped and watched for revocation instead of counted as in flight.
 * When no slot is free the stream is dropped and 503 answered.
 */
export function useStreamAdmission(): Plugin<object, Partial<MountContext>> {
  return {
    onResponse({ response, serverContext, setResponse, fetchAPI }) {
      if (!isStreamedResponse(response.headers.get('content-type'))) return;
      if (serverContext.becomeStream?.() !== false) return;
      // Ends the subscription behind the stream, which nobody will read.
      void response.body?.cancel().catch(() => {});
      const body = {
        errors: [{ message: 'too many live streams open; retry shortly', extensions: { code: 'OVERLOADED' } }],
      };
      setResponse(
        new fetchAPI.Response(JSON.stringify(body), {
          status: 503,
          headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(STREAM_RETRY_SECONDS) },
        }),
      );
    },
  };
}
