import { useEffect, useId, useState } from 'react';
import { request } from '../shared/api';
import { AGE_BANDS, formatDate, GERMAN_LEVEL_LABELS, RESIDENCE_STATUSES, STAGES } from '../shared/labels';
import type { Session } from '../shared/session';
import { CASES, type CaseSummary } from './queries';
import { caseReference } from './today';
import { useQuery } from './useQuery';

interface Page {
  cases: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: CaseSummary[];
  };
}

const SHOWN = { open: 'offene Fälle', closed: 'abgeschlossene Fälle', all: 'alle Fälle' } as const;
type Shown = keyof typeof SHOWN;
const openFilter = (shown: Shown) => (shown === 'all' ? null : shown === 'open');

export function caseState(c: CaseSummary): string {
  if (c.closedOn) return `abgeschlossen am ${formatDate(c.closedOn)}`;
  if (c.handoverTo) return `Übergabe an ${c.handoverTo.name} angefragt`;
  return 'offen';
}

/** The organisation’s cases, newest intake first, 20 at a time (the open case stays in view). */
export function CaseList({
  session,
  reloadKey,
  selected,
  onSelect,
}: {
  session: Session;
  reloadKey: number;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const id = useId();
  const [shown, setShown] = useState<Shown>('open');
  const [more, setMore] = useState<CaseSummary[]>([]);
  const [cursor, setCursor] = useState<{ hasNextPage: boolean; endCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // A reload starts from the first page again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new reloadKey.
  useEffect(() => {
    setMore([]);
    setCursor(null);
  }, [reloadKey]);
  const query = useQuery<Page>(CASES, { open: openFilter(shown) }, session.token, `${shown}:${reloadKey}`);
  const first = query.data?.cases;
  const cases = [...(first?.nodes ?? []), ...more];
  const pageInfo = cursor ?? first?.pageInfo;

  const loadMore = async () => {
    if (!pageInfo?.endCursor) return;
    setLoadingMore(true);
    try {
      const next = await request<Page>(
        CASES,
        { open: openFilter(shown), after: pageInfo.endCursor },
        session.token,
      );
      setMore((m) => [...m, ...next.cases.nodes]);
      setCursor(next.cases.pageInfo);
    } finally {
      setLoadingMore(false);
    }
  };

  const show = (value: Shown) => {
    setShown(value);
    setMore([]);
    setCursor(null);
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Fälle der Organisation</h2>
      <div className="list-controls">
        <div className="field">
          <label htmlFor={`${id}-shown`}>Anzeigen</label>
          <select id={`${id}-shown`} value={shown} onChange={(e) => show(e.target.value as Shown)}>
            {Object.entries(SHOWN).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <p role="status" className="hint">
          {query.loading && !first
            ? 'Fälle werden geladen …'
            : first
              ? `${cases.length} von ${first.totalCount} ${SHOWN[shown]} angezeigt`
              : ''}
        </p>
      </div>
      {query.error && (
        <p role="alert" className="error">
          {query.error}
        </p>
      )}
      {first && cases.length === 0 && <p>Keine {SHOWN[shown]}.</p>}
      {cases.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls sideways on narrow screens; a scrolling region must be reachable by keyboard.
        <section className="table-wrap" tabIndex={0} aria-label="Fälle (Tabelle)">
          <table>
            <thead>
              <tr>
                <th scope="col">Fall</th>
                <th scope="col">Aufnahme</th>
                <th scope="col">Stufe</th>
                <th scope="col">Aufenthaltsstatus</th>
                <th scope="col">Alter</th>
                <th scope="col">Deutsch</th>
                <th scope="col">Stand</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id} aria-current={c.id === selected ? 'true' : undefined}>
                  <th scope="row">
                    <button type="button" className="link-button" onClick={() => onSelect(c.id)}>
                      {caseReference(c.id)}
                      <span className="visually-hidden"> öffnen</span>
                    </button>
                  </th>
                  <td>{formatDate(c.intakeDate)}</td>
                  <td>{STAGES[c.stage] ?? c.stage}</td>
                  <td>{RESIDENCE_STATUSES[c.residenceStatus] ?? c.residenceStatus}</td>
                  <td>{AGE_BANDS[c.ageBand] ?? c.ageBand}</td>
                  <td>{GERMAN_LEVEL_LABELS[c.germanLevel] ?? c.germanLevel}</td>
                  <td>{caseState(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {pageInfo?.hasNextPage && (
        <button type="button" className="secondary" disabled={loadingMore} onClick={loadMore}>
          {loadingMore ? 'Weitere werden geladen …' : 'Weitere Fälle laden'}
        </button>
      )}
    </section>
  );
}
