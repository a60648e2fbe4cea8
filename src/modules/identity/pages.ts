import type { Response } from 'express';
import { escapeHtml, sendPlainPage } from '../../web/plain-page.js';

/**
 * The German pages a person meets when a sign-in cannot be completed (the callback is a page the
 * provider sends the browser to, not a request of a script), as web/plain-page.ts writes them.
 */
export function sendSignInPage(
  res: Response,
  status: number,
  page: { title: string; message: string; back: string },
): void {
  sendPlainPage(res, status, {
    title: page.title,
    body: `<p role="alert">${escapeHtml(page.message)}</p>
<p><a href="${escapeHtml(page.back)}">Zurück zum Bündnis Hub</a></p>`,
    referrerPolicy: 'same-origin',
  });
}

/** What each refusal says to the person (never whether some account exists). */
export const REFUSALS = {
  unknown: {
    title: 'Kein Zugang zum Bündnis Hub',
    message:
      'Für dieses Konto der Stadt gibt es im Bündnis Hub keinen Zugang. Bitte wenden Sie sich an die Koordination des Bündnisses: Sie kann Ihnen eine Einladung schicken, mit der Ihr Konto verknüpft wird.',
  },
  deactivated: {
    title: 'Zugang gesperrt',
    message:
      'Ihr Zugang zum Bündnis Hub ist derzeit gesperrt (das Konto oder Ihre Organisation ist deaktiviert). Bitte wenden Sie sich an die Koordination des Bündnisses.',
  },
  invitation: {
    title: 'Einladung ungültig',
    message:
      'Diese Einladung ist unbekannt, schon benutzt oder abgelaufen. Bitte bitten Sie die Koordination um eine neue Einladung.',
  },
  taken: {
    title: 'Konto schon verknüpft',
    message:
      'Dieses Konto der Stadt oder das eingeladene Konto im Bündnis Hub ist schon mit einem anderen Zugang verknüpft. Bitte wenden Sie sich an die Koordination des Bündnisses.',
  },
  'no-role': {
    title: 'Keine Rolle im Bündnis Hub',
    message:
      'Ihr Konto der Stadt gibt Ihnen keine der Rollen, die Ihr Zugang im Bündnis Hub hat. Bitte wenden Sie sich an die Koordination des Bündnisses.',
  },
  expired: {
    title: 'Anmeldung abgelaufen',
    message:
      'Die Anmeldung ist abgelaufen oder wurde in einem anderen Fenster begonnen. Bitte melden Sie sich erneut an.',
  },
  failed: {
    title: 'Anmeldung nicht abgeschlossen',
    message:
      'Die Anmeldung beim Konto der Stadt konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut.',
  },
  unavailable: {
    title: 'Anmeldedienst nicht erreichbar',
    message:
      'Der Anmeldedienst der Stadt ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.',
  },
  disabled: {
    title: 'Anmeldung mit dem Konto der Stadt nicht eingerichtet',
    message: 'In diesem Bündnis Hub ist die Anmeldung mit dem Konto der Stadt nicht eingerichtet.',
  },
} as const;
