import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { Loading } from '../../src/components/States';
import { UserPage } from '../../src/components/UserPage';
import { visibleId } from '../../src/lib/format';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The user id in `?id=` (the first, if it is given twice). */
async function userIdFrom(searchParams: SearchParams): Promise<string | undefined> {
  const { id } = await searchParams;
  return Array.isArray(id) ? id[0] : id;
}

export async function generateMetadata({ searchParams }: { searchParams: SearchParams }): Promise<Metadata> {
  const id = await userIdFrom(searchParams);
  return { title: id === undefined ? 'User' : visibleId(id) };
}

export default async function User({ searchParams }: { searchParams: SearchParams }) {
  const id = await userIdFrom(searchParams);
  if (id === undefined) notFound();
  return (
    <Suspense fallback={<Loading what={`user ${visibleId(id)}`} />}>
      <UserPage userId={id} />
    </Suspense>
  );
}
