import { type FormEvent, useId, useRef, useState } from 'react';
import { request } from '../../shared/api';
import { ConflictNotice } from '../ConflictNotice';
import { Field, FormMessage } from '../Field';
import { type FormErrors, formErrorsOf, NO_ERRORS } from '../form-errors';
import type { Workspace } from '../workspace';
import { CREATE_LOCATION, type EditableLocation, UPDATE_LOCATION } from './location-queries';

type Values = Omit<EditableLocation, 'id' | 'version' | 'active' | 'accessibilityNote'> & {
  accessibilityNote: string;
};

const LABELS: Record<keyof Values, string> = {
  name: 'Name',
  street: 'Straße und Hausnummer',
  postalCode: 'Postleitzahl',
  city: 'Ort',
  district: 'Stadtteil',
  wheelchairAccessible: 'Rollstuhlgerecht',
  accessibilityNote: 'Hinweis zur Barrierefreiheit',
};

const valuesOf = (l: EditableLocation | null): Values => ({
  name: l?.name ?? '',
  street: l?.street ?? '',
  postalCode: l?.postalCode ?? '',
  city: l?.city ?? 'Leverkusen',
  district: l?.district ?? '',
  wheelchairAccessible: l?.wheelchairAccessible ?? false,
  accessibilityNote: l?.accessibilityNote ?? '',
});

/** Create a location or change one; errors at their fields, a stale version explained. */
export function LocationForm({
  workspace,
  location,
  onSaved,
  onReload,
}: {
  workspace: Workspace;
  location: EditableLocation | null;
  onSaved: (location: EditableLocation, message: string) => void;
  /** Loads the current state after a conflict; returns it. */
  onReload: () => Promise<EditableLocation | null>;
}) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [base, setBase] = useState(location);
  const initial = valuesOf(base);
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Values>) => setValues((v) => ({ ...v, ...patch }));
  const edits = (Object.keys(LABELS) as (keyof Values)[])
    .filter((k) => values[k] !== initial[k])
    .map((k): [string, string] => [
      LABELS[k],
      String(values[k] === true ? 'ja' : values[k] === false ? 'nein' : values[k]),
    ]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: Record<string, unknown> = {};
    for (const key of Object.keys(LABELS) as (keyof Values)[]) {
      if (base && values[key] === initial[key]) continue;
      const value = values[key];
      input[key] = typeof value === 'string' ? value.trim() : value;
    }
    if (base && Object.keys(input).length === 0) {
      setErrors({ ...NO_ERRORS, message: 'Es gibt keine Änderungen zu speichern.' });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      if (base) {
        const { updateLocation } = await request<{ updateLocation: EditableLocation }>(
          UPDATE_LOCATION,
          { input: { ...input, id: base.id, version: base.version } },
          workspace.token,
        );
        setBase(updateLocation);
        onSaved(updateLocation, `Der Standort „${updateLocation.name}“ wurde gespeichert.`);
      } else {
        const { createLocation } = await request<{ createLocation: EditableLocation }>(
          CREATE_LOCATION,
          { input },
          workspace.token,
        );
        onSaved(createLocation, `Der Standort „${createLocation.name}“ wurde angelegt.`);
      }
    } catch (e) {
      const found = formErrorsOf(e);
      setErrors(found);
      if (!found.conflict)
        requestAnimationFrame(() =>
          form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
        );
    } finally {
      setBusy(false);
    }
  };

  const reload = async () => {
    const fresh = await onReload();
    if (fresh) {
      setBase(fresh);
      setValues(valuesOf(fresh));
      setErrors(NO_ERRORS);
    }
  };

  const text = (key: Exclude<keyof Values, 'wheelchairAccessible'>, hint?: string) => (
    <Field id={`${id}-${key}`} label={LABELS[key]} hint={hint} error={errors.fields[key]}>
      {(control) => (
        <input
          {...control}
          type="text"
          value={values[key]}
          onChange={(e) => set({ [key]: e.target.value })}
        />
      )}
    </Field>
  );

  return (
    <form
      ref={form}
      className="editor-form"
      noValidate
      onSubmit={submit}
      aria-label={base ? `Standort ${base.name} bearbeiten` : 'Neuer Standort'}
    >
      {errors.conflict && base && (
        <ConflictNotice
          what="Der Standort"
          conflict={errors.conflict}
          objectId={base.id}
          organisationId={workspace.organisationId}
          token={workspace.token}
          edits={edits}
          onReload={reload}
        />
      )}
      {text('name')}
      {text('street')}
      <div className="field-row">
        {text('postalCode', 'fünf Ziffern')}
        {text('city')}
        {text('district')}
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={values.wheelchairAccessible}
          onChange={(e) => set({ wheelchairAccessible: e.target.checked })}
        />
        {LABELS.wheelchairAccessible}
      </label>
      {text('accessibilityNote', 'z. B. „Aufzug am Seiteneingang“')}
      <FormMessage error={errors.message} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Speichern …' : base ? 'Standort speichern' : 'Standort anlegen'}
        </button>
      </div>
    </form>
  );
}
