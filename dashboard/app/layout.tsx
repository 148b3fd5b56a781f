import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '../src/lib/providers';
import { apiGraphqlUrl, SESSION_COOKIE, unsealSession } from '../src/lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Persona Drift', template: '%s · Persona Drift' },
  description: 'Users at risk: who has drifted from their usual devices, browsers, systems and networks, and why.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/** Whether the API runs open (no keys), asked of its health check; null when it does not answer. */
async function apiAuthMode(): Promise<string | null> {
  try {
    const res = await fetch(new URL('/health', apiGraphqlUrl()), {
      cache: 'no-store',
      signal: AbortSignal.timeout(1500),
    });
    return ((await res.json()) as { auth?: string }).auth ?? null;
  } catch {
    return null;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const session = unsealSession((await cookies()).get(SESSION_COOKIE)?.value);
  const mode = session === null ? await apiAuthMode() : 'keys';
  const isAdmin = session?.role === 'admin' || mode === 'open';
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            Persona Drift
          </Link>
          <span className="tagline">who stopped behaving like themselves</span>
          <nav className="main-nav" aria-label="Main">
            <Link href="/">Users at risk</Link>
            <Link href="/alerts">Alerts</Link>
          </nav>
          <nav className="account" aria-label="Account">
            {isAdmin ? <Link href="/admin">Keys and audit</Link> : null}
            {session !== null ? (
              <>
                <span data-testid="signed-in">
                  {session.role} · <code>{session.prefix}…</code>
                </span>
                <form method="post" action="/session" className="signout-form">
                  <input type="hidden" name="action" value="signout" />
                  <button type="submit" className="link-button">
                    Sign out
                  </button>
                </form>
              </>
            ) : mode === 'open' ? (
              <span className="open-access" title="The API has no keys: anyone who can reach it is admin">
                open access
              </span>
            ) : (
              <Link href="/signin">Sign in</Link>
            )}
          </nav>
        </header>
        <Providers>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
