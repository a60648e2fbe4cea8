import { ApiError, describeError } from '../shared/api';
import { formatDate } from '../shared/labels';

/** What a failed form submission shows: messages at their fields, a message for the form, a stale version. */
export interface FormProblem {
  /** Field name (last part of the hub's `extensions.fields[].field`) → German message. */
  fields: Record<string, string>;
  message: string;
  /** CONFLICT: someone changed the object meanwhile (or its state no longer allows the action). */
  conflict: boolean;
}

const ISO_DAY = /(\d{4}-\d{2}-\d{2})/;
const day = (problem: string) => {
  const found = ISO_DAY.exec(problem);
  return found ? formatDate(found[1]!) : '';
};

/**
 * The hub's field problems are English and stable (src/errors.ts fieldError, class-validator messages);
 * these are the ones the case forms can meet, in German. Anything else keeps the hub's words, marked.
 */
function germanProblem(field: string, problem: string): string {
  if (field === 'nationalityGroup')
    return 'Bitte einen Ländercode aus zwei Großbuchstaben (z. B. SY) oder OTHER angeben.';
  if (problem === 'lies in the future') return 'Das Datum liegt in der Zukunft.';
  if (problem === 'lies in the past') return 'Der Zeitpunkt liegt in der Vergangenheit.';
  if (problem === 'is not a valid date-time') return 'Bitte einen gültigen Zeitpunkt angeben.';
  if (problem === 'lies before the intake') return 'Das Datum liegt vor der Aufnahme des Falls.';
  if (problem.startsWith('lies before the last recorded event'))
    return `Das Datum liegt vor dem letzten erfassten Ereignis (${day(problem)}).`;
  if (problem.startsWith('may be back-dated to'))
    return `Das Datum darf höchstens bis zum ${day(problem)} zurückliegen.`;
  if (problem.startsWith('lies before')) return `Das Datum liegt vor dem ${day(problem)}.`;
  const ahead = /at most (\d+) days ahead/.exec(problem);
  if (ahead) return `Der Zeitpunkt darf höchstens ${ahead[1]} Tage in der Zukunft liegen.`;
  if (problem === 'is your own organisation') return 'Das ist die eigene Organisation.';
  if (problem === 'is not an active organisation of the alliance')
    return 'Diese Organisation ist nicht (mehr) im Bündnis aktiv.';
  if (problem === 'the offer is archived') return 'Dieses Angebot ist archiviert.';
  if (problem.startsWith('the period ended'))
    return `Dieser Zeitraum ist am ${day(problem)} zu Ende gegangen.`;
  return `Ungültiger Wert (${problem}).`;
}

/** Turns an error of a mutation into what the form shows. */
export function formProblem(error: unknown): FormProblem {
  if (!(error instanceof ApiError)) return { fields: {}, message: describeError(error), conflict: false };
  if (error.code === 'BAD_USER_INPUT' && Array.isArray(error.extensions.fields)) {
    const fields: Record<string, string> = {};
    for (const entry of error.extensions.fields as { field: string; problems: string[] }[]) {
      const name = entry.field.split('.').pop()!;
      fields[name] = germanProblem(name, entry.problems[0] ?? '');
    }
    return { fields, message: 'Bitte die markierten Angaben prüfen.', conflict: false };
  }
  if (error.code === 'CONFLICT') {
    const stale = typeof error.extensions.currentVersion === 'number';
    return {
      fields: {},
      message: stale
        ? 'Dieser Fall wurde inzwischen von jemand anderem geändert. Bitte neu laden und die Änderung dann erneut vornehmen.'
        : conflictMessage(error.message),
      conflict: true,
    };
  }
  if (error.code === 'NO_PLACES_LEFT')
    return {
      fields: {},
      message: 'In diesem Zeitraum ist inzwischen kein Platz mehr frei. Der Fall kann auf die Warteliste.',
      conflict: true,
    };
  return { fields: {}, message: describeError(error), conflict: false };
}

/** CONFLICTs other than a stale version: the state changed so that the action no longer fits. */
function conflictMessage(message: string): string {
  if (/already holds a place/.test(message))
    return 'Für diesen Fall ist in diesem Zeitraum schon ein Platz vorgemerkt.';
  if (/already on the waiting list/.test(message))
    return 'Dieser Fall steht schon auf der Warteliste dieses Zeitraums.';
  if (/reserve one instead/.test(message))
    return 'Inzwischen ist in diesem Zeitraum wieder ein Platz frei: bitte reservieren statt warten.';
  if (/is closed/.test(message)) return 'Dieser Fall ist abgeschlossen.';
  if (/already (released|expired|confirmed)/.test(message) || /not held/.test(message))
    return 'Diese Reservierung hat sich inzwischen geändert (bestätigt, abgelaufen oder freigegeben).';
  return `Das hat sich inzwischen geändert: ${message}`;
}
