import { useId, useState } from 'react';
import { request } from '../shared/api';
import { formatDateTime } from '../shared/labels';
import type { Session } from '../shared/session';
import { type FormProblem, formProblem } from './errors';
import { FormStatus } from './FormStatus';
import { ACCEPT_HANDOVER, INCOMING_HANDOVERS } from './queries';
import { caseReference } from './today';
import { useQuery } from './useQuery';

interface Handovers {
  incomingCaseHandovers: { caseId: string | null; requestedAt: string | null }[];
}

/**
 * Cases other organisations hand over to this one. Until accepted they are not this organisation's: only
 * the id and the time of the request are shown (the policy lets nothing more through).
 */
export function IncomingHandovers({
  session,
  reloadKey,
  onAccepted,
}: {
  session: Session;
  reloadKey: number;
  onAccepted: (caseId: string) => void;
}) {
  const id = useId();
  const query = useQuery<Handovers>(INCOMING_HANDOVERS, {}, session.token, String(reloadKey));
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const pending = query.data?.incomingCaseHandovers ?? [];
  const mayAccept = session.actions.includes('case.acceptHandover');

  const accept = async (caseId: string) => {
    setBusy(caseId);
    setProblem(null);
    try {
      await request(ACCEPT_HANDOVER, { input: { id: caseId } }, session.token);
      await query.reload();
      onAccepted(caseId);
    } catch (e) {
      setProblem(formProblem(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <div className="case-head">
        <h2 id={`${id}-title`}>Übergaben an Ihre Organisation</h2>
        <button
          type="button"
          className="secondary"
          disabled={query.loading}
          onClick={() => void query.reload()}
        >
          Übergaben neu laden
        </button>
      </div>
      {query.error && (
        <p role="alert" className="error">
          {query.error}
        </p>
      )}
      {query.data && pending.length === 0 && <p>Keine offenen Übergaben.</p>}
      {pending.length > 0 && (
        <ul className="place-list">
          {pending.map((h) => (
            <li key={h.caseId ?? h.requestedAt}>
              <span>
                {h.caseId ? caseReference(h.caseId) : 'Fall (nicht freigegeben)'}, angefragt{' '}
                {h.requestedAt ? formatDateTime(h.requestedAt) : '(Zeitpunkt nicht freigegeben)'}
              </span>
              {mayAccept && h.caseId && (
                <button type="button" disabled={busy === h.caseId} onClick={() => accept(h.caseId!)}>
                  Übernehmen<span className="visually-hidden">: {caseReference(h.caseId)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormStatus problem={problem} onReload={() => void query.reload()} />
    </section>
  );
}
