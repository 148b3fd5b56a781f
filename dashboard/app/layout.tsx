import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '../src/lib/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Persona Drift', template: '%s · Persona Drift' },
  description: 'Who is drifting from their usual devices, browsers, systems and networks, and why.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

// Next.js replaces any `NEXT_PUBLIC_…` name it can see in the code with the
// build-time value (even through a constant); a name assembled at run time is
// looked up per request, so one build serves any API address.
const API_URL_VARIABLE = ['NEXT', 'PUBLIC', 'API', 'URL'].join('_');

/** Where the browser and the server reach the GraphQL API. */
function apiUrl(): string {
  const env: Record<string, string | undefined> = process.env;
  return env[API_URL_VARIABLE] ?? env.API_URL ?? 'http://localhost:8080/graphql';
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
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
        </header>
        <Providers apiUrl={apiUrl()}>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
