import { ApiError, describeError } from '../shared/api';
import { formatDateTime } from '../shared/labels';
import { germanConflict, germanProblem } from '../shared/problems';

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

/** Sorts an error of a form's mutation into field messages, a stale-version conflict or a message. */
export function formErrorsOf(error: unknown): FormErrors {
  if (error instanceof ApiError && error.code === 'BAD_USER_INPUT') {
    const fields: Record<string, string> = {};
    const listed = error.extensions.fields as { field: string; problems: string[] }[] | undefined;
    for (const { field, problems } of listed ?? []) {
      // Nested inputs name their path (eligibility.minAge); the form's fields use the last part.
      const name = field.split('.').pop()!;
      fields[name] = problems.map((problem) => germanProblem(problem, name)).join(' ');
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
