import { ApiError, describeError } from '../shared/api';
import { germanConflict, germanProblem } from '../shared/problems';

/** What a failed form submission shows: messages at their fields, a message for the form, a stale version. */
export interface FormProblem {
  /** Field name (last part of the hub's `extensions.fields[].field`) → German message. */
  fields: Record<string, string>;
  message: string;
  /** CONFLICT: someone changed the object meanwhile (or its state no longer allows the action). */
  conflict: boolean;
}

/** Turns an error of a mutation into what the form shows. */
export function formProblem(error: unknown): FormProblem {
  if (!(error instanceof ApiError)) return { fields: {}, message: describeError(error), conflict: false };
  if (error.code === 'BAD_USER_INPUT' && Array.isArray(error.extensions.fields)) {
    const fields: Record<string, string> = {};
    for (const entry of error.extensions.fields as { field: string; problems: string[] }[]) {
      const name = entry.field.split('.').pop()!;
      fields[name] = germanProblem(entry.problems[0] ?? '', name);
    }
    return { fields, message: 'Bitte die markierten Angaben prüfen.', conflict: false };
  }
  if (error.code === 'CONFLICT') {
    const stale = typeof error.extensions.currentVersion === 'number';
    return {
      fields: {},
      message: stale
        ? 'Dieser Fall wurde inzwischen von jemand anderem geändert. Bitte neu laden und die Änderung dann erneut vornehmen.'
        : germanConflict(error),
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
