import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { RunningApi } from './api.ts';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; [key: string]: unknown } }>;
}

export type GraphQLResult<T> = GraphQLResponse<T> & { status: number };

type Headers = Record<string, string>;

/** Variables may be left out when the operation needs none. */
type VariablesAndHeaders<TVariables> =
  Record<string, never> extends TVariables
    ? [variables?: TVariables, headers?: Headers]
    : [variables: TVariables, headers?: Headers];

/**
 * Runs one operation written with `graphql()` from `../generated/index.ts` over HTTP against the running
 * server: its variables and `data` are typed from the schema by `npm run codegen`.
 */
export function gql<TResult, TVariables>(
  server: RunningApi,
  document: TypedDocumentNode<TResult, TVariables>,
  ...[variables, headers]: VariablesAndHeaders<TVariables>
): Promise<GraphQLResult<TResult>> {
  return post<TResult>(server, print(document), variables ?? {}, headers);
}

/**
 * Runs an operation given as a raw string, unchecked by codegen: only for documents meant to be refused
 * (bad syntax, unknown fields, over the depth, alias or cost limits, introspection while it is off).
 */
export function rawGql<T = Record<string, unknown>>(
  server: RunningApi,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Headers = {},
): Promise<GraphQLResult<T>> {
  return post<T>(server, query, variables, headers);
}

/** Narrows a union result to one of its types, failing the test when it is another (or missing). */
export function ofType<T extends { __typename: string }, N extends T['__typename']>(
  result: T | null | undefined,
  typename: N,
): Extract<T, { __typename: N }> {
  if (result?.__typename !== typename) throw new Error(`expected a ${typename}, got ${JSON.stringify(result)}`);
  return result as Extract<T, { __typename: N }>;
}

async function post<T>(server: RunningApi, query: string, variables: unknown, headers: Headers = {}) {
  const res = await server.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
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
