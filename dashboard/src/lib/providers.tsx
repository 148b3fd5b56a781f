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
import type { Client as SseClient } from 'graphql-sse';
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { never } from 'wonka';
import { createLiveClient, type LiveState } from './live-stream';

const LiveStateContext = createContext<LiveState>('connecting');

/** Whether the tab's live stream is open (see live-stream.ts). */
export function useLiveState(): LiveState {
  return useContext(LiveStateContext);
}

/**
 * Never answers: on the server, pages render their empty shells and the
 * browser fetches the data. Server rendering cannot sign requests with the
 * session's key without handing it to client code, which must never see it.
 */
const serverExchange: Exchange = () => () => never;

/** Subscriptions over the tab's one live stream. */
function liveExchange(sse: SseClient<true>): Exchange {
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
  const [live, setLive] = useState<LiveState>('connecting');
  const [client, ssr] = useMemo(() => {
    const inBrowser = typeof window !== 'undefined';
    const ssr = ssrExchange({ isClient: inBrowser });
    const url = inBrowser ? new URL('/graphql', window.location.href).href : 'http://localhost/graphql';
    const exchanges = inBrowser
      ? [cacheExchange, ssr, liveExchange(createLiveClient(url, setLive)), fetchExchange]
      : [ssr, serverExchange];
    const client = createClient({ url, exchanges, suspense: false, requestPolicy: 'cache-and-network' });
    return [client, ssr] as const;
  }, []);
  return (
    <UrqlProvider client={client} ssr={ssr}>
      <LiveStateContext.Provider value={live}>{children}</LiveStateContext.Provider>
    </UrqlProvider>
  );
}
