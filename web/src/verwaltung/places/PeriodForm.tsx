import { type FormEvent, useId, useState } from 'react';
import { request } from '../../shared/api';
import { Field, FormMessage } from '../Field';
import { type FormErrors, formErrorsOf, NO_ERRORS } from '../form-errors';
import type { Workspace } from '../workspace';
import { CREATE_PERIOD } from './place-queries';

/** A new run of the offer: label, first and last day, places. */
export function PeriodForm({
  workspace,
  offerId,
  onCreated,
}: {
  workspace: Workspace;
  offerId: string;
  onCreated: (message: string) => void;
}) {
  const id = useId();
  const [values, setValues] = useState({ label: '', startsOn: '', endsOn: '', total: '' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof values>) => setValues((v) => ({ ...v, ...patch }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!values.startsOn) local.startsOn = 'Bitte den ersten Tag angeben.';
    if (!values.endsOn) local.endsOn = 'Bitte den letzten Tag angeben.';
    if (!/^\d+$/.test(values.total.trim())) local.total = 'Bitte die Zahl der Plätze als ganze Zahl angeben.';
    if (Object.keys(local).length) {
      setErrors({ fields: local, message: 'Bitte die markierten Felder prüfen.', conflict: null });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await request(
        CREATE_PERIOD,
        {
          input: {
            offerId,
            label: values.label.trim() || undefined,
            startsOn: values.startsOn,
            endsOn: values.endsOn,
            total: Number(values.total),
          },
        },
        workspace.token,
      );
      setValues({ label: '', startsOn: '', endsOn: '', total: '' });
      onCreated('Der Zeitraum wurde angelegt.');
    } catch (e) {
      setErrors(formErrorsOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="editor-form" noValidate onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Neuer Zeitraum</h3>
      <Field
        id={`${id}-label`}
        label="Bezeichnung"
        hint="z. B. „Kurs Frühjahr 2027“"
        error={errors.fields.label}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            value={values.label}
            onChange={(e) => set({ label: e.target.value })}
          />
        )}
      </Field>
      <div className="field-row">
        <Field id={`${id}-startsOn`} label="Erster Tag" error={errors.fields.startsOn}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={values.startsOn}
              onChange={(e) => set({ startsOn: e.target.value })}
            />
          )}
        </Field>
        <Field id={`${id}-endsOn`} label="Letzter Tag" error={errors.fields.endsOn}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={values.endsOn}
              onChange={(e) => set({ endsOn: e.target.value })}
            />
          )}
        </Field>
        <Field id={`${id}-total`} label="Plätze gesamt" error={errors.fields.total}>
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="numeric"
              className="short"
              value={values.total}
              onChange={(e) => set({ total: e.target.value })}
            />
          )}
        </Field>
      </div>
      <FormMessage error={errors.message} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Anlegen …' : 'Zeitraum anlegen'}
        </button>
      </div>
    </form>
  );
}
