import { type FormEvent, useId, useState } from 'react';
import { request } from '../../shared/api';
import { ConflictNotice } from '../ConflictNotice';
import { Field, FormMessage } from '../Field';
import { type FormErrors, formErrorsOf, NO_ERRORS } from '../form-errors';
import type { Workspace } from '../workspace';
import { type Period, SET_TOTAL } from './place-queries';

/** Sets a period's places (never below occupied + reserved: the hub names the numbers). */
export function TotalForm({
  workspace,
  period,
  name,
  onChanged,
}: {
  workspace: Workspace;
  period: Period;
  name: string;
  onChanged: (message: string) => Promise<unknown>;
}) {
  const id = useId();
  const [total, setTotal] = useState(String(period.total ?? ''));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d+$/.test(total.trim())) {
      setErrors({
        fields: { total: 'Bitte die Zahl der Plätze als ganze Zahl angeben.' },
        message: null,
        conflict: null,
      });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await request(
        SET_TOTAL,
        { input: { capacityPeriodId: period.id, total: Number(total), version: period.version } },
        workspace.token,
      );
      await onChanged(`${name}: ${total} Plätze gesamt gespeichert.`);
    } catch (e) {
      const found = formErrorsOf(e);
      // A total the hub refuses for the places taken belongs at the field.
      setErrors(
        found.message && !found.conflict
          ? { ...found, fields: { total: found.message }, message: null }
          : found,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={submit}
      aria-label={`Gesamtzahl der Plätze für ${name}`}
    >
      {errors.conflict && (
        <ConflictNotice
          what="Der Zeitraum"
          conflict={errors.conflict}
          objectId={period.id}
          organisationId={workspace.organisationId}
          token={workspace.token}
          edits={[['Plätze gesamt', total]]}
          onReload={() => {
            setErrors(NO_ERRORS);
            void onChanged('Der aktuelle Stand des Zeitraums wurde geladen.');
          }}
        />
      )}
      <Field id={`${id}-total`} label={`Plätze gesamt (${name})`} error={errors.fields.total}>
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode="numeric"
            className="short"
            value={total}
            onChange={(e) => setTotal(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? 'Setzen …' : 'Gesamtzahl setzen'}
      </button>
      <FormMessage error={errors.message} />
    </form>
  );
}
