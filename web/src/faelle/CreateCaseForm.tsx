import { type FormEvent, useId, useState } from 'react';
import { request } from '../shared/api';
import {
  AGE_BANDS,
  GENDERS,
  GERMAN_LEVEL_LABELS,
  NATIONALITY_GROUPS,
  RESIDENCE_STATUSES,
  SCHOOL_LEVELS,
  STAGES,
} from '../shared/labels';
import type { Session } from '../shared/session';
import { type FormProblem, formProblem } from './errors';
import { InputField, SelectField } from './Field';
import { FormStatus } from './FormStatus';
import { CREATE_CASE } from './queries';
import { localToday } from './today';
import { useFocusProblem } from './useFocusProblem';

const initial = () => ({
  intakeDate: localToday(),
  ageBand: 'AGE_18_20',
  gender: 'UNKNOWN',
  nationalityGroup: '',
  residenceStatus: 'GESTATTUNG',
  schoolLevel: 'UNKNOWN',
  germanLevel: 'A0',
  stage: 'INTAKE',
});

/** Every attribute of CreateCaseInput, nothing more: the form has no place for a name or free text. */
export function CreateCaseForm({
  session,
  onCreated,
}: {
  session: Session;
  onCreated: (id: string) => void;
}) {
  const id = useId();
  const [values, setValues] = useState(initial);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFocusProblem(problem);
  const set = (key: keyof ReturnType<typeof initial>) => (value: string) =>
    setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { createCase } = await request<{ createCase: { id: string } }>(
        CREATE_CASE,
        { input: { ...values, nationalityGroup: values.nationalityGroup.trim() } },
        session.token,
      );
      setValues(initial());
      onCreated(createCase.id);
    } catch (e) {
      setProblem(formProblem(e));
    } finally {
      setBusy(false);
    }
  };

  const error = (field: string) => problem?.fields[field];
  return (
    <form ref={form} className="case-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h2 id={`${id}-title`}>Neuen Fall anlegen</h2>
      <p className="hint">
        Pseudonym: ohne Namen, Geburtsdatum, Anschrift oder Aktenzeichen. Gespeichert wird nur, was die
        Statistik braucht.
      </p>
      <div className="field-grid">
        <InputField
          id={`${id}-intake`}
          label="Aufnahmedatum"
          type="date"
          required
          value={values.intakeDate}
          onChange={set('intakeDate')}
          error={error('intakeDate')}
        />
        <SelectField
          id={`${id}-age`}
          label="Altersgruppe"
          value={values.ageBand}
          onChange={set('ageBand')}
          options={AGE_BANDS}
          error={error('ageBand')}
        />
        <SelectField
          id={`${id}-gender`}
          label="Geschlecht"
          value={values.gender}
          onChange={set('gender')}
          options={GENDERS}
          error={error('gender')}
        />
        <InputField
          id={`${id}-nationality`}
          label="Staatsangehörigkeit (Gruppe)"
          required
          list={`${id}-nationalities`}
          autoComplete="off"
          value={values.nationalityGroup}
          onChange={set('nationalityGroup')}
          error={error('nationalityGroup')}
          hint="Ländercode, z. B. SY für Syrien; sonst OTHER."
        />
        <datalist id={`${id}-nationalities`}>
          {Object.entries(NATIONALITY_GROUPS).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </datalist>
        <SelectField
          id={`${id}-status`}
          label="Aufenthaltsstatus"
          value={values.residenceStatus}
          onChange={set('residenceStatus')}
          options={RESIDENCE_STATUSES}
          error={error('residenceStatus')}
        />
        <SelectField
          id={`${id}-school`}
          label="Schulbildung"
          value={values.schoolLevel}
          onChange={set('schoolLevel')}
          options={SCHOOL_LEVELS}
          error={error('schoolLevel')}
        />
        <SelectField
          id={`${id}-german`}
          label="Deutschkenntnisse"
          value={values.germanLevel}
          onChange={set('germanLevel')}
          options={GERMAN_LEVEL_LABELS}
          error={error('germanLevel')}
        />
        <SelectField
          id={`${id}-stage`}
          label="Stufe"
          value={values.stage}
          onChange={set('stage')}
          options={STAGES}
          error={error('stage')}
        />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Wird angelegt …' : 'Fall anlegen'}
      </button>
      <FormStatus problem={problem} />
    </form>
  );
}
