import { useEffect, useId, useRef, useState } from 'react';
import { formatDate, GERMAN_LEVEL_LABELS, OFFER_KINDS } from '../../shared/labels';
import { FormMessage } from '../Field';
import { ScrollTable } from '../ScrollTable';
import { useLoad } from '../useLoad';
import type { Workspace } from '../workspace';
import { OfferEditor } from './OfferEditor';
import { OfferForm } from './OfferForm';
import { type EditableOffer, ORGANISATION_OFFERS, type OrganisationOffers } from './offer-queries';

/** The organisation's offers, active and archived; create one, open one to edit or archive it. */
export function OffersSection({ workspace }: { workspace: Workspace }) {
  const id = useId();
  const { data, error, loading, reload } = useLoad<OrganisationOffers>(
    ORGANISATION_OFFERS,
    { id: workspace.organisationId },
    workspace.token,
  );
  const [open, setOpen] = useState<EditableOffer | 'new' | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  const newHeading = useRef<HTMLHeadingElement>(null);
  // The button that opened the form is gone: the form's heading takes the focus.
  useEffect(() => {
    if (open === 'new') newHeading.current?.focus();
  }, [open]);
  const organisation = data?.organisation;
  const locations = organisation?.locations ?? [];

  const changed = (message: string) => {
    setSuccess(message);
    void reload();
  };
  const close = () => {
    setOpen(null);
    requestAnimationFrame(() => newButton.current?.focus());
  };

  const table = (offers: EditableOffer[], caption: string) => (
    <ScrollTable label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Titel</th>
            <th scope="col">Art</th>
            <th scope="col">Standort</th>
            <th scope="col">Deutsch</th>
            <th scope="col">Zugangsregel</th>
            <th scope="col">Aktion</th>
          </tr>
        </thead>
        <tbody>
          {offers.map((offer) => {
            const rule = offer.eligibilityRules.find((r) => r.version === offer.eligibility?.version);
            return (
              <tr key={offer.id}>
                <td>{offer.title}</td>
                <td>{OFFER_KINDS[offer.kind] ?? offer.kind}</td>
                <td>
                  {offer.location.name} ({offer.location.district})
                </td>
                <td>{GERMAN_LEVEL_LABELS[offer.requiredGermanLevel]}</td>
                <td>{rule ? `Version ${rule.version} seit ${formatDate(rule.validFrom)}` : 'keine'}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`${offer.active ? 'Bearbeiten' : 'Ansehen'}: ${offer.title}`}
                    onClick={() => {
                      setSuccess(null);
                      setOpen(offer);
                    }}
                  >
                    {offer.active ? 'Bearbeiten' : 'Ansehen'}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollTable>
  );

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Angebote</h2>
      <FormMessage error={error} success={success} />
      {workspace.may('offer.create') && open !== 'new' && (
        <button
          type="button"
          ref={newButton}
          onClick={() => {
            setSuccess(null);
            setOpen('new');
          }}
        >
          Neues Angebot anlegen
        </button>
      )}
      {open === 'new' && (
        <section className="editor" aria-labelledby={`${id}-new`}>
          <h2 id={`${id}-new`} ref={newHeading} tabIndex={-1}>
            Neues Angebot
          </h2>
          <OfferForm
            workspace={workspace}
            offer={null}
            locations={locations}
            onSaved={(_offer, message) => {
              changed(message);
              close();
            }}
          />
          <button type="button" className="secondary" onClick={close}>
            Abbrechen
          </button>
        </section>
      )}
      {open && open !== 'new' && (
        <OfferEditor
          key={open.id}
          workspace={workspace}
          offer={open}
          locations={locations}
          onChanged={changed}
          onClose={close}
        />
      )}
      {loading && !data && <p role="status">Angebote werden geladen …</p>}
      {organisation && (
        <>
          {organisation.offers.nodes.length === 0 ? (
            <p>Ihre Organisation hat noch keine aktiven Angebote.</p>
          ) : (
            table(organisation.offers.nodes, `Aktive Angebote (${organisation.offers.totalCount})`)
          )}
          {organisation.archivedOffers &&
            organisation.archivedOffers.length > 0 &&
            table(
              organisation.archivedOffers,
              `Archivierte Angebote (${organisation.archivedOffers.length})`,
            )}
        </>
      )}
    </section>
  );
}
