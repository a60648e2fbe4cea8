import { type FormEvent, useId, useMemo, useState } from 'react';
import { request } from '../shared/api';
import type { Session } from '../shared/session';
import { type FormProblem, formProblem } from './errors';
import { SelectField } from './Field';
import { FormStatus } from './FormStatus';
import { type CaseDetail, HAND_OVER_CASE, ORGANISATIONS } from './queries';
import { useFocusProblem } from './useFocusProblem';
import { useQuery } from './useQuery';

interface Organisations {
  organisations: { nodes: { id: string; name: string }[] };
}

/** Offering the case to another organisation; it moves when one of their case managers accepts. */
export function HandOverForm({
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
  const organisations = useQuery<Organisations>(ORGANISATIONS, {}, session.token, 'all');
  const options = useMemo(
    () =>
      Object.fromEntries(
        (organisations.data?.organisations.nodes ?? [])
          .filter((o) => o.id !== session.organisationId)
          .map((o) => [o.id, o.name]),
      ),
    [organisations.data, session.organisationId],
  );
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFocusProblem(problem);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!to) {
      setProblem({
        fields: { toOrganisationId: 'Bitte eine Organisation wählen.' },
        message: 'Bitte die markierten Angaben prüfen.',
        conflict: false,
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await request(HAND_OVER_CASE, { input: { id: theCase.id, toOrganisationId: to } }, session.token);
      onChanged(`Übergabe an ${options[to]} angefragt. Der Fall wechselt, sobald dort angenommen wird.`);
    } catch (e) {
      setProblem(formProblem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} className="inline-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h3 id={`${id}-title`}>An eine andere Organisation übergeben</h3>
      {theCase.handoverTo && (
        <p>
          Übergabe an <strong>{theCase.handoverTo.name}</strong> angefragt; noch nicht angenommen.
        </p>
      )}
      {organisations.error && (
        <p role="alert" className="error">
          {organisations.error}
        </p>
      )}
      <SelectField
        id={`${id}-to`}
        label="Übergeben an"
        value={to}
        onChange={setTo}
        options={options}
        emptyLabel={organisations.loading ? 'Organisationen werden geladen …' : 'Bitte wählen'}
        error={problem?.fields.toOrganisationId}
      />
      <button type="submit" className="secondary" disabled={busy}>
        Übergabe anfragen
      </button>
      <FormStatus problem={problem} onReload={onReload} />
    </form>
  );
}
