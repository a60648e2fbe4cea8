import { useEffect, useId, useRef, useState } from 'react';
import { request } from '../../shared/api';
import { FormMessage } from '../Field';
import { formErrorsOf } from '../form-errors';
import type { Workspace } from '../workspace';
import { EligibilityRules } from './EligibilityRules';
import { OfferForm } from './OfferForm';
import { ARCHIVE_OFFER, type EditableOffer, type LocationChoice, OFFER } from './offer-queries';

/** One offer opened for editing: its fields, archiving, and its eligibility rule versions. */
export function OfferEditor({
  workspace,
  offer,
  locations,
  onChanged,
  onClose,
}: {
  workspace: Workspace;
  offer: EditableOffer;
  locations: LocationChoice[];
  onChanged: (message: string) => void;
  onClose: () => void;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [current, setCurrent] = useState(offer);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const refresh = async (message: string) => {
    setSuccess(message);
    onChanged(message);
    try {
      const { offer: fresh } = await request<{ offer: EditableOffer }>(
        OFFER,
        { id: current.id },
        workspace.token,
      );
      setCurrent(fresh);
    } catch (e) {
      setError(formErrorsOf(e).message);
    }
  };

  const archive = async () => {
    setError(null);
    try {
      await request(ARCHIVE_OFFER, { id: current.id, version: current.version }, workspace.token);
      onChanged(`Das Angebot „${current.title}“ wurde archiviert.`);
      onClose();
    } catch (e) {
      const found = formErrorsOf(e);
      setError(
        found.conflict
          ? 'Das Angebot wurde inzwischen geändert. Bitte den aktuellen Stand laden (oben) und erneut archivieren.'
          : found.message,
      );
      setConfirming(false);
    }
  };

  return (
    <section className="editor" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        Angebot bearbeiten: {current.title}
      </h2>
      {!current.active && (
        <p className="hint">Dieses Angebot ist archiviert und kann nicht mehr geändert werden.</p>
      )}
      <FormMessage success={success} />
      {current.active && workspace.may('offer.update') && (
        <OfferForm
          workspace={workspace}
          offer={current}
          locations={locations}
          onSaved={(saved, message) => {
            setCurrent(saved);
            setSuccess(message);
            onChanged(message);
          }}
        />
      )}
      <EligibilityRules workspace={workspace} offer={current} onChanged={refresh} />
      <div className="actions">
        {current.active && workspace.may('offer.archive') && !confirming && (
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            Angebot archivieren …
          </button>
        )}
        {confirming && (
          <fieldset className="confirm">
            <legend>
              Das Angebot verschwindet aus allen Listen; sein Verlauf bleibt. Wirklich archivieren?
            </legend>
            <button type="button" onClick={archive}>
              Ja, archivieren
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Abbrechen
            </button>
          </fieldset>
        )}
        <button type="button" className="secondary" onClick={onClose}>
          Schließen
        </button>
      </div>
      <FormMessage error={error} />
    </section>
  );
}
