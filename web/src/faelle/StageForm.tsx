import { type FormEvent, useId, useState } from 'react';
import { request } from '../shared/api';
import { STAGES } from '../shared/labels';
import type { Session } from '../shared/session';
import { type FormProblem, formProblem } from './errors';
import { InputField, SelectField } from './Field';
import { FormStatus } from './FormStatus';
import { type CaseDetail, UPDATE_CASE } from './queries';
import { localToday } from './today';
import { useFocusProblem } from './useFocusProblem';

/** A stage change with the day it happened (updateCase with the version the form was opened on). */
export function StageForm({
  session,
  theCase,
  onChanged,
  onReload,
}: {
  session: Session;
  theCase: CaseDetail;
  onChanged: (message: string) => void;
  onReload: () => void;
}) {
  const id = useId();
  const [stage, setStage] = useState(theCase.stage);
  const [occurredOn, setOccurredOn] = useState(localToday);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFocusProblem(problem);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await request(
        UPDATE_CASE,
        { input: { id: theCase.id, version: theCase.version, stage, occurredOn } },
        session.token,
      );
      onChanged(`Stufe geändert: ${STAGES[stage] ?? stage}.`);
    } catch (e) {
      setProblem(formProblem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} className="inline-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h3 id={`${id}-title`}>Stufe ändern</h3>
      <div className="field-grid">
        <SelectField
          id={`${id}-stage`}
          label="Neue Stufe"
          value={stage}
          onChange={setStage}
          options={STAGES}
          error={problem?.fields.stage}
        />
        <InputField
          id={`${id}-date`}
          label="Datum des Wechsels"
          type="date"
          value={occurredOn}
          onChange={setOccurredOn}
          error={problem?.fields.occurredOn}
        />
      </div>
      <button type="submit" disabled={busy || stage === theCase.stage}>
        Stufe speichern
      </button>
      <FormStatus problem={problem} onReload={onReload} />
    </form>
  );
}
