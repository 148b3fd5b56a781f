'use client';

import { cacheExchange, createClient, fetchExchange, ssrExchange, UrqlProvider } from '@urql/next';
import { type ReactNode, useMemo } from 'react';

/** One urql client and SSR exchange per mount; subscriptions ride the API's GraphQL over SSE. */
export function Providers({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const [client, ssr] = useMemo(() => {
    const ssr = ssrExchange({ isClient: typeof window !== 'undefined' });
    const client = createClient({
      url: apiUrl,
      exchanges: [cacheExchange, ssr, fetchExchange],
      fetchSubscriptions: true,
      suspense: true,
      requestPolicy: 'cache-and-network',
    });
    return [client, ssr] as const;
  }, [apiUrl]);
  return (
    <UrqlProvider client={client} ssr={ssr}>
      {children}
    </UrqlProvider>
  );
}
