import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Loading } from '../../../src/components/States';
import { UserPage } from '../../../src/components/UserPage';

type Params = Promise<{ userId: string }>;

/** The segment as the user id it names; a stray `%` stays as typed. */
function userIdFrom(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { userId } = await params;
  return { title: userIdFrom(userId) };
}

export default async function User({ params }: { params: Params }) {
  const { userId } = await params;
  const id = userIdFrom(userId);
  return (
    <Suspense fallback={<Loading what={`user ${id}`} />}>
      <UserPage userId={id} />
    </Suspense>
  );
}
