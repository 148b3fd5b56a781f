import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AlertsPage } from '../../src/components/AlertsPage';
import { Loading } from '../../src/components/States';
import { statusFilterOf } from '../../src/lib/alert-filters';

export const metadata: Metadata = { title: 'Alerts' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** `/alerts?user=<id>&status=resolved` opens the page with those filters. */
export default async function Alerts({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <Suspense fallback={<Loading what="alerts" />}>
      <AlertsPage initialUser={first(params.user) ?? ''} initialStatus={statusFilterOf(first(params.status))} />
    </Suspense>
  );
}
