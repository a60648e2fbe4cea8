import type { Response } from 'express';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface NotificationPage {
  title: string;
  message: string;
  /** A form that POSTs back to `action` with one button (GET pages never change anything). */
  form?: { action: string; button: string; explanation: string };
}

/**
 * The small German pages behind the links of saved-search mails: no scripts, the hub's strict CSP,
 * `lang="de"`, one heading, a button labelled by its text and described by the sentence before it, and a
 * focus outline that shows (BITV 2.0 / WCAG 2.4.7).
 */
export function sendNotificationPage(res: Response, status: number, page: NotificationPage): void {
  const form = page.form
    ? `<p id="erklaerung">${escapeHtml(page.form.explanation)}</p>
<form method="post" action="${escapeHtml(page.form.action)}">
<button type="submit" aria-describedby="erklaerung">${escapeHtml(page.form.button)}</button>
</form>`
    : '';
  res
    .status(status)
    .set({
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      // The token is in the address: it must not travel on to another site in a Referer.
      'referrer-policy': 'no-referrer',
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
<p>${escapeHtml(page.message)}</p>
${form}
<p><a href="/angebote">Zu den Angeboten</a></p>
</main>
</body>
</html>
`);
}
