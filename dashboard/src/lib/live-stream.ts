import { type Client, createClient } from 'graphql-sse';

/** Waits before the next reconnect: doubling from 1 s to at most 30 s, each somewhat shortened at random. */
export function reconnectDelay(retries: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 1_000 * 2 ** retries);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Whether the stream is open, being (re)opened, or given up because the session no longer signs in. */
export type LiveState = 'connecting' | 'open' | 'signed-out';

/**
 * The tab's one event stream for every subscription (graphql-sse's single
 * connection mode), opened with the first and closed a little after the
 * last, so moving between pages keeps it. A browser keeps at most six
 * HTTP/1.1 connections to one host: a stream per subscription would let
 * three open tabs take them all, and a fourth would never load. A lost stream is opened
 * again for as long as the tab stays, backing off to every 30 s, so live
 * panels come back after the API restarts; an answer that the session does
 * not sign in (401, 403) ends it, as retrying cannot help.
 */
export function createLiveClient(url: string, onState: (state: LiveState) => void): Client<true> {
  let refused = false;
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    refused = response.status === 401 || response.status === 403;
    return response;
  };
  return createClient({
    url,
    singleConnection: true,
    lazyCloseTimeout: 2_000,
    fetchFn,
    retryAttempts: Number.POSITIVE_INFINITY,
    retry: async (retries) => {
      if (refused) {
        onState('signed-out');
        throw new Error('the session no longer signs in to the API');
      }
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(retries)));
    },
    on: {
      connecting: () => onState('connecting'),
      connected: () => onState('open'),
    },
  });
}
