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

export function Failure({ error }: { error: { message: string } }) {
  return (
    <section className="state state-error" role="alert">
      <h2>Could not reach the API</h2>
      <p>{error.message}</p>
    </section>
  );
}
