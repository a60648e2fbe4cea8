import { useEffect, useId, useRef, useState } from 'react';
import { describeError, request } from '../shared/api';
import { AVAILABILITY, formatDate, OFFER_KINDS, RESIDENCE_STATUSES } from '../shared/labels';

const DETAIL = `query AngebotDetails($id: ID!) {
  offer(id: $id) {
    id title kind description schedule languages costCents requiredGermanLevel availability
    organisation { id name website contactPersons { name function email phone } }
    location { name street postalCode city district wheelchairAccessible accessibilityNote }
    capacityPeriods { id label startsOn endsOn total available occupied reserved availability }
    eligibility { residenceStatuses minAge maxAge minGermanLevel legalBasisNote validFrom validTo }
  }
}`;

interface Detail {
  id: string;
  title: string;
  kind: string;
  description: string;
  schedule: string | null;
  languages: string[];
  costCents: number;
  requiredGermanLevel: string;
  availability: string;
  organisation: {
    id: string;
    name: string;
    website: string | null;
    /** Null where the policy does not let this viewer read them (the public). */
    contactPersons:
      | { name: string | null; function: string | null; email: string | null; phone: string | null }[]
      | null;
  };
  location: {
    name: string;
    street: string;
    postalCode: string;
    city: string;
    district: string;
    wheelchairAccessible: boolean;
    accessibilityNote: string | null;
  };
  capacityPeriods: {
    id: string;
    label: string | null;
    startsOn: string;
    endsOn: string;
    total: number | null;
    available: number | null;
    occupied: number | null;
    reserved: number | null;
    availability: string;
  }[];
  eligibility: {
    residenceStatuses: string[];
    minAge: number;
    maxAge: number;
    minGermanLevel: string | null;
    legalBasisNote: string | null;
    validFrom: string;
    validTo: string | null;
  } | null;
}

const languageNames = new Intl.DisplayNames(['de'], { type: 'language' });
const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
const HIDDEN = 'nicht freigegeben';
const shown = (value: number | null) => (value === null ? HIDDEN : String(value));

/**
 * One offer in full, as a modal dialog (the browser's <dialog>: focus moves in, Escape closes, focus
 * returns to the button that opened it). Everything comes from the hub as this viewer may read it.
 */
export function OfferDetail({
  offerId,
  token,
  onClose,
}: {
  offerId: string;
  token: string | null;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Opened once it is in the page; leaving the page (unmounting) takes it out of the top layer, so no
  // close() on cleanup: that would fire `close` and report a closing nobody asked for.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  useEffect(() => {
    let current = true;
    setDetail(null);
    setError(null);
    request<{ offer: Detail | null }>(DETAIL, { id: offerId }, token)
      .then(({ offer }) => {
        if (!current) return;
        if (offer) setDetail(offer);
        else setError('Dieses Angebot gibt es nicht mehr.');
      })
      .catch((e) => current && setError(describeError(e)));
    return () => {
      current = false;
    };
  }, [offerId, token]);

  const place = detail?.location;
  const contacts = detail?.organisation.contactPersons;
  return (
    <dialog
      ref={dialog}
      className="offer-detail"
      aria-labelledby={`${id}-title`}
      onClose={onClose}
      onCancel={onClose}
    >
      <div className="detail-head">
        <h2 id={`${id}-title`}>{detail?.title ?? 'Angebot'}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          Schließen
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!detail && !error && <p role="status">Details werden geladen …</p>}
      {detail && place && (
        <div className="detail-body">
          <p className="offer-kind">
            {OFFER_KINDS[detail.kind] ?? detail.kind} · {detail.organisation.name}
          </p>
          <p className="detail-description">{detail.description}</p>
          <dl className="detail-facts">
            <dt>Deutsch ab</dt>
            <dd>{detail.requiredGermanLevel}</dd>
            {detail.schedule && (
              <>
                <dt>Zeiten</dt>
                <dd>{detail.schedule}</dd>
              </>
            )}
            {detail.languages.length > 0 && (
              <>
                <dt>Sprachen</dt>
                <dd>{detail.languages.map((code) => languageNames.of(code) ?? code).join(', ')}</dd>
              </>
            )}
            <dt>Kosten für Teilnehmende</dt>
            <dd>{detail.costCents === 0 ? 'kostenlos' : euro.format(detail.costCents / 100)}</dd>
            <dt>Ort</dt>
            <dd>
              {place.name}, {place.street}, {place.postalCode} {place.city} ({place.district})
              <br />
              {place.wheelchairAccessible ? 'rollstuhlgerecht' : 'nicht rollstuhlgerecht'}
              {place.accessibilityNote ? ` – ${place.accessibilityNote}` : ''}
            </dd>
            {detail.eligibility && (
              <>
                <dt>Zugang</dt>
                <dd>
                  {detail.eligibility.minAge}–{detail.eligibility.maxAge} Jahre
                  {detail.eligibility.minGermanLevel
                    ? `, Deutsch ab ${detail.eligibility.minGermanLevel}`
                    : ''}
                  ; {detail.eligibility.residenceStatuses.map((s) => RESIDENCE_STATUSES[s] ?? s).join(', ')}
                  {detail.eligibility.legalBasisNote ? ` (${detail.eligibility.legalBasisNote})` : ''}
                </dd>
              </>
            )}
            {detail.organisation.website && (
              <>
                <dt>Website des Trägers</dt>
                <dd>
                  <a href={detail.organisation.website} rel="noopener noreferrer">
                    {detail.organisation.website}
                  </a>
                </dd>
              </>
            )}
          </dl>

          <h3 id={`${id}-periods`}>Zeiträume und Plätze</h3>
          {detail.capacityPeriods.length === 0 ? (
            <p>Keine Zeiträume eingetragen.</p>
          ) : (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls sideways on narrow screens (WCAG 2.1.1).
            <section className="table-wrap" tabIndex={0} aria-labelledby={`${id}-periods`}>
              <table className="periods">
                <thead>
                  <tr>
                    <th scope="col">Zeitraum</th>
                    <th scope="col">Von</th>
                    <th scope="col">Bis</th>
                    <th scope="col">Freie Plätze</th>
                    <th scope="col">Plätze gesamt</th>
                    <th scope="col">Belegt</th>
                    <th scope="col">Reserviert</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.capacityPeriods.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">{p.label ?? '–'}</th>
                      <td>{formatDate(p.startsOn)}</td>
                      <td>{formatDate(p.endsOn)}</td>
                      <td>
                        {p.available === null
                          ? (AVAILABILITY[p.availability] ?? p.availability)
                          : p.available}
                      </td>
                      <td>{shown(p.total)}</td>
                      <td>{shown(p.occupied)}</td>
                      <td>{shown(p.reserved)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}

          <h3>Ansprechpersonen</h3>
          {contacts === null || contacts === undefined ? (
            <p className="hint">Ansprechpersonen sehen nur angemeldete Bündnispartner (nicht freigegeben).</p>
          ) : contacts.length === 0 ? (
            <p>Keine Ansprechpersonen eingetragen.</p>
          ) : (
            <ul className="contacts">
              {contacts.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: contact persons have no id; the list is fixed
                <li key={i}>
                  <strong>{c.name ?? HIDDEN}</strong>
                  {c.function ? `, ${c.function}` : ''}
                  {c.email && (
                    <>
                      <br />
                      E-Mail: <a href={`mailto:${c.email}`}>{c.email}</a>
                    </>
                  )}
                  {c.phone && (
                    <>
                      <br />
                      Telefon: <a href={`tel:${c.phone.replace(/\s/g, '')}`}>{c.phone}</a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </dialog>
  );
}
