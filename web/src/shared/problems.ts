import type { ApiError } from './api';
import { formatDate } from './labels';

/**
 * The hub's validation problems and conflicts are English sentences for developers (class-validator,
 * src/errors.ts fieldError, the services' checks); people read these German ones, matched by pattern.
 * One list for every page, so a message reads the same on /verwaltung and /faelle. Unknown problems keep
 * the hub's words after a German lead-in, so nothing is lost.
 */

const ISO_DAY = /(\d{4}-\d{2}-\d{2})/;
const dayIn = (problem: string) => {
  const found = ISO_DAY.exec(problem);
  return found ? formatDate(found[1]!) : '';
};

/** Problems that say something only about one field. */
const FIELD_PROBLEMS: Record<string, string> = {
  nationalityGroup: 'Bitte einen Ländercode aus zwei Großbuchstaben (z. B. SY) oder OTHER angeben.',
};

const PROBLEMS: [RegExp, (m: RegExpMatchArray, problem: string) => string][] = [
  [/is required/, () => 'Bitte ausfüllen.'],
  [/should not be empty|must have at least \d+ non-blank/, () => 'Bitte ausfüllen.'],
  [/must be longer than or equal to (\d+) characters/, (m) => `Bitte mindestens ${m[1]} Zeichen eingeben.`],
  [/must be shorter than or equal to (\d+) characters/, (m) => `Bitte höchstens ${m[1]} Zeichen eingeben.`],
  [/must not be less than (-?\d+)/, (m) => `Der Wert darf nicht kleiner als ${m[1]} sein.`],
  [/must not be greater than (-?\d+)/, (m) => `Der Wert darf nicht größer als ${m[1]} sein.`],
  [/must not be below minAge/, () => 'Das Höchstalter darf nicht unter dem Mindestalter liegen.'],
  [/must contain at least (\d+) elements?/, () => 'Bitte mindestens einen Eintrag wählen.'],
  [/must contain no more than (\d+) elements/, (m) => `Bitte höchstens ${m[1]} Einträge.`],
  [/ISO 639-1/, () => 'Sprachen als Kürzel nach ISO 639-1 angeben, z. B. „de, ar“.'],
  [/German postal code/, () => 'Bitte eine fünfstellige Postleitzahl angeben.'],
  [/is not a valid date-time/, () => 'Bitte einen gültigen Zeitpunkt angeben.'],
  [/ISO 8601|valid date/, () => 'Bitte ein gültiges Datum angeben.'],
  [/must be an integer/, () => 'Bitte eine ganze Zahl angeben.'],
  [
    /must not lie before (startsOn|validFrom)|lies before validFrom/,
    () => 'Das Ende darf nicht vor dem Beginn liegen.',
  ],
  [/lies in the past; a new version/, () => 'Eine neue Version beginnt frühestens heute.'],
  [/lies in the past/, () => 'Das liegt in der Vergangenheit.'],
  [/lies in the future/, () => 'Das Datum liegt in der Zukunft.'],
  [/lies before the intake/, () => 'Das Datum liegt vor der Aufnahme des Falls.'],
  [
    /lies before the last recorded event/,
    (_m, p) => `Das Datum liegt vor dem letzten erfassten Ereignis (${dayIn(p)}).`,
  ],
  [/may be back-dated to/, (_m, p) => `Das Datum darf höchstens bis zum ${dayIn(p)} zurückliegen.`],
  [/lies before/, (_m, p) => `Das Datum liegt vor dem ${dayIn(p)}.`],
  [/at most (\d+) days ahead/, (m) => `Der Zeitpunkt darf höchstens ${m[1]} Tage in der Zukunft liegen.`],
  [/is your own organisation/, () => 'Das ist die eigene Organisation.'],
  [
    /is not an active organisation of the alliance/,
    () => 'Diese Organisation ist nicht (mehr) im Bündnis aktiv.',
  ],
  [/must be a location of the offer/, () => 'Bitte einen Standort Ihrer Organisation wählen.'],
  [/this location is archived/, () => 'Dieser Standort ist archiviert; bitte einen aktiven wählen.'],
  [/no funding programme has the code "(.*)"/, (m) => `Kein Förderprogramm hat das Kürzel „${m[1]}“.`],
  [/own organisation only/, () => 'Sie legen nur für Ihre eigene Organisation an.'],
  [/Name the partner/, () => 'Bitte die Partnerorganisation wählen.'],
  [/already sees its own data/, () => 'Die eigene Organisation sieht ihre Daten ohnehin.'],
  [/only for audience ORGANISATION/, () => 'Eine Organisation nur bei Freigabe an eine Organisation wählen.'],
  [/the offer is archived/, () => 'Das Angebot ist archiviert.'],
  [/the period ended/, (_m, p) => `Dieser Zeitraum ist am ${dayIn(p)} zu Ende gegangen.`],
];

/** A field problem of BAD_USER_INPUT in German (`field`: the last part of its path, if known). */
export function germanProblem(problem: string, field?: string): string {
  const forField = field ? FIELD_PROBLEMS[field] : undefined;
  if (forField) return forField;
  for (const [pattern, say] of PROBLEMS) {
    const match = problem.match(pattern);
    if (match) return say(match, problem);
  }
  return `Bitte prüfen (Hinweis des Hubs: ${problem}).`;
}

/** A CONFLICT that is not a stale version: the state changed so that the action no longer fits. */
export function germanConflict(error: ApiError): string {
  const e = error.extensions;
  if (typeof e.minimum === 'number') {
    return typeof e.occupied === 'number'
      ? `${e.occupied} Plätze sind belegt und ${e.reserved} reserviert: Die Gesamtzahl kann nicht unter ${e.minimum} sinken.`
      : `Plätze sind vergeben: Die Gesamtzahl kann nicht unter ${e.minimum} sinken.`;
  }
  if (typeof e.activeOffers === 'number')
    return `Dieser Standort wird noch von ${e.activeOffers} aktiven Angeboten genutzt; bitte diese zuerst verlegen oder archivieren.`;
  if (typeof e.validFrom === 'string' && typeof e.version === 'number')
    return `Version ${e.version} gilt bereits ab ${e.validFrom}; eine neue Version muss danach beginnen.`;
  const message = error.message;
  if (/already holds a place/.test(message))
    return 'Für diesen Fall ist in diesem Zeitraum schon ein Platz vorgemerkt.';
  if (/already on the waiting list/.test(message))
    return 'Dieser Fall steht schon auf der Warteliste dieses Zeitraums.';
  if (/reserve one instead/.test(message))
    return 'Inzwischen ist in diesem Zeitraum wieder ein Platz frei: bitte reservieren statt warten.';
  if (/is closed/.test(message)) return 'Dieser Fall ist abgeschlossen.';
  if (
    typeof e.status === 'string' ||
    /already (released|expired|confirmed)/.test(message) ||
    /not held/.test(message)
  )
    return 'Diese Reservierung hat sich inzwischen geändert (bestätigt, abgelaufen oder freigegeben).';
  if (/already revoked/.test(message)) return 'Diese Freigabe wurde bereits widerrufen.';
  if (/already has a period starting/.test(message))
    return 'Dieses Angebot hat schon einen Zeitraum mit diesem Beginn.';
  return `Das passt nicht mehr zum aktuellen Stand: ${message}`;
}
