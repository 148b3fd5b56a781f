import Link from 'next/link';
import type { ReactNode } from 'react';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="state">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

interface ApiError {
  message: string;
  response?: { status?: number };
  graphQLErrors?: ReadonlyArray<{ extensions?: Record<string, unknown> }>;
}

export function Failure({ error }: { error: ApiError }) {
  if (error.response?.status === 401) {
    return (
      <section className="state" role="alert">
        <h2>Sign in to see this</h2>
        <p>
          The API requires a key. <Link href="/signin">Sign in</Link> with an analyst or admin key.
        </p>
      </section>
    );
  }
  if (error.graphQLErrors?.some((e) => e.extensions?.code === 'FORBIDDEN')) {
    return (
      <section className="state" role="alert">
        <h2>Not for this key</h2>
        <p>Your key’s role may not see this.</p>
      </section>
    );
  }
  return (
    <section className="state state-error" role="alert">
      <h2>Could not reach the API</h2>
      <p>{error.message}</p>
    </section>
  );
}
