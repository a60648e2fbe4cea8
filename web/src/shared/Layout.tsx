import type { ReactNode } from 'react';
import { StatusNotices } from './StatusNotices';

const PAGES = [
  { href: '/', label: 'Start' },
  { href: '/angebote', label: 'Angebote & Plätze' },
  { href: '/verwaltung', label: 'Verwaltung' },
  { href: '/faelle', label: 'Fälle' },
  { href: '/sitzung', label: 'Bündnis-Sitzung' },
  { href: '/playground', label: 'GraphQL-Playground' },
] as const;

/**
 * Skip link, site header with navigation and the page's <main>; the same on every dashboard. The notices
 * about the connection and the sign-in's end stand at the top of <main>, so every page has them.
 */
export function Layout({ current, children }: { current: string; children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#inhalt">
        Zum Inhalt springen
      </a>
      <header className="site-header">
        <p className="site-title">
          <a href="/">Bündnis Hub</a>
        </p>
        <nav className="site-nav" aria-label="Hauptnavigation">
          <ul>
            {PAGES.map((page) => (
              <li key={page.href}>
                <a href={page.href} aria-current={page.href === current ? 'page' : undefined}>
                  {page.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="inhalt" tabIndex={-1}>
        <StatusNotices />
        {children}
      </main>
    </>
  );
}
