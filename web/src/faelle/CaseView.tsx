import { useEffect, useId, useRef, useState } from 'react';
import type { Session } from '../shared/session';
import { CaseFacts } from './CaseFacts';
import { CasePlaces } from './CasePlaces';
import { CloseCaseForm } from './CloseCaseForm';
import { HandOverForm } from './HandOverForm';
import { OfferFinder } from './OfferFinder';
import { CASE, type CaseDetail } from './queries';
import { StageForm } from './StageForm';
import { caseReference } from './today';
import { useQuery } from './useQuery';

// `case` answers null (with NOT_FOUND beside it) for a case that is not, or no longer, the organisation's.
const NOT_VISIBLE = 'Nicht gefunden: nicht (mehr) für Ihre Organisation sichtbar, etwa nach einer Übergabe.';

/**
 * One case: its attributes and history, what can be done to it (each form only where Me.actions lists
 * its action), its places and the offers that admit it.
 */
export function CaseView({
  session,
  caseId,
  onCaseChanged,
}: {
  session: Session;
  caseId: string;
  /** Something changed that the case list shows too. */
  onCaseChanged: () => void;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const [focusPlaces, setFocusPlaces] = useState(false);
  const query = useQuery<{ case: CaseDetail | null }>(
    CASE,
    { id: caseId },
    session.token,
    `${caseId}:${reloadKey}`,
  );
  const theCase = query.data?.case ?? null;
  const mayAct = (action: string) => session.actions.includes(action);
  const open = theCase && !theCase.closedOn;

  // A newly opened case gets the focus, so keyboard and screen-reader users land on it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on each new case only.
  useEffect(() => {
    setDone(null);
    heading.current?.focus();
  }, [caseId]);

  useEffect(() => {
    if (!focusPlaces || query.loading) return;
    setFocusPlaces(false);
    document.getElementById(`${id}-places`)?.focus();
  }, [focusPlaces, query.loading, id]);

  const reload = () => setReloadKey((k) => k + 1);
  const changed = (message: string, toPlaces = false) => {
    setDone(message);
    reload();
    onCaseChanged();
    if (toPlaces) setFocusPlaces(true);
    else heading.current?.focus();
  };

  return (
    <section className="case-view" aria-labelledby={`${id}-title`}>
      <div className="case-head">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          {caseReference(caseId)}
        </h2>
        <button type="button" className="secondary" onClick={reload} disabled={query.loading}>
          Neu laden
        </button>
      </div>
      <p role="status" className="done">
        {query.loading && !theCase ? 'Der Fall wird geladen …' : (done ?? '')}
      </p>
      {(query.error || (query.data && !theCase)) && (
        <p role="alert" className="error">
          {query.error ?? NOT_VISIBLE}
        </p>
      )}
      {theCase && (
        <>
          <CaseFacts theCase={theCase} />
          <CasePlaces
            session={session}
            theCase={theCase}
            headingId={`${id}-places`}
            onChanged={(m) => changed(m, true)}
            onReload={reload}
          />
          {open && <OfferFinder session={session} theCase={theCase} onChanged={(m) => changed(m, true)} />}
          {open && (
            <div className="case-forms">
              {mayAct('case.update') && (
                <StageForm
                  key={`stage-${theCase.version}`}
                  session={session}
                  theCase={theCase}
                  onChanged={changed}
                  onReload={reload}
                />
              )}
              {mayAct('case.handOver') && (
                <HandOverForm session={session} theCase={theCase} onChanged={changed} onReload={reload} />
              )}
              {mayAct('case.close') && (
                <CloseCaseForm
                  key={`close-${theCase.version}`}
                  session={session}
                  theCase={theCase}
                  onChanged={changed}
                  onReload={reload}
                />
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
