import type { Client } from 'graphql-ws';
import { type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
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
import { ExportButtons } from './ExportButtons';
import {
  criteriaOf,
  EMPTY_FORM,
  type FilterForm,
  fromSearch,
  type ListState,
  ORDERS,
  profileIncomplete,
  toFilter,
  toOrderBy,
  toSearch,
} from './list-state';
import { NoResults } from './NoResults';
import { OfferDetail } from './OfferDetail';

const OFFER_FIELDS = `
  id title kind availability requiredGermanLevel
  organisation { id name }
  location { name district city }
  currentCapacityPeriod { id label startsOn endsOn total available availability }
`;

const OFFERS = `query AngeboteSuchen($filter: OfferFilter, $orderBy: OfferOrder, $after: String) {
  offers(first: 50, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    searchSuggestions
    pageInfo { hasNextPage endCursor }
    edges {
      node { ${OFFER_FIELDS} }
      searchHighlights { field fragments { text matched } }
    }
  }
}`;

const ORGANISATIONS = `query TraegerUndStadtteile {
  organisations(first: 100) { nodes { id name locations { district } } }
}`;

const PLACES_AVAILABLE = `subscription PlatzFrei($filter: OfferFilter) {
  placesAvailable(filter: $filter) {
    changedAt reason
    capacityPeriod { id label startsOn endsOn total available availability }
    offer { ${OFFER_FIELDS} }
  }
}`;

// Every change of a listed row's places, up or down (the public: only when its band changes).
const PLACES_CHANGED = `subscription PlaetzeGeaendert($filter: OfferFilter) {
  placesChanged(filter: $filter) {
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

const BAND_ORDER: Record<string, number> = { NONE: 0, FEW: 1, SOME: 2 };

/** +1 more free places than before, −1 fewer, 0 the same (numbers where readable, else the band). */
function direction(before: Offer, after: Offer): number {
  const a = before.currentCapacityPeriod;
  const b = after.currentCapacityPeriod;
  if (a && b && a.id === b.id && a.available !== null && b.available !== null) {
    return Math.sign(b.available - a.available);
  }
  const bandOf = (o: Offer) => BAND_ORDER[o.currentCapacityPeriod?.availability ?? o.availability] ?? 0;
  return Math.sign(bandOf(after) - bandOf(before));
}

const FREED = 'Platz frei geworden';
const TAKEN = 'Platz vergeben';

const HIGHLIGHT_MS = 6_000;

export function App() {
  const session = useSession();
  const token = session?.token ?? null;
  const id = useId();
  // The list as the address describes it: a reload or a shared link shows the same list.
  const [applied, setApplied] = useState<ListState>(() => fromSearch(window.location.search));
  const [form, setForm] = useState<FilterForm>(applied.form);
  const [order, setOrder] = useState(applied.order);
  const filter = useMemo(() => toFilter(applied.form), [applied]);
  const orderBy = useMemo(() => toOrderBy(applied.order), [applied]);
  const [offers, setOffers] = useState<Offer[]>([]);
  const [totalCount, setTotalCount] = useState<number | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [districts, setDistricts] = useState<string[]>([]);
  const [organisations, setOrganisations] = useState<{ id: string; name: string }[]>([]);
  // A link from a saved search's mail (?angebot=<offer id>) opens that offer's details at once.
  const [detailId, setDetailId] = useState<string | null>(
    () => new URLSearchParams(window.location.search).get('angebot')?.slice(0, 200) || null,
  );
  const detailOpener = useRef<HTMLElement | null>(null);
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
        }>(OFFERS, { filter, orderBy, after }, token);
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
    [filter, orderBy, token, handleError],
  );

  // A new filter or a sign-in/out: the list again (partners see numbers, the public bands).
  useEffect(() => {
    void load(null);
  }, [load]);

  const loadDistricts = useCallback(() => {
    request<{
      organisations: { nodes: { id: string; name: string; locations: { district: string }[] }[] };
    }>(ORGANISATIONS)
      .then(({ organisations }) => {
        const names = new Set(organisations.nodes.flatMap((o) => o.locations.map((l) => l.district)));
        setDistricts([...names].sort((a, b) => a.localeCompare(b, 'de')));
        setOrganisations(organisations.nodes.map(({ id, name }) => ({ id, name })));
      })
      // An outage keeps the lists shown; they load again when the hub is back (useReconnect below).
      .catch(() => undefined);
  }, []);
  useEffect(() => loadDistricts(), [loadDistricts]);

  // Back and forward step through earlier lists (each applied filter is an entry in the history).
  useEffect(() => {
    const restore = () => {
      const state = fromSearch(window.location.search);
      setForm(state.form);
      setOrder(state.order);
      setApplied(state);
    };
    window.addEventListener('popstate', restore);
    return () => window.removeEventListener('popstate', restore);
  }, []);

  // Back after an outage: places may have changed meanwhile (the live events of that time are lost).
  useReconnect(() => {
    void load(null);
    loadDistricts();
  });

  // One WebSocket per sign-in state: the token is part of the connection.
  const [client, setClient] = useState<Client | null>(null);
  useEffect(() => {
    // A disposed client still reports its socket closing, possibly after its successor connected:
    // only the current client may set the status shown.
    let current = true;
    const state = (next: LiveState) => current && setLiveState(next);
    const live = createLiveClient(token, { state });
    setClient(live);
    return () => {
      current = false;
      setClient(null);
      void live.dispose();
    };
  }, [token]);

  const highlight = useCallback((offerId: string, label: string = FREED) => {
    setHighlighted((current) => new Map(current).set(offerId, label));
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

  // The rows on the page, for comparing an event with what the row showed before it.
  const shownOffers = useRef(offers);
  shownOffers.current = offers;

  // placesChanged: a taken or freed place changes its row in place, in both directions. Without
  // hasFreePlaces, so that a row whose last place was just taken still hears of it.
  const changeFilter = useMemo(() => {
    const { hasFreePlaces: _ignored, ...rest } = filter;
    return rest;
  }, [filter]);
  useEffect(() => {
    if (!client) return;
    return client.subscribe<{ placesChanged: PlacesEvent }>(
      { query: PLACES_CHANGED, variables: { filter: changeFilter } },
      {
        next: ({ data }) => {
          const event = data?.placesChanged;
          if (!event) return;
          const before = shownOffers.current.find((o) => o.id === event.offer.id);
          if (!before) return;
          const moved = direction(before, event.offer);
          setOffers((list) =>
            list.map((o) => (o.id === event.offer.id ? { ...event.offer, highlights: o.highlights } : o)),
          );
          if (moved < 0) {
            highlight(event.offer.id, TAKEN);
            setAnnouncement(`Weniger freie Plätze: ${event.offer.title}`);
          } else if (moved > 0) {
            highlight(event.offer.id, FREED);
          }
        },
        error: () => setLiveState('reconnecting'),
        complete: () => undefined,
      },
    );
  }, [client, changeFilter, highlight]);

  /** Shows a list and records it in the address (a new history entry unless it is the same list). */
  const apply = (next: ListState) => {
    const search = toSearch(next);
    if (search !== window.location.search) {
      window.history.pushState(null, '', `${window.location.pathname}${search}`);
    }
    setForm(next.form);
    setOrder(next.order);
    setApplied(next);
  };

  const organisationName = (organisationId: string) =>
    organisations.find((o) => o.id === organisationId)?.name ?? 'ausgewählter Träger';

  const openDetail = (offerId: string, opener: HTMLElement) => {
    detailOpener.current = opener;
    setDetailId(offerId);
  };
  const closeDetail = () => {
    setDetailId(null);
    // The mail's link has done its job: a reload shows the list, not the same details again.
    const params = new URLSearchParams(window.location.search);
    if (params.has('angebot')) {
      params.delete('angebot');
      const rest = params.toString();
      window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
    }
    // Focus back where the person was (the row's button), also when the dialog closed by Escape.
    window.setTimeout(() => detailOpener.current?.focus(), 0);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (profileIncomplete(form)) return;
    apply({ form, order: order === 'relevanz' && !form.search.trim() ? '' : order });
  };

  // A suggestion replaces the search text and keeps the other filters.
  const searchFor = (term: string) => {
    apply({ form: { ...applied.form, search: term }, order: applied.order });
  };

  const reset = () => apply({ form: EMPTY_FORM, order: '' });

  const update = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const partial = profileIncomplete(form);

  return (
    <Layout current="/angebote">
      <h1>Angebote &amp; Plätze</h1>
      <p className="lead">
        Kurse, Ausbildungsplätze, EQ und Beratung der Bündnispartner mit ihren freien Plätzen. Die Liste
        aktualisiert sich von selbst, sobald irgendwo ein Platz frei oder vergeben wird.
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
        <div className="field">
          <label htmlFor={`${id}-organisation`}>Träger</label>
          <select
            id={`${id}-organisation`}
            value={form.organisationId}
            onChange={(e) => update('organisationId', e.target.value)}
          >
            <option value="">alle Träger</option>
            {/* A linked Träger not (yet) in the list still shows as chosen. */}
            {form.organisationId && !organisations.some((o) => o.id === form.organisationId) && (
              <option value={form.organisationId}>{organisationName(form.organisationId)}</option>
            )}
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.id === session?.organisationId ? `${o.name} (eigene Organisation)` : o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-order`}>Sortierung</label>
          <select id={`${id}-order`} value={order} onChange={(e) => setOrder(e.target.value)}>
            {Object.entries(ORDERS)
              .filter(([value]) => value !== 'relevanz' || form.search.trim())
              .map(([value, { label }]) => (
                <option key={value} value={value}>
                  {label}
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
            : countText(offers.length, totalCount)}
        </p>
        <p className="live-status" data-state={liveState}>
          {liveState === 'connected'
            ? 'Live: verbunden'
            : liveState === 'connecting'
              ? 'Live: verbindet …'
              : 'Live: Verbindung unterbrochen, wird neu aufgebaut …'}
        </p>
      </div>
      <p className="print-only">
        {printSummary(
          criteriaOf(applied.form, organisationName).map((c) => c.label),
          applied.order,
        )}
      </p>
      <p className="live-announcement" aria-live="polite" aria-atomic="true" data-empty={!announcement}>
        {announcement}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {totalCount !== null && totalCount > 0 && (
        <ExportButtons filter={filter} orderBy={orderBy} token={token} />
      )}
      {detailId && <OfferDetail offerId={detailId} token={token} onClose={closeDetail} />}

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
                <OfferRow
                  key={offer.id}
                  offer={offer}
                  highlight={highlighted.get(offer.id)}
                  onOpen={openDetail}
                />
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        !loading &&
        totalCount === 0 && (
          <NoResults
            criteria={criteriaOf(applied.form, organisationName)}
            token={token}
            onDrop={(without) => apply({ form: without, order: applied.order })}
            onReset={reset}
            suggestions={suggestions}
            onSearchFor={searchFor}
          />
        )
      )}
      {nextCursor && (
        <p>
          <button
            type="button"
            className="secondary"
            aria-disabled={loading}
            onClick={() => !loading && load(nextCursor)}
          >
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

/** On paper: which list this is (the controls that say it are not printed). */
function printSummary(criteria: string[], order: string): string {
  const filters = criteria.length ? criteria.join('; ') : 'keine (alle Angebote)';
  const sorted = order ? ` · Sortierung: ${ORDERS[order]?.label ?? order}` : '';
  return `Filter: ${filters}${sorted} · Stand: ${new Date().toLocaleString('de-DE')}`;
}

/** "50 von 119 Angeboten" while more can be loaded, else "119 Angebote". */
function countText(shown: number, total: number | null): string {
  if (total === null) return '';
  if (shown < total) return `${shown} von ${total} Angeboten`;
  return total === 1 ? '1 Angebot' : `${total} Angebote`;
}

function OfferRow({
  offer,
  highlight,
  onOpen,
}: {
  offer: Offer;
  highlight?: string;
  onOpen: (offerId: string, opener: HTMLElement) => void;
}) {
  const period = offer.currentCapacityPeriod;
  const match = (field: Highlight['field']) => offer.highlights?.find((h) => h.field === field);
  const description = match('DESCRIPTION');
  return (
    <tr
      className={highlight ? (highlight === TAKEN ? 'taken' : 'freed') : undefined}
      data-offer-id={offer.id}
    >
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
        <button
          type="button"
          className="link-button no-print"
          aria-haspopup="dialog"
          onClick={(e) => onOpen(offer.id, e.currentTarget)}
        >
          Details<span className="visually-hidden"> zu {offer.title}</span>
        </button>
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
