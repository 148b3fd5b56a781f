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

/** Where the browser and the server reach the GraphQL API; read per request, not baked in at build. */
function apiUrl(): string {
  return process.env.NEXT_PUBLIC_API_URL ?? process.env.API_URL ?? 'http://localhost:8080/graphql';
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
