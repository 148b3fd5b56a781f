import type { RunningApi } from './api.ts';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; [key: string]: unknown } }>;
}

/** Runs one operation over HTTP against the running server. */
export async function gql<T = Record<string, unknown>>(
  server: RunningApi,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T> & { status: number }> {
  const res = await server.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as GraphQLResponse<T>) };
}

/** Reads `text/event-stream` frames from a subscription response, yielding each `next` payload. */
export async function* sseEvents<T>(res: Response): AsyncGenerator<GraphQLResponse<T>> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event === 'next' && data !== undefined) yield JSON.parse(data) as GraphQLResponse<T>;
      if (event === 'complete') return;
      end = buffer.indexOf('\n\n');
    }
  }
}
