import type { ReactNode } from 'react';

const PAGES = [
  { href: '/', label: 'Start' },
  { href: '/angebote', label: 'Angebote & Plätze' },
  { href: '/verwaltung', label: 'Verwaltung' },
  { href: '/faelle', label: 'Fälle' },
  { href: '/sitzung', label: 'Bündnis-Sitzung' },
  { href: '/playground', label: 'GraphQL-Playground' },
] as const;

/** Skip link, site header with navigation and the page's <main>; the same on every dashboard. */
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
        {children}
      </main>
    </>
  );
}
