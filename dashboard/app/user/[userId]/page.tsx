import { redirect } from 'next/navigation';
import { userHref } from '../../../src/lib/format';

type Params = Promise<{ userId: string }>;

/** The segment as the user id it names; a stray `%` stays as typed. */
function userIdFrom(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Links of the older shape, `/user/<id>`, lead to the user's page. */
export default async function UserByPath({ params }: { params: Params }) {
  const { userId } = await params;
  redirect(userHref(userIdFrom(userId)));
}
