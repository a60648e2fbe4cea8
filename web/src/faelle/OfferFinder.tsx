import { type FormEvent, useId, useState } from 'react';
import { request } from '../shared/api';
import {
  AGE_BANDS,
  AVAILABILITY,
  GERMAN_LEVEL_LABELS,
  OFFER_KINDS,
  RESIDENCE_STATUSES,
} from '../shared/labels';
import type { Session } from '../shared/session';
import { type FormProblem, formProblem } from './errors';
import { InputField, SelectField } from './Field';
import { FormStatus } from './FormStatus';
import { periodText, WITHHELD } from './period';
import {
  type CaseDetail,
  ELIGIBLE_OFFERS,
  type EligibleOffer,
  JOIN_WAITING_LIST,
  RESERVE_PLACE,
} from './queries';
import { localToday } from './today';
import { useFocusProblem } from './useFocusProblem';

interface Offers {
  offers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: EligibleOffer[];
  };
}

/** The ages of a band ("AGE_21_24" → 21…24): the person's exact age is asked, never stored. */
const bandAges = (band: string) => {
  const found = /^AGE_(\d+)_(\d+)$/.exec(band);
  return found ? { min: Number(found[1]), max: Number(found[2]) } : { min: 18, max: 27 };
};

const PERIODS_SHOWN = 3;

type Period = EligibleOffer['capacityPeriods'][number];
const hasRoom = (p: Period) => (p.available != null ? p.available > 0 : p.availability !== 'NONE');

function freeText(p: Period): string {
  if (p.available != null && p.total != null) return `${p.available} von ${p.total} Plätzen frei`;
  return `${AVAILABILITY[p.availability] ?? p.availability} (genaue Zahl ${WITHHELD})`;
}

/**
 * The offers whose eligibility rule in force admits the case: its residence status and German level, and
 * the age the case manager enters (the case keeps only the band). Free places first; from here a place is
 * held for the case or the case joins a full period's waiting list.
 */
