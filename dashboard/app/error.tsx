'use client';

export default function ErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <section className="state state-error" role="alert">
      <h1>Something went wrong</h1>
      <p>{error.message || 'The dashboard could not load this page.'}</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
