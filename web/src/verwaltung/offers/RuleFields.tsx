import { GERMAN_LEVEL_LABELS, GERMAN_LEVELS, RESIDENCE_STATUSES } from '../../shared/labels';
import { Field } from '../Field';

/** An eligibility rule version as typed. */
export interface RuleValues {
  residenceStatuses: string[];
  minAge: string;
  maxAge: string;
  minGermanLevel: string;
  legalBasisNote: string;
  validFrom: string;
  validTo: string;
}

export const emptyRule = (): RuleValues => ({
  residenceStatuses: [],
  minAge: '18',
  maxAge: '27',
  minGermanLevel: '',
  legalBasisNote: '',
  validFrom: '',
  validTo: '',
});

/** The API's EligibilityRuleInput; ages that are no whole numbers are refused here, in German. */
export function ruleInput(values: RuleValues): {
  input: Record<string, unknown>;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const age = (key: 'minAge' | 'maxAge') => {
    const n = Number(values[key]);
    if (!/^\d+$/.test(values[key].trim()) || !Number.isInteger(n)) {
      errors[key] = 'Bitte ein Alter in ganzen Jahren angeben.';
      return 0;
    }
    return n;
  };
  const input = {
    residenceStatuses: values.residenceStatuses,
    minAge: age('minAge'),
    maxAge: age('maxAge'),
    minGermanLevel: values.minGermanLevel || undefined,
    legalBasisNote: values.legalBasisNote.trim() || undefined,
    validFrom: values.validFrom || undefined,
    validTo: values.validTo || undefined,
  };
  return { input, errors };
}

/** The fields of a rule version: residence statuses, ages, German level, legal basis, validity. */
export function RuleFields({
  idPrefix,
  values,
  errors,
  onChange,
}: {
  idPrefix: string;
  values: RuleValues;
  errors: Record<string, string>;
  onChange: (values: RuleValues) => void;
}) {
  const set = (patch: Partial<RuleValues>) => onChange({ ...values, ...patch });
  const statusError = errors.residenceStatuses;
  return (
    <>
      <fieldset className="checks" aria-describedby={statusError ? `${idPrefix}-statuses-error` : undefined}>
        <legend>Zugelassene Aufenthaltsstatus</legend>
        {Object.entries(RESIDENCE_STATUSES).map(([status, label]) => (
          <label key={status} className="check">
            <input
              type="checkbox"
              checked={values.residenceStatuses.includes(status)}
              onChange={(e) =>
                set({
                  residenceStatuses: e.target.checked
                    ? [...values.residenceStatuses, status]
                    : values.residenceStatuses.filter((s) => s !== status),
                })
              }
            />
            {label}
          </label>
        ))}
        {statusError && (
          <span className="field-error" id={`${idPrefix}-statuses-error`}>
            {statusError}
          </span>
        )}
      </fieldset>
      <div className="field-row">
        <Field id={`${idPrefix}-minAge`} label="Mindestalter" error={errors.minAge}>
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="numeric"
              className="short"
              value={values.minAge}
              onChange={(e) => set({ minAge: e.target.value })}
            />
          )}
        </Field>
        <Field id={`${idPrefix}-maxAge`} label="Höchstalter" error={errors.maxAge}>
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="numeric"
              className="short"
              value={values.maxAge}
              onChange={(e) => set({ maxAge: e.target.value })}
            />
          )}
        </Field>
        <Field id={`${idPrefix}-minGermanLevel`} label="Mindestens Deutsch" error={errors.minGermanLevel}>
          {(control) => (
            <select
              {...control}
              value={values.minGermanLevel}
              onChange={(e) => set({ minGermanLevel: e.target.value })}
            >
              <option value="">keine Vorgabe</option>
              {GERMAN_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {GERMAN_LEVEL_LABELS[level]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field
        id={`${idPrefix}-legalBasisNote`}
        label="Rechtsgrundlage"
        hint="z. B. „§ 44 AufenthG“"
        error={errors.legalBasisNote}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            value={values.legalBasisNote}
            onChange={(e) => set({ legalBasisNote: e.target.value })}
          />
        )}
      </Field>
      <div className="field-row">
        <Field id={`${idPrefix}-validFrom`} label="Gilt ab" hint="leer: ab heute" error={errors.validFrom}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={values.validFrom}
              onChange={(e) => set({ validFrom: e.target.value })}
            />
          )}
        </Field>
        <Field id={`${idPrefix}-validTo`} label="Gilt bis" hint="leer: unbefristet" error={errors.validTo}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={values.validTo}
              onChange={(e) => set({ validTo: e.target.value })}
            />
          )}
        </Field>
      </div>
    </>
  );
}
