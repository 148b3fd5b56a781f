'use client';

import {
  cacheExchange,
  createClient,
  type Exchange,
  fetchExchange,
  ssrExchange,
  subscriptionExchange,
  UrqlProvider,
} from '@urql/next';
import { createClient as createSseClient } from 'graphql-sse';
import { type ReactNode, useMemo } from 'react';
import { never } from 'wonka';

/**
 * Never answers: on the server, pages render their empty shells and the
 * browser fetches the data. Server rendering cannot sign requests with the
 * session's key without handing it to client code, which must never see it.
 */
const serverExchange: Exchange = () => () => never;

/**
 * Every subscription of a tab on one server-sent event stream (graphql-sse's
 * single connection mode), opened with the first and closed after the last.
 * A browser keeps at most six HTTP/1.1 connections to one host: with a stream
 * per subscription, three open tabs took them all and a fourth never loaded.
 * Lost streams are opened again, with backoff, as the API comes back.
 */
function liveExchange(url: string): Exchange {
  const sse = createSseClient({ url, singleConnection: true, retryAttempts: 8 });
  return subscriptionExchange({
    forwardSubscription: (request) => ({
      subscribe: (sink) => ({
        unsubscribe: sse.subscribe({ ...request, query: request.query ?? '' }, sink),
      }),
    }),
  });
}

/** One urql client per mount, talking to the dashboard's own /graphql (which signs and forwards); live updates over SSE. */
export function Providers({ children }: { children: ReactNode }) {
  const [client, ssr] = useMemo(() => {
    const inBrowser = typeof window !== 'undefined';
    const ssr = ssrExchange({ isClient: inBrowser });
    const url = inBrowser ? new URL('/graphql', window.location.href).href : 'http://localhost/graphql';
    const client = createClient({
      url,
      exchanges: inBrowser ? [cacheExchange, ssr, liveExchange(url), fetchExchange] : [ssr, serverExchange],
      suspense: false,
      requestPolicy: 'cache-and-network',
    });
    return [client, ssr] as const;
  }, []);
  return (
    <UrqlProvider client={client} ssr={ssr}>
      {children}
    </UrqlProvider>
  );
}
