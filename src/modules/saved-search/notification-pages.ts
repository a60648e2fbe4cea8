import type { Response } from 'express';

import { escapeHtml, sendPlainPage } from '../../web/plain-page.js';

export interface NotificationPage {
  title: string;
  message: string;
  /** A form that POSTs back to `action` with one button (GET pages never change anything). */
  form?: { action: string; button: string; explanation: string };
}

/**
 * The small German pages behind the links of saved-search mails (web/plain-page.ts): a button
 * labelled by its text and described by the sentence before it.
 */
export function sendNotificationPage(res: Response, status: number, page: NotificationPage): void {
  const form = page.form
    ? `<p id="erklaerung">${escapeHtml(page.form.explanation)}</p>
<form method="post" action="${escapeHtml(page.form.action)}">
<button type="submit" aria-describedby="erklaerung">${escapeHtml(page.form.button)}</button>
</form>`
    : '';
  sendPlainPage(res, status, {
    title: page.title,
    body: `<p>${escapeHtml(page.message)}</p>
${form}
<p><a href="/angebote">Zu den Angeboten</a></p>`,
    // The token is in the address: it must not travel on to another site in a Referer.
    referrerPolicy: 'no-referrer',
  });
}
