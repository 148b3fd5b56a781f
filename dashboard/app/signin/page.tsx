import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Sign in' };

const MESSAGES: Record<string, string> = {
  missing: 'Paste an API key to sign in.',
  invalid: 'That key is not valid, or it was revoked.',
  producer: 'That is a producer key: it can send events but not read them. Use an analyst or admin key.',
  throttled: 'Too many failed sign-ins from your address. Wait a minute, then try again.',
  unreachable: 'The API cannot be reached right now. Try again shortly.',
};

export default async function SignIn({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const error = params.error === undefined ? undefined : (MESSAGES[params.error] ?? 'Sign-in failed.');
  return (
    <section className="card signin">
      <h1>Sign in</h1>
      <p>
        Sign in with an <strong>analyst</strong> or <strong>admin</strong> API key. An admin creates one with{' '}
        <code>npm run keys -- create --role analyst</code>.
      </p>
      {params.signedout ? <p role="status">You are signed out.</p> : null}
      {error ? (
        <p role="alert" className="signin-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/session">
        <label htmlFor="key">API key</label>
        <input id="key" name="key" type="password" autoComplete="off" spellCheck={false} required placeholder="pd_…" />
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