export function OfferFinder({
  session,
  theCase,
  onChanged,
}: {
  session: Session;
  theCase: CaseDetail;
  onChanged: (message: string) => void;
}) {
  const id = useId();
  const ages = bandAges(theCase.ageBand);
  const mayReserve = session.actions.includes('place.reserve');
  const mayWait = session.actions.includes('place.joinWaitingList');
  const [age, setAge] = useState('');
  const [words, setWords] = useState('');
  const [kind, setKind] = useState('');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [holdUntil, setHoldUntil] = useState('');
  const [searchProblem, setSearchProblem] = useState<FormProblem | null>(null);
  const [actionProblem, setActionProblem] = useState<FormProblem | null>(null);
  const [result, setResult] = useState<Offers['offers'] | null>(null);
  const [profile, setProfile] = useState<Record<string, unknown> | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const searchForm = useFocusProblem(searchProblem);
  const actionForm = useFocusProblem(actionProblem);
  const today = localToday();

  const search = async (event?: FormEvent) => {
    event?.preventDefault();
    const years = Number(age);
    if (!age || !Number.isInteger(years) || years < ages.min || years > ages.max) {
      setSearchProblem({
        fields: {
          age: `Bitte ein Alter von ${ages.min} bis ${ages.max} Jahren angeben (Altersgruppe des Falls).`,
        },
        message: 'Bitte die markierten Angaben prüfen.',
        conflict: false,
      });
      return;
    }
    const wanted: Record<string, unknown> = {
      eligibleFor: { age: years, residenceStatus: theCase.residenceStatus, germanLevel: theCase.germanLevel },
    };
    if (words.trim()) wanted.search = words.trim();
    if (kind) wanted.kinds = [kind];
    setBusy('search');
    setSearchProblem(null);
    try {
      const { offers } = await request<Offers>(ELIGIBLE_OFFERS, { filter: wanted }, session.token);
      setResult(offers);
      setProfile(wanted);
    } catch (e) {
      setSearchProblem(formProblem(e));
    } finally {
      setBusy(null);
    }
  };

  const loadMore = async () => {
    if (!result?.pageInfo.endCursor || !profile) return;
    setBusy('more');
    try {
      const { offers } = await request<Offers>(
        ELIGIBLE_OFFERS,
        { filter: profile, after: result.pageInfo.endCursor },
        session.token,
      );
      setResult({ ...offers, nodes: [...result.nodes, ...offers.nodes] });
    } catch (e) {
      setActionProblem(formProblem(e));
    } finally {
      setBusy(null);
    }
  };

  /** The numbers changed with the action: the offers shown so far are read again. */
  const refresh = async () => {
    if (!profile) return;
    try {
      const { offers } = await request<Offers>(ELIGIBLE_OFFERS, { filter: profile }, session.token);
      setResult(offers);
    } catch {
      // The list keeps its last numbers; the hub decides again on the next action.
    }
  };

  const act = async (offer: EligibleOffer, period: Period, reserve: boolean) => {
    const what = `${offer.title}, ${periodText(period)}`;
    setBusy(period.id);
    setActionProblem(null);
    try {
      if (reserve) {
        const input: Record<string, unknown> = { capacityPeriodId: period.id, caseId: theCase.id };
        if (holdUntil) input.holdUntil = new Date(holdUntil).toISOString();
        await request(RESERVE_PLACE, { input }, session.token);
        onChanged(`Platz vorgemerkt: ${what}.`);
      } else {
        const { joinWaitingList } = await request<{ joinWaitingList: { position: number | null } }>(
          JOIN_WAITING_LIST,
          { input: { capacityPeriodId: period.id, caseId: theCase.id } },
          session.token,
        );
        onChanged(`Auf die Warteliste gesetzt: ${what}. Position: ${joinWaitingList.position ?? WITHHELD}.`);
      }
      await refresh();
    } catch (e) {
      setActionProblem(formProblem(e));
      void refresh();
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} className="offer-finder">
      <h3 id={`${id}-title`}>Passende Angebote</h3>
      <form
        ref={searchForm}
        className="inline-form"
        aria-label="Passende Angebote suchen"
        onSubmit={search}
        noValidate
      >
        <p className="hint">
          Gesucht wird mit dem Aufenthaltsstatus ({RESIDENCE_STATUSES[theCase.residenceStatus]}) und den
          Deutschkenntnissen ({GERMAN_LEVEL_LABELS[theCase.germanLevel]}) des Falls; dazu das Alter, das nicht
          gespeichert wird. Angebote mit freien Plätzen zuerst.
        </p>
        <div className="field-grid">
          <InputField
            id={`${id}-age`}
            label="Alter in Jahren"
            type="number"
            inputMode="numeric"
            min={ages.min}
            max={ages.max}
            value={age}
            onChange={setAge}
            error={searchProblem?.fields.age}
            hint={`Altersgruppe: ${AGE_BANDS[theCase.ageBand] ?? theCase.ageBand}`}
          />
          <InputField
            id={`${id}-words`}
            label="Suchbegriff (optional)"
            type="search"
            value={words}
            onChange={setWords}
            error={searchProblem?.fields.search}
          />
          <SelectField
            id={`${id}-kind`}
            label="Angebotsart"
            value={kind}
            onChange={setKind}
            options={OFFER_KINDS}
            emptyLabel="alle Arten"
          />
        </div>
        <button type="submit" disabled={busy === 'search'}>
          {busy === 'search' ? 'Suche läuft …' : 'Passende Angebote suchen'}
        </button>
        <FormStatus problem={searchProblem} />
      </form>
      <form ref={actionForm} aria-label="Ergebnis" onSubmit={(e) => e.preventDefault()} className="results">
        {result && result.totalCount > 0 && (
          <div className="field-grid">
            <InputField
              id={`${id}-hold`}
              label="Vormerken bis (optional)"
              type="datetime-local"
              min={`${today}T00:00`}
              value={holdUntil}
              onChange={setHoldUntil}
              error={actionProblem?.fields.holdUntil}
              hint="Ohne Angabe: 7 Tage ab jetzt."
            />
          </div>
        )}
        <p role="status" className="hint">
          {result ? `${result.nodes.length} von ${result.totalCount} passenden Angeboten angezeigt` : ''}
        </p>
        <FormStatus problem={actionProblem} onReload={() => void refresh()} />
        {result && result.totalCount === 0 && (
          <p>Kein Angebot lässt diesen Fall nach seiner geltenden Zugangsregel zu.</p>
        )}
        {result?.nodes.map((offer) => {
          // Counselling runs month by month: the next few periods, the rest on request.
          const coming = offer.capacityPeriods.filter((p) => p.endsOn >= today);
          const all = expanded.has(offer.id);
          const periods = all ? coming : coming.slice(0, PERIODS_SHOWN);
          return (
            <article key={offer.id} className="offer" aria-labelledby={`${id}-${offer.id}`}>
              <h4 id={`${id}-${offer.id}`}>{offer.title}</h4>
              <p className="hint">
                {OFFER_KINDS[offer.kind] ?? offer.kind} · {offer.organisation.name} ·{' '}
                {offer.location.district}
                {offer.eligibility?.legalBasisNote && <> · {offer.eligibility.legalBasisNote}</>}
              </p>
              {periods.length === 0 && <p>Kein laufender oder kommender Zeitraum.</p>}
              <ul className="period-list">
                {periods.map((p) => {
                  const room = hasRoom(p);
                  const label = `${offer.title}, ${periodText(p)}`;
                  return (
                    <li key={p.id}>
                      <span>
                        {periodText(p)}: <strong>{freeText(p)}</strong>
                        {!room && <> · Warteliste: {p.waitingList ?? WITHHELD}</>}
                      </span>
                      {room && mayReserve && (
                        <button type="button" disabled={busy === p.id} onClick={() => act(offer, p, true)}>
                          Platz vormerken<span className="visually-hidden">: {label}</span>
                        </button>
                      )}
                      {!room && mayWait && (
                        <button
                          type="button"
                          className="secondary"
                          disabled={busy === p.id}
                          onClick={() => act(offer, p, false)}
                        >
                          Auf die Warteliste<span className="visually-hidden">: {label}</span>
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
              {coming.length > PERIODS_SHOWN && (
                <button
                  type="button"
                  className="link-button"
                  aria-expanded={all}
                  onClick={() =>
                    setExpanded((e) => {
                      const next = new Set(e);
                      if (all) next.delete(offer.id);
                      else next.add(offer.id);
                      return next;
                    })
                  }
                >
                  {all ? 'Weniger Zeiträume zeigen' : `Alle ${coming.length} Zeiträume zeigen`}
                  <span className="visually-hidden">: {offer.title}</span>
                </button>
              )}
            </article>
          );
        })}
        {result?.pageInfo.hasNextPage && (
          <button type="button" className="secondary" disabled={busy === 'more'} onClick={loadMore}>
            Weitere Angebote laden
          </button>
        )}
      </form>
    </section>
  );
}
