import { escapeHtml } from '../../web/plain-page.js';
/** One offer period whose free places rose, as the search's viewer may read it. */
export interface FreedPlace {
  title: string;
  organisation: string;
  period: string;
  /** Exact free places; null where the viewer sees bands only (the public). */
  available: number | null;
  availability: 'NONE' | 'FEW' | 'SOME';
  url: string;
}

const BANDS: Record<FreedPlace['availability'], string> = {
  NONE: 'keine freien Plätze',
  FEW: 'wenige freie Plätze',
  SOME: 'freie Plätze',
};

const placesText = (p: FreedPlace) =>
  p.available === null
    ? `Jetzt: ${BANDS[p.availability]}`
    : `Jetzt frei: ${p.available} ${p.available === 1 ? 'Platz' : 'Plätze'}`;

const htmlPage = (title: string, body: string) => `<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; color: #1a1a1a; line-height: 1.5; max-width: 40rem;">
${body}
</body>
</html>
`;

/** The mail of a saved search: every offer whose places rose, with its link, and the way out. */
export function freedPlacesMail(search: { name: string }, places: FreedPlace[], unsubscribeUrl: string) {
  const subject =
    places.length === 1
      ? `Freie Plätze: ${places[0]!.title}`
      : `Freie Plätze in ${places.length} Angeboten – „${search.name}“`;
  const intro = `Für Ihre gespeicherte Suche „${search.name}“ sind Plätze frei geworden:`;
  const footer = [
    'Sie erhalten diese E-Mail, weil Sie die Suche im Bündnis Hub gespeichert haben.',
    `Benachrichtigungen für diese Suche abbestellen: ${unsubscribeUrl}`,
  ];
  const text = [
    intro,
    '',
    ...places.flatMap((p) => [
      `• ${p.title}`,
      `  Träger: ${p.organisation}`,
      `  Zeitraum: ${p.period}`,
      `  ${placesText(p)}`,
      `  Zum Angebot: ${p.url}`,
      '',
    ]),
    '-- ',
    ...footer,
    '',
  ].join('\n');
  const items = places
    .map(
      (p) => `<li style="margin-bottom: 1em;">
<h2 style="font-size: 1.1em; margin: 0;"><a href="${escapeHtml(p.url)}" style="color: #0b5394;">${escapeHtml(p.title)}</a></h2>
<p style="margin: 0;">Träger: ${escapeHtml(p.organisation)}<br>Zeitraum: ${escapeHtml(p.period)}<br><strong>${escapeHtml(placesText(p))}</strong></p>
</li>`,
    )
    .join('\n');
  const html = htmlPage(
    subject,
    `<h1 style="font-size: 1.3em;">Freie Plätze für „${escapeHtml(search.name)}“</h1>
<p>${escapeHtml(intro)}</p>
<ul style="padding-left: 1.2em;">
${items}
</ul>
<hr>
<p style="font-size: 0.9em;">${escapeHtml(footer[0]!)}<br><a href="${escapeHtml(unsubscribeUrl)}" style="color: #0b5394;">Benachrichtigungen für diese Suche abbestellen</a></p>`,
  );
  return { subject, text, html };
}

/** The double opt-in mail of a search saved without an account. */
export function confirmationMail(search: { name: string }, confirmUrl: string) {
  const subject = `Bitte bestätigen Sie Ihre Benachrichtigung „${search.name}“`;
  const lines = [
    `Mit dieser E-Mail-Adresse wurde im Bündnis Hub die Suche „${search.name}“ gespeichert: Sie möchten erfahren, wenn bei passenden Angeboten Plätze frei werden.`,
    'Erst wenn Sie bestätigen, schicken wir Ihnen solche Nachrichten. Wenn Sie das nicht waren, müssen Sie nichts tun: ohne Bestätigung erhalten Sie keine weitere E-Mail.',
  ];
  const text = [...lines.flatMap((l) => [l, '']), `Benachrichtigung bestätigen: ${confirmUrl}`, ''].join(
    '\n',
  );
  const html = htmlPage(
    subject,
    `<h1 style="font-size: 1.3em;">Benachrichtigung bestätigen</h1>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<p><a href="${escapeHtml(confirmUrl)}" style="color: #0b5394;">Benachrichtigung bestätigen</a></p>`,
  );
  return { subject, text, html };
}
