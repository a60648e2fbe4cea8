import { ApiError, describeError } from '../shared/api';
import { formatDateTime } from '../shared/labels';

/** What went wrong with a form: messages per field (German), a general message, or a stale version. */
export interface FormErrors {
  fields: Record<string, string>;
  message: string | null;
  conflict: Conflict | null;
}

/** The hub's CONFLICT on an optimistic-lock mismatch: someone saved a newer version meanwhile. */
export interface Conflict {
  currentVersion: number;
  yourVersion: number;
  /** When the newer version was saved (CONFLICT's `changedAt`). */
  changedAt: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, message: null, conflict: null };

/**
 * The hub's validation problems are English sentences for developers (class-validator and the services'
 * checks); people read these German ones instead, matched by their pattern. Unknown ones keep the hub's
 * words after a German lead-in, so nothing is lost.
 */
const PROBLEMS: [RegExp, (m: RegExpMatchArray) => string][] = [
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
  [/ISO 8601|valid date/, () => 'Bitte ein gültiges Datum angeben.'],
  [/must be an integer/, () => 'Bitte eine ganze Zahl angeben.'],
  [/must not lie before (startsOn|validFrom)/, () => 'Das Ende darf nicht vor dem Beginn liegen.'],
  [/lies before validFrom/, () => 'Das Ende darf nicht vor dem Beginn liegen.'],
  [/lies in the past; a new version/, () => 'Eine neue Version beginnt frühestens heute.'],
  [/lies in the past/, () => 'Das Datum liegt in der Vergangenheit.'],
  [/must be a location of the offer/, () => 'Bitte einen Standort Ihrer Organisation wählen.'],
  [/this location is archived/, () => 'Dieser Standort ist archiviert; bitte einen aktiven wählen.'],
  [/no funding programme has the code "(.*)"/, (m) => `Kein Förderprogramm hat das Kürzel „${m[1]}“.`],
  [/own organisation only/, () => 'Sie legen nur für Ihre eigene Organisation an.'],
  [/Name the partner/, () => 'Bitte die Partnerorganisation wählen.'],
  [/already sees its own data/, () => 'Die eigene Organisation sieht ihre Daten ohnehin.'],
  [/only for audience ORGANISATION/, () => 'Eine Organisation nur bei Freigabe an eine Organisation wählen.'],
  [/the offer is archived/, () => 'Das Angebot ist archiviert.'],
];

export function germanProblem(problem: string): string {
  for (const [pattern, say] of PROBLEMS) {
    const match = problem.match(pattern);
    if (match) return say(match);
  }
  return `Bitte prüfen (Hinweis des Hubs: ${problem}).`;
}

/** German messages for CONFLICTs that are not a stale version (they name numbers or states). */
function germanConflict(error: ApiError): string {
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
  if (typeof e.status === 'string') return `Die Reservierung ist nicht mehr gehalten (Status: ${e.status}).`;
  if (/already revoked/.test(error.message)) return 'Diese Freigabe wurde bereits widerrufen.';
  if (/already has a period starting/.test(error.message))
    return 'Dieses Angebot hat schon einen Zeitraum mit diesem Beginn.';
  return `Der Vorgang passt nicht zum aktuellen Stand: ${error.message}`;
}

/** Sorts an error of a form's mutation into field messages, a stale-version conflict or a message. */
export function formErrorsOf(error: unknown): FormErrors {
  if (error instanceof ApiError && error.code === 'BAD_USER_INPUT') {
    const fields: Record<string, string> = {};
    const listed = error.extensions.fields as { field: string; problems: string[] }[] | undefined;
    for (const { field, problems } of listed ?? []) {
      // Nested inputs name their path (eligibility.minAge); the form's fields use the last part.
      fields[field.split('.').pop()!] = problems.map(germanProblem).join(' ');
    }
    const argument = error.extensions.argument;
    if (typeof argument === 'string' && !listed) fields[argument] = germanProblem(error.message);
    return {
      fields,
      message: Object.keys(fields).length
        ? 'Bitte die markierten Felder prüfen.'
        : `Ungültige Eingabe: ${germanProblem(error.message)}`,
      conflict: null,
    };
  }
  if (error instanceof ApiError && error.code === 'CONFLICT') {
    const e = error.extensions;
    if (typeof e.currentVersion === 'number' && typeof e.yourVersion === 'number') {
      return {
        fields: {},
        message: null,
        conflict: {
          currentVersion: e.currentVersion,
          yourVersion: e.yourVersion,
          changedAt: typeof e.changedAt === 'string' ? e.changedAt : null,
        },
      };
    }
    return { fields: {}, message: germanConflict(error), conflict: null };
  }
  return { fields: {}, message: describeError(error), conflict: null };
}

export const formatWhen = (iso: string) => `am ${formatDateTime(iso)} Uhr`;
