'use client';

import { cacheExchange, createClient, type Exchange, fetchExchange, ssrExchange, UrqlProvider } from '@urql/next';
import { type ReactNode, useMemo } from 'react';
import { never } from 'wonka';

/**
 * Never answers: on the server, pages render their empty shells and the
 * browser fetches the data. Server rendering cannot sign requests with the
 * session's key without handing it to client code, which must never see it.
 */
const serverExchange: Exchange = () => () => never;

/** One urql client per mount, talking to the dashboard's own /graphql (which signs and forwards); live updates over SSE. */
export function Providers({ children }: { children: ReactNode }) {
  const [client, ssr] = useMemo(() => {
    const inBrowser = typeof window !== 'undefined';
    const ssr = ssrExchange({ isClient: inBrowser });
    const client = createClient({
      url: inBrowser ? new URL('/graphql', window.location.href).href : 'http://localhost/graphql',
      exchanges: inBrowser ? [cacheExchange, ssr, fetchExchange] : [ssr, serverExchange],
      fetchSubscriptions: true,
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
