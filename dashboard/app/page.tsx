import { Suspense } from 'react';
import { OverviewPage } from '../src/components/OverviewPage';
import { Loading } from '../src/components/States';

export default function Home() {
  return (
    <Suspense fallback={<Loading what="users" />}>
      <OverviewPage />
    </Suspense>
  );
}
