import type { Response } from 'express';

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The hub's small German pages outside the app (a sign-in that cannot be completed, the links of
 * saved-search mails): no scripts, the hub's strict CSP, `lang="de"`, one heading, and a focus outline
 * that shows (BITV 2.0 / WCAG 2.4.7). `body` is HTML the caller built with escapeHtml.
 */
export function sendPlainPage(
  res: Response,
  status: number,
  page: { title: string; body: string; referrerPolicy: 'same-origin' | 'no-referrer' },
): void {
  res
    .status(status)
    .set({
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': page.referrerPolicy,
    })
    .type('html')
    .send(`<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} – Bündnis Hub</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f6f7f9; line-height: 1.5; }
main { max-width: 40rem; margin: 3rem auto; padding: 1.5rem; background: #fff; border-radius: 8px; }
h1 { font-size: 1.5rem; margin-top: 0; }
a { color: #0b5394; }
button { font: inherit; padding: 0.6rem 1.2rem; border: 2px solid #0b5394; border-radius: 6px; background: #0b5394; color: #fff; cursor: pointer; }
a:focus-visible, button:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 3px; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
${page.body}
</main>
</body>
</html>
`);
}
