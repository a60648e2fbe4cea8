import type { Client } from 'graphql-ws';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { createLiveClient, describeError, type LiveState, request } from '../shared/api';
import { useReconnect } from '../shared/connection';
import { Layout } from '../shared/Layout';
import {
  AVAILABILITY,
  formatDate,
  GERMAN_LEVEL_LABELS,
  OFFER_KINDS,
  RESIDENCE_STATUSES,
} from '../shared/labels';
import { SignIn } from '../shared/SignIn';
import { useSession } from '../shared/session';

const OFFER_FIELDS = `
  id title kind availability requiredGermanLevel
  organisation { id name }
  location { name district city }
  currentCapacityPeriod { id label startsOn endsOn total available availability }
`;

const OFFERS = `query AngeboteSuchen($filter: OfferFilter, $after: String) {
  offers(first: 50, after: $after, filter: $filter) {
    totalCount
    searchSuggestions
    pageInfo { hasNextPage endCursor }
    edges {
      node { ${OFFER_FIELDS} }
      searchHighlights { field fragments { text matched } }
    }
  }
}`;

const DISTRICTS = `query Stadtteile { organisations(first: 100) { nodes { locations { district } } } }`;

const PLACES_AVAILABLE = `subscription PlatzFrei($filter: OfferFilter) {
  placesAvailable(filter: $filter) {
    changedAt reason
    capacityPeriod { id label startsOn endsOn total available availability }
    offer { ${OFFER_FIELDS} }
  }
}`;

interface Period {
  id: string;
  label: string | null;
  startsOn: string;
  endsOn: string;
  total: number | null;
  available: number | null;
  availability: string;
}

interface Offer {
  id: string;
  title: string;
  kind: string;
  availability: string;
  requiredGermanLevel: string;
  organisation: { id: string; name: string };
  location: { name: string; district: string; city: string };
  currentCapacityPeriod: Period | null;
  /** Why it matched the search text (the hub marks the words), absent without a search. */
  highlights?: Highlight[] | null;
}

interface Highlight {
  field: 'TITLE' | 'DESCRIPTION' | 'ORGANISATION' | 'LOCATION';
  fragments: { text: string; matched: boolean }[];
}

interface PlacesEvent {
  changedAt: string;
  reason: string;
  capacityPeriod: Period;
  offer: Offer;
}

interface FilterForm {
  search: string;
  kind: string;
  district: string;
  residenceStatus: string;
  age: string;
  germanLevel: string;
  freeOnly: boolean;
}

const EMPTY_FORM: FilterForm = {
  search: '',
  kind: '',
  district: '',
  residenceStatus: '',
  age: '',
  germanLevel: '',
  freeOnly: false,
};

/** The form as the hub's OfferFilter (the same filter for the list and the live subscription). */
function toFilter(form: FilterForm): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (form.search.trim()) filter.search = form.search.trim();
  if (form.kind) filter.kinds = [form.kind];
  if (form.district) filter.districts = [form.district];
  if (form.freeOnly) filter.hasFreePlaces = true;
  if (form.residenceStatus && form.age && form.germanLevel) {
    filter.eligibleFor = {
      residenceStatus: form.residenceStatus,
      age: Number(form.age),
      germanLevel: form.germanLevel,
    };
  }
  return filter;
}

/** Only all three together describe a person; a partial profile is pointed out, not silently ignored. */
const profileIncomplete = (form: FilterForm) => {
  const given = [form.residenceStatus, form.age, form.germanLevel].filter(Boolean).length;
  return given > 0 && given < 3;
};

const HIGHLIGHT_MS = 6_000;

