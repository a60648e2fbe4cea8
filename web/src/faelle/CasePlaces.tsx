import { useState } from 'react';
import { request } from '../shared/api';
import { formatDateTime, RESERVATION_STATUSES, WAITING_LIST_STATUSES } from '../shared/labels';
import type { Session } from '../shared/session';
import { type FormProblem, formProblem } from './errors';
import { FormStatus } from './FormStatus';
import { periodText, WITHHELD } from './period';
import { type CaseDetail, RELEASE_PLACE } from './queries';

const ACTIVE = new Set(['HELD', 'CONFIRMED']);

/** The case's holds and reservations (with expiry) and its waiting lists (with position). */
export function CasePlaces({
  session,
  theCase,
  headingId,
  onChanged,
  onReload,
}: {
  session: Session;
  theCase: CaseDetail;
  headingId: string;
  onChanged: (message: string) => void;
  onReload: () => void;
}) {
  const mayRelease = session.actions.includes('place.release');
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const release = async (reservationId: string, what: string) => {
    setBusy(reservationId);
    setProblem(null);
    try {
      await request(RELEASE_PLACE, { input: { reservationId } }, session.token);
      onChanged(`Platz freigegeben: ${what}.`);
    } catch (e) {
      setProblem(formProblem(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby={headingId} className="case-places">
      <h3 id={headingId} tabIndex={-1}>
        Plätze dieses Falls
      </h3>
      {theCase.reservations.length === 0 && <p>Für diesen Fall ist kein Platz vorgemerkt oder reserviert.</p>}
      {theCase.reservations.length > 0 && (
        <ul className="place-list" aria-label="Vormerkungen und Reservierungen">
          {theCase.reservations.map((r) => {
            const what = `${r.capacityPeriod.offer.title}, ${periodText(r.capacityPeriod)}`;
            return (
              <li key={r.id} data-status={r.status}>
                <div>
                  <strong>{r.capacityPeriod.offer.title}</strong> ({r.capacityPeriod.offer.organisation.name})
                  <br />
                  {periodText(r.capacityPeriod)}
                </div>
                <div>
                  Status: <strong className="status">{RESERVATION_STATUSES[r.status] ?? r.status}</strong>
                  {r.fromWaitingList && ' (von der Warteliste)'}
                  {r.status === 'HELD' && (
                    <>
                      {' '}
                      – vorgemerkt bis <strong>{r.holdUntil ? formatDateTime(r.holdUntil) : WITHHELD}</strong>
                    </>
                  )}
                  <br />
                  <span className="hint">angelegt {formatDateTime(r.createdAt)}</span>
                </div>
                {mayRelease && ACTIVE.has(r.status) && !theCase.closedOn && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy === r.id}
                    onClick={() => release(r.id, what)}
                  >
                    Platz freigeben<span className="visually-hidden">: {what}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <FormStatus problem={problem} onReload={onReload} />
      <h4>Wartelisten</h4>
      {theCase.waitingListEntries.length === 0 && <p>Der Fall steht auf keiner Warteliste.</p>}
      {theCase.waitingListEntries.length > 0 && (
        <ul className="place-list" aria-label="Wartelisten">
          {theCase.waitingListEntries.map((w) => (
            <li key={w.id} data-status={w.status}>
              <div>
                <strong>{w.capacityPeriod.offer.title}</strong> ({w.capacityPeriod.offer.organisation.name})
                <br />
                {periodText(w.capacityPeriod)}
              </div>
              <div>
                Status: <strong>{WAITING_LIST_STATUSES[w.status] ?? w.status}</strong>
                {w.status === 'WAITING' && (
                  <>
                    {' '}
                    – Position: <strong className="position">{w.position ?? WITHHELD}</strong>
                    {w.position == null && (
                      <span className="hint"> (der Anbieter teilt die Länge seiner Warteliste nicht)</span>
                    )}
                  </>
                )}
                <br />
                <span className="hint">seit {formatDateTime(w.createdAt)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
