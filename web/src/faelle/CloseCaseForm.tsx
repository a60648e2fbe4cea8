import { type FormEvent, useId, useState } from 'react';
import { request } from '../shared/api';
import { STAGES } from '../shared/labels';
import type { Session } from '../shared/session';
import { type FormProblem, formProblem } from './errors';
import { InputField, SelectField } from './Field';
import { FormStatus } from './FormStatus';
import { type CaseDetail, CLOSE_CASE } from './queries';
import { localToday } from './today';
import { useFocusProblem } from './useFocusProblem';

/** Closing a case, optionally in a final stage (Ausbildung, Arbeit, anders beendet …). */
export function CloseCaseForm({
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
  const [finalStage, setFinalStage] = useState('');
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
        CLOSE_CASE,
        { input: { id: theCase.id, version: theCase.version, finalStage: finalStage || null, occurredOn } },
        session.token,
      );
      onChanged('Fall abgeschlossen.');
    } catch (e) {
      setProblem(formProblem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} className="inline-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h3 id={`${id}-title`}>Fall abschließen</h3>
      <div className="field-grid">
        <SelectField
          id={`${id}-stage`}
          label="Abschluss in Stufe"
          value={finalStage}
          onChange={setFinalStage}
          options={STAGES}
          emptyLabel="unverändert"
          error={problem?.fields.finalStage}
        />
        <InputField
          id={`${id}-date`}
          label="Datum des Abschlusses"
          type="date"
          value={occurredOn}
          onChange={setOccurredOn}
          error={problem?.fields.occurredOn}
        />
      </div>
      <button type="submit" className="secondary" disabled={busy}>
        Fall abschließen
      </button>
      <FormStatus problem={problem} onReload={onReload} />
    </form>
  );
}
