import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { type Connection, endpoint, headers } from './http.ts';

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** The API answered with GraphQL errors (or not at all); `code` is the first error's `extensions.code`. */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  readonly code: string | null;
  constructor(
    readonly errors: readonly GraphQLErrorShape[],
    readonly status: number,
  ) {
    super(errors.map((error) => error.message).join('; ') || `the API answered ${status}`);
    this.code = errors[0]?.extensions?.code ?? null;
  }
}

interface Result<T> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

/** Typed GraphQL reads: documents generated from the committed schema carry their result and variable types. */
export class Reader {
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  /** Runs a query or mutation; throws GraphQLRequestError on any error. */
  async request<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    const response = await (this.#connection.fetch ?? fetch)(endpoint(this.#connection, '/graphql'), {
      method: 'POST',
      headers: headers(this.#connection, { 'content-type': 'application/json', accept: 'application/json' }),
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json().catch(() => ({}))) as Result<TResult> & { error?: string; message?: string };
    if (body.errors?.length || body.data == null) {
      const errors = body.errors ?? [{ message: body.message ?? body.error ?? `the API answered ${response.status}` }];
      throw new GraphQLRequestError(errors, response.status);
    }
    return body.data;
  }

  /**
   * A subscription over Server-Sent Events: yields each result until `signal`
   * aborts or the server completes the stream.
   */
  async *subscribe<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    signal?: AbortSignal,
  ): AsyncGenerator<TResult> {
    let response: Response;
    try {
      response = await (this.#connection.fetch ?? fetch)(endpoint(this.#connection, '/graphql'), {
        method: 'POST',
        headers: headers(this.#connection, { 'content-type': 'application/json', accept: 'text/event-stream' }),
        body: JSON.stringify({ query: print(document), variables }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
    if (!response.ok || response.body === null) {
      const body = (await response.json().catch(() => ({}))) as Result<TResult>;
      throw new GraphQLRequestError(body.errors ?? [], response.status);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(frame)?.[1];
          const data = [...frame.matchAll(/^data: ?(.*)$/gm)].map((line) => line[1]).join('\n');
          if (event === 'complete') return;
          if (event !== 'next' || data === '') continue;
          const result = JSON.parse(data) as Result<TResult>;
          if (result.errors?.length || result.data == null) {
            throw new GraphQLRequestError(result.errors ?? [], response.status);
          }
          yield result.data;
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    } finally {
      // Ends the HTTP stream, and with it the subscription on the server, when the caller stops early.
      await reader.cancel().catch(() => {});
    }
  }
}