export function App() {
  const session = useSession();
  const token = session?.token ?? null;
  const id = useId();
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<Record<string, unknown>>({});
  const [offers, setOffers] = useState<Offer[]>([]);
  const [totalCount, setTotalCount] = useState<number | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [districts, setDistricts] = useState<string[]>([]);
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const [announcement, setAnnouncement] = useState('');
  const [highlighted, setHighlighted] = useState<ReadonlyMap<string, string>>(new Map());
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const timers = useRef(new Map<string, number>());
  // Only the newest list request may write the list: a slower answer to an older filter
  // (e.g. the unfiltered list asked for at sign-in) must not overwrite a newer one.
  const generation = useRef(0);

  // A refused token ends the session by itself (api.ts → session.ts); the list then loads again publicly.
  const handleError = useCallback((e: unknown) => setError(describeError(e)), []);

  const load = useCallback(
    async (after: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      setError(null);
      try {
        const { offers: page } = await request<{
          offers: {
            totalCount: number;
            searchSuggestions: string[] | null;
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            edges: { node: Offer; searchHighlights: Highlight[] | null }[];
          };
        }>(OFFERS, { filter, after }, token);
        if (mine !== generation.current) return;
        const found = page.edges.map((e) => ({ ...e.node, highlights: e.searchHighlights }));
        setOffers((list) => (after ? [...list, ...found] : found));
        setSuggestions(page.searchSuggestions ?? []);
        setTotalCount(page.totalCount);
        setNextCursor(page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
      } catch (e) {
        if (mine === generation.current) handleError(e);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [filter, token, handleError],
  );

  // A new filter or a sign-in/out: the list again (partners see numbers, the public bands).
  useEffect(() => {
    void load(null);
  }, [load]);

  const loadDistricts = useCallback(() => {
    request<{ organisations: { nodes: { locations: { district: string }[] }[] } }>(DISTRICTS)
      .then(({ organisations }) => {
        const names = new Set(organisations.nodes.flatMap((o) => o.locations.map((l) => l.district)));
        setDistricts([...names].sort((a, b) => a.localeCompare(b, 'de')));
      })
      .catch(() => undefined);
  }, []);
  useEffect(() => loadDistricts(), [loadDistricts]);

  // Back after an outage: places may have changed meanwhile (the live events of that time are lost).
  useReconnect(() => {
    void load(null);
    loadDistricts();
  });

  // One WebSocket per sign-in state: the token is part of the connection.
  const [client, setClient] = useState<Client | null>(null);
  useEffect(() => {
    const live = createLiveClient(token, { state: setLiveState });
    setClient(live);
    return () => {
      setClient(null);
      void live.dispose();
    };
  }, [token]);

  const highlight = useCallback((offerId: string) => {
    setHighlighted((current) => new Map(current).set(offerId, 'Platz frei geworden'));
    const previous = timers.current.get(offerId);
    if (previous) window.clearTimeout(previous);
    timers.current.set(
      offerId,
      window.setTimeout(() => {
        timers.current.delete(offerId);
        setHighlighted((current) => {
          const next = new Map(current);
          next.delete(offerId);
          return next;
        });
      }, HIGHLIGHT_MS),
    );
  }, []);

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) window.clearTimeout(timer);
    };
  }, []);

  // placesAvailable with the list's own filter: a freed place updates its row in place.
  useEffect(() => {
    if (!client) return;
    return client.subscribe<{ placesAvailable: PlacesEvent }>(
      { query: PLACES_AVAILABLE, variables: { filter } },
      {
        next: ({ data }) => {
          const event = data?.placesAvailable;
          if (!event) return;
          setOffers((list) => {
            const index = list.findIndex((o) => o.id === event.offer.id);
            if (index === -1) return [event.offer, ...list];
            const next = [...list];
            next[index] = event.offer;
            return next;
          });
          highlight(event.offer.id);
          const period = event.capacityPeriod.label ?? `ab ${formatDate(event.capacityPeriod.startsOn)}`;
          setAnnouncement(`Ein Platz ist frei geworden: ${event.offer.title} (${period})`);
        },
        error: () => setLiveState('reconnecting'),
        complete: () => undefined,
      },
    );
  }, [client, filter, highlight]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (profileIncomplete(form)) return;
    setFilter(toFilter(form));
  };

  // A suggestion replaces the search text and keeps the other filters.
  const searchFor = (term: string) => {
    const next = { ...form, search: term };
    setForm(next);
    setFilter(toFilter(next));
  };

  const reset = () => {
    setForm(EMPTY_FORM);
    setFilter({});
  };

  const update = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const partial = profileIncomplete(form);

  return (
    <Layout current="/angebote">
      <h1>Angebote &amp; Plätze</h1>
      <p className="lead">
        Kurse, Ausbildungsplätze, EQ und Beratung der Bündnispartner mit ihren freien Plätzen. Die Liste
        aktualisiert sich von selbst, sobald irgendwo ein Platz frei wird.
      </p>
      <SignIn
        session={session}
        publicNote="Ohne Anmeldung sehen Sie freie Plätze nur grob (keiner, 1–3, mehr als 3). Bündnispartner melden sich an, um genaue Zahlen zu sehen."
      />

      <form className="filters" aria-label="Angebote filtern" onSubmit={submit}>
        <div className="field field-search">
          <label htmlFor={`${id}-search`}>
            Suche in Titel, Beschreibung, Träger, Ort und Art des Angebots
          </label>
          <input
            id={`${id}-search`}
            type="search"
            value={form.search}
            onChange={(e) => update('search', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>Angebotsart</label>
          <select id={`${id}-kind`} value={form.kind} onChange={(e) => update('kind', e.target.value)}>
            <option value="">alle Arten</option>
            {Object.entries(OFFER_KINDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-district`}>Stadtteil</label>
          <select
            id={`${id}-district`}
            value={form.district}
            onChange={(e) => update('district', e.target.value)}
          >
            <option value="">alle Stadtteile</option>
            {districts.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="profile" aria-describedby={`${id}-profile-hint`}>
          <legend>Passt zu einer Person (Zugangsvoraussetzungen)</legend>
          <p id={`${id}-profile-hint`} className="hint">
            Alle drei Angaben zusammen zeigen nur Angebote, deren Zugangsregel diese Person zulässt. Die
            Angaben werden nicht gespeichert.
          </p>
          <div className="profile-fields">
            <div className="field">
              <label htmlFor={`${id}-status`}>Aufenthaltsstatus</label>
              <select
                id={`${id}-status`}
                value={form.residenceStatus}
                onChange={(e) => update('residenceStatus', e.target.value)}
              >
                <option value="">keine Angabe</option>
                {Object.entries(RESIDENCE_STATUSES).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field-age">
              <label htmlFor={`${id}-age`}>Alter (Jahre)</label>
              <input
                id={`${id}-age`}
                type="number"
                inputMode="numeric"
                min={14}
                max={99}
                value={form.age}
                onChange={(e) => update('age', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-german`}>Deutschniveau</label>
              <select
                id={`${id}-german`}
                value={form.germanLevel}
                onChange={(e) => update('germanLevel', e.target.value)}
              >
                <option value="">keine Angabe</option>
                {Object.entries(GERMAN_LEVEL_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {partial && (
            <p className="error" role="alert">
              Bitte Aufenthaltsstatus, Alter und Deutschniveau angeben – oder alle drei leer lassen.
            </p>
          )}
        </fieldset>
        <div className="field field-check">
          <input
            id={`${id}-free`}
            type="checkbox"
            checked={form.freeOnly}
            onChange={(e) => update('freeOnly', e.target.checked)}
          />
          <label htmlFor={`${id}-free`}>Nur Angebote mit freien Plätzen</label>
        </div>
        <div className="actions">
          <button type="submit">Angebote anzeigen</button>
          <button type="button" className="secondary" onClick={reset}>
            Filter zurücksetzen
          </button>
        </div>
      </form>

      <div className="results-bar">
        <p role="status" className="result-count">
          {loading && offers.length === 0
            ? 'Angebote werden geladen …'
            : totalCount === null
              ? ''
              : totalCount === 1
                ? '1 Angebot gefunden'
                : `${totalCount} Angebote gefunden`}
        </p>
        <p className="live-status" data-state={liveState}>
          {liveState === 'connected'
            ? 'Live: verbunden'
            : liveState === 'connecting'
              ? 'Live: verbindet …'
              : 'Live: Verbindung unterbrochen, wird neu aufgebaut …'}
        </p>
      </div>
      <p className="live-announcement" aria-live="polite" aria-atomic="true" data-empty={!announcement}>
        {announcement}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      {offers.length > 0 ? (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls sideways on narrow screens, and a scrolling region must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable).
        <section className="table-wrap" tabIndex={0} aria-label="Angebote (Tabelle)">
          <table className="offers">
            <caption className="visually-hidden">
              Angebote mit Träger, Ort, aktuellem Zeitraum und freien Plätzen
            </caption>
            <thead>
              <tr>
                <th scope="col">Angebot</th>
                <th scope="col">Träger</th>
                <th scope="col">Ort</th>
                <th scope="col">Zeitraum</th>
                <th scope="col">Freie Plätze</th>
              </tr>
            </thead>
            <tbody>
              {offers.map((offer) => (
                <OfferRow key={offer.id} offer={offer} highlight={highlighted.get(offer.id)} />
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        !loading &&
        totalCount === 0 && (
          <div className="no-results">
            <p>Keine Angebote passen zu diesen Filtern.</p>
            {suggestions.length > 0 && (
              <nav aria-label="Suchvorschläge">
                <p id={`${id}-suggestions`}>Ähnliche Begriffe, die Angebote finden:</p>
                <ul className="suggestions" aria-labelledby={`${id}-suggestions`}>
                  {suggestions.map((term) => (
                    <li key={term}>
                      <button type="button" className="secondary" onClick={() => searchFor(term)}>
                        Nach „{term}“ suchen
                      </button>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
          </div>
        )
      )}
      {nextCursor && (
        <p>
          <button type="button" className="secondary" disabled={loading} onClick={() => load(nextCursor)}>
            Weitere Angebote laden
          </button>
        </p>
      )}
      <section aria-labelledby="import-titel" className="import-hinweis">
        <h2 id="import-titel">Eigene Angebote aus einer Tabelle übernehmen</h2>
        <p>
          Redakteurinnen und Redakteure einer Organisation können Angebote, Standorte und Plätze aus Excel
          oder CSV importieren: erst als Probelauf mit Prüfbericht, dann vollständig oder gar nicht. Vorlage:{' '}
          <a href="/import/vorlage.xlsx" download>
            Excel (.xlsx)
          </a>{' '}
          oder{' '}
          <a href="/import/vorlage.csv" download>
            CSV
          </a>
          .
        </p>
      </section>
    </Layout>
  );
}

/** A text with the search's matches marked (<mark>, announced by screen readers as highlighted). */
function Marked({ highlight, text }: { highlight?: Highlight; text: string }) {
  if (!highlight) return <>{text}</>;
  return (
    <>
      {highlight.fragments.map((f, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: fragments are a fixed sequence of one text
        f.matched ? <mark key={i}>{f.text}</mark> : <span key={i}>{f.text}</span>,
      )}
    </>
  );
}

function OfferRow({ offer, highlight }: { offer: Offer; highlight?: string }) {
  const period = offer.currentCapacityPeriod;
  const match = (field: Highlight['field']) => offer.highlights?.find((h) => h.field === field);
  const description = match('DESCRIPTION');
  return (
    <tr className={highlight ? 'freed' : undefined} data-offer-id={offer.id}>
      <th scope="row">
        <span className="offer-title">
          <Marked highlight={match('TITLE')} text={offer.title} />
        </span>
        <span className="offer-kind">
          {OFFER_KINDS[offer.kind] ?? offer.kind} · Deutsch ab {offer.requiredGermanLevel}
        </span>
        {description && (
          <span className="offer-snippet">
            <Marked highlight={description} text="" />
          </span>
        )}
        {highlight && <span className="badge">{highlight}</span>}
      </th>
      <td>
        <Marked highlight={match('ORGANISATION')} text={offer.organisation.name} />
      </td>
      <td>
        {match('LOCATION') ? (
          <Marked highlight={match('LOCATION')} text="" />
        ) : (
          <>
            {offer.location.name}
            <br />
            <span className="hint">{offer.location.district}</span>
          </>
        )}
      </td>
      <td>
        {period ? (
          <>
            {period.label && (
              <>
                {period.label}
                <br />
              </>
            )}
            <span className="hint">
              {formatDate(period.startsOn)} – {formatDate(period.endsOn)}
            </span>
          </>
        ) : (
          <span className="hint">kein laufender Zeitraum</span>
        )}
      </td>
      <td className="places">
        <Places period={period} band={offer.availability} />
      </td>
    </tr>
  );
}

/** Numbers for partners; the public gets the band the policy allows it. */
function Places({ period, band }: { period: Period | null; band: string }) {
  const availability = period?.availability ?? band;
  const marker = <span className={`band band-${availability.toLowerCase()}`} aria-hidden="true" />;
  if (period && period.available !== null && period.total !== null) {
    return (
      <span className="places-numbers">
        {marker}
        <strong>{period.available}</strong>&nbsp;von {period.total} frei
      </span>
    );
  }
  return (
    <span>
      {marker}
      {AVAILABILITY[availability] ?? availability}
    </span>
  );
}
