import { useId, useState } from 'react';
import { request } from '../../shared/api';
import { formatDate, formatDateTime } from '../../shared/labels';
import { FormMessage } from '../Field';
import { formErrorsOf } from '../form-errors';
import { ScrollTable } from '../ScrollTable';
import type { Workspace } from '../workspace';
import { CONFIRM, type Period, RELEASE, RESERVATION_STATUS, WAITING_STATUS } from './place-queries';
import { TotalForm } from './TotalForm';

const hidden = (n: number | null) => (n == null ? 'nicht freigegeben' : String(n));

export const periodName = (p: Period) =>
  p.label
    ? `${p.label} (${formatDate(p.startsOn)}–${formatDate(p.endsOn)})`
    : `${formatDate(p.startsOn)}–${formatDate(p.endsOn)}`;

/** One period: its numbers, the total to set, its reservations to confirm or release, its waiting list. */
export function PeriodDetails({
  workspace,
  period,
  onChanged,
}: {
  workspace: Workspace;
  period: Period;
  onChanged: (message: string) => Promise<unknown>;
}) {
  const id = useId();
  const name = periodName(period);
  const [error, setError] = useState<string | null>(null);

  const act = async (mutation: string, reservationId: string, done: string) => {
    setError(null);
    try {
      await request(mutation, { id: reservationId }, workspace.token);
      await onChanged(done);
    } catch (e) {
      setError(formErrorsOf(e).message);
      await onChanged('');
    }
  };

  const reservations = period.reservations ?? [];
  const waiting = period.waitingListEntries ?? [];
  return (
    <section className="period" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Zeitraum {name}</h3>
      <dl className="numbers">
        <div>
          <dt>Gesamt</dt>
          <dd>{hidden(period.total)}</dd>
        </div>
        <div>
          <dt>Belegt</dt>
          <dd>{hidden(period.occupied)}</dd>
        </div>
        <div>
          <dt>Reserviert</dt>
          <dd>{hidden(period.reserved)}</dd>
        </div>
        <div>
          <dt>Frei</dt>
          <dd>{hidden(period.available)}</dd>
        </div>
        <div>
          <dt>Warteliste</dt>
          <dd>{hidden(period.waitingList)}</dd>
        </div>
      </dl>
      {workspace.may('capacity.setTotal') && (
        <TotalForm
          key={`${period.version}`}
          workspace={workspace}
          period={period}
          name={name}
          onChanged={onChanged}
        />
      )}
      <FormMessage error={error} />
      <h4>Reservierungen</h4>
      {reservations.length === 0 ? (
        <p>Keine gehaltenen oder bestätigten Plätze.</p>
      ) : (
        <ScrollTable label={`Reservierungen ${name}`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Reserviert am</th>
                <th scope="col">Status</th>
                <th scope="col">Gehalten bis</th>
                <th scope="col">Herkunft</th>
                <th scope="col">Aktionen</th>
              </tr>
            </thead>
            <tbody>
              {reservations.map((r) => {
                const when = formatDateTime(r.createdAt);
                return (
                  <tr key={r.id}>
                    <td>{when}</td>
                    <td>{RESERVATION_STATUS[r.status] ?? r.status}</td>
                    <td>{r.holdUntil && r.status === 'HELD' ? formatDateTime(r.holdUntil) : '–'}</td>
                    <td>{r.fromWaitingList ? 'von der Warteliste' : 'direkt reserviert'}</td>
                    <td className="row-actions">
                      {r.status === 'HELD' && workspace.may('place.confirm') && (
                        <button
                          type="button"
                          aria-label={`Bestätigen: Reservierung vom ${when}`}
                          onClick={() => act(CONFIRM, r.id, `Die Reservierung vom ${when} ist bestätigt.`)}
                        >
                          Bestätigen
                        </button>
                      )}
                      {workspace.may('place.release') && (
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Platz freigeben: Reservierung vom ${when}`}
                          onClick={() =>
                            act(RELEASE, r.id, `Der Platz der Reservierung vom ${when} ist wieder frei.`)
                          }
                        >
                          Freigeben
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <h4>Warteliste</h4>
      {waiting.length === 0 ? (
        <p>Niemand wartet auf einen Platz.</p>
      ) : (
        <ScrollTable label={`Warteliste ${name}`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Platz</th>
                <th scope="col">Status</th>
                <th scope="col">Seit</th>
              </tr>
            </thead>
            <tbody>
              {waiting.map((w) => (
                <tr key={w.id}>
                  <td>{w.position ?? '–'}</td>
                  <td>{WAITING_STATUS[w.status] ?? w.status}</td>
                  <td>{formatDateTime(w.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </section>
  );
}
