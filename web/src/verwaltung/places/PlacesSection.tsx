import { useEffect, useId, useState } from 'react';
import { Field, FormMessage } from '../Field';
import { useLoad } from '../useLoad';
import type { Workspace } from '../workspace';
import { PeriodDetails } from './PeriodDetails';
import { PeriodForm } from './PeriodForm';
import { OFFER_CHOICES, OFFER_PERIODS, type OfferChoices, type OfferPeriods } from './place-queries';

/** Places per offer: its periods with their numbers, new periods, reservations and waiting lists. */
export function PlacesSection({ workspace }: { workspace: Workspace }) {
  const id = useId();
  const choices = useLoad<OfferChoices>(OFFER_CHOICES, { id: workspace.organisationId }, workspace.token);
  const offers = choices.data?.organisation?.offers.nodes ?? [];
  const [offerId, setOfferId] = useState('');
  useEffect(() => {
    if (!offerId && offers[0]) setOfferId(offers[0].id);
  }, [offerId, offers]);

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Plätze &amp; Reservierungen</h2>
      <FormMessage error={choices.error} />
      {choices.data && offers.length === 0 && <p>Ihre Organisation hat keine aktiven Angebote.</p>}
      {offers.length > 0 && (
        <Field id={`${id}-offer`} label="Angebot">
          {(control) => (
            <select {...control} value={offerId} onChange={(e) => setOfferId(e.target.value)}>
              {offers.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {offerId && <OfferPlaces key={offerId} workspace={workspace} offerId={offerId} />}
    </section>
  );
}

function OfferPlaces({ workspace, offerId }: { workspace: Workspace; offerId: string }) {
  const { data, error, loading, reload } = useLoad<OfferPeriods>(
    OFFER_PERIODS,
    { offer: offerId },
    workspace.token,
  );
  const [success, setSuccess] = useState<string | null>(null);
  const changed = async (message: string) => {
    if (message) setSuccess(message);
    await reload();
  };
  const periods = data?.offer?.capacityPeriods ?? [];
  return (
    <>
      <FormMessage error={error} success={success} />
      <button type="button" className="secondary" onClick={() => reload()} disabled={loading}>
        Zahlen aktualisieren
      </button>
      {data && periods.length === 0 && <p>Dieses Angebot hat noch keinen Zeitraum.</p>}
      {periods.map((period) => (
        <PeriodDetails key={period.id} workspace={workspace} period={period} onChanged={changed} />
      ))}
      {workspace.may('capacity.createPeriod') && (
        <PeriodForm workspace={workspace} offerId={offerId} onCreated={changed} />
      )}
    </>
  );
}
