import { type FormEvent, useId, useRef, useState } from 'react';
import { request } from '../../shared/api';
import { GERMAN_LEVEL_LABELS, GERMAN_LEVELS, OFFER_KINDS } from '../../shared/labels';
import { ConflictNotice } from '../ConflictNotice';
import { Field, FormMessage } from '../Field';
import { type FormErrors, formErrorsOf, NO_ERRORS } from '../form-errors';
import type { Workspace } from '../workspace';
import { CREATE_OFFER, type EditableOffer, type LocationChoice, OFFER, UPDATE_OFFER } from './offer-queries';
import {
  emptyOfferValues,
  OFFER_LABELS,
  type OfferValues,
  offerEdits,
  offerInput,
  offerValuesOf,
} from './offer-values';
import { emptyRule, RuleFields, ruleInput } from './RuleFields';

/**
 * Create an offer (with version 1 of its eligibility rule) or change one. Errors are shown at their
 * fields, focus goes to the first; a stale version is explained with the choice to load the current one.
 */
export function OfferForm({
  workspace,
  offer,
  locations,
  onSaved,
}: {
  workspace: Workspace;
  /** null: a new offer. */
  offer: EditableOffer | null;
  locations: LocationChoice[];
  onSaved: (offer: EditableOffer, message: string) => void;
}) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const active = locations.filter((l) => l.active || l.id === offer?.location.id);
  const [base, setBase] = useState<EditableOffer | null>(offer);
  const initial = base ? offerValuesOf(base) : null;
  const [values, setValues] = useState<OfferValues>(() => initial ?? emptyOfferValues(active[0]?.id ?? ''));
  const [rule, setRule] = useState(emptyRule);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [discarded, setDiscarded] = useState<[string, string][] | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<OfferValues>) => setValues((v) => ({ ...v, ...patch }));
  const error = (key: string) => errors.fields[key];
  const locationName = (locationId: string) => locations.find((l) => l.id === locationId)?.name ?? '';

  const focusFirstError = (fields: Record<string, string>) => {
    requestAnimationFrame(() => {
      const first = form.current?.querySelector<HTMLElement>(
        '[aria-invalid="true"], .checks:has(.field-error) input',
      );
      if (first) first.focus();
      else form.current?.querySelector<HTMLElement>('[role="alert"]')?.focus();
    });
    return fields;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { input, errors: local } = offerInput(values, initial);
    const eligibility = !base && rule.residenceStatuses.length > 0 ? ruleInput(rule) : null;
    const localErrors = { ...local, ...(eligibility?.errors ?? {}) };
    if (Object.keys(localErrors).length) {
      setErrors({
        fields: focusFirstError(localErrors),
        message: 'Bitte die markierten Felder prüfen.',
        conflict: null,
      });
      return;
    }
    if (base && Object.keys(input).length === 0) {
      setErrors({ fields: {}, message: 'Es gibt keine Änderungen zu speichern.', conflict: null });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      if (base) {
        const { updateOffer } = await request<{ updateOffer: EditableOffer }>(
          UPDATE_OFFER,
          { input: { ...input, id: base.id, version: base.version } },
          workspace.token,
        );
        setBase(updateOffer);
        setValues(offerValuesOf(updateOffer));
        setDiscarded(null);
        onSaved(updateOffer, `Das Angebot „${updateOffer.title}“ wurde gespeichert.`);
      } else {
        const { createOffer } = await request<{ createOffer: EditableOffer }>(
          CREATE_OFFER,
          { input: { ...input, ...(eligibility ? { eligibility: eligibility.input } : {}) } },
          workspace.token,
        );
        onSaved(createOffer, `Das Angebot „${createOffer.title}“ wurde angelegt.`);
      }
    } catch (e) {
      const found = formErrorsOf(e);
      setErrors(found);
      if (!found.conflict) focusFirstError(found.fields);
    } finally {
      setBusy(false);
    }
  };

  const reloadCurrent = async () => {
    if (!base || !initial) return;
    const edits = offerEdits(values, initial).map(([label, value]): [string, string] =>
      label === OFFER_LABELS.locationId ? [label, locationName(value)] : [label, value],
    );
    try {
      const { offer: fresh } = await request<{ offer: EditableOffer }>(
        OFFER,
        { id: base.id },
        workspace.token,
      );
      setBase(fresh);
      setValues(offerValuesOf(fresh));
      setErrors(NO_ERRORS);
      setDiscarded(edits);
      onSaved(fresh, 'Der aktuelle Stand des Angebots wurde geladen.');
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('.discarded')?.focus());
    } catch (e) {
      setErrors(formErrorsOf(e));
    }
  };

  return (
    <form
      ref={form}
      className="editor-form"
      noValidate
      onSubmit={submit}
      aria-label={base ? 'Angebot bearbeiten' : 'Neues Angebot'}
    >
      {errors.conflict && base && initial && (
        <ConflictNotice
          what="Das Angebot"
          conflict={errors.conflict}
          objectId={base.id}
          organisationId={workspace.organisationId}
          token={workspace.token}
          edits={offerEdits(values, initial).map(([label, value]) =>
            label === OFFER_LABELS.locationId ? [label, locationName(value)] : [label, value],
          )}
          onReload={reloadCurrent}
        />
      )}
      {discarded && (
        <div className="discarded" tabIndex={-1}>
          <p>
            <strong>Aktueller Stand geladen.</strong> Ihre nicht gespeicherten Eingaben zum Vergleich (bei
            Bedarf erneut eintragen und speichern):
          </p>
          <dl className="edits">
            {discarded.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value || '(leer)'}</dd>
              </div>
            ))}
          </dl>
          <button type="button" className="secondary" onClick={() => setDiscarded(null)}>
            Vergleich ausblenden
          </button>
        </div>
      )}
      <Field id={`${id}-title`} label={OFFER_LABELS.title} hint="3 bis 300 Zeichen" error={error('title')}>
        {(control) => (
          <input
            {...control}
            type="text"
            value={values.title}
            onChange={(e) => set({ title: e.target.value })}
          />
        )}
      </Field>
      <div className="field-row">
        <Field id={`${id}-kind`} label={OFFER_LABELS.kind} error={error('kind')}>
          {(control) => (
            <select {...control} value={values.kind} onChange={(e) => set({ kind: e.target.value })}>
              {Object.entries(OFFER_KINDS).map(([kind, label]) => (
                <option key={kind} value={kind}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${id}-locationId`} label={OFFER_LABELS.locationId} error={error('locationId')}>
          {(control) => (
            <select
              {...control}
              value={values.locationId}
              onChange={(e) => set({ locationId: e.target.value })}
            >
              {active.length === 0 && <option value="">Bitte zuerst einen Standort anlegen</option>}
              {active.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name} ({l.district})
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field id={`${id}-description`} label={OFFER_LABELS.description} error={error('description')}>
        {(control) => (
          <textarea
            {...control}
            rows={4}
            value={values.description}
            onChange={(e) => set({ description: e.target.value })}
          />
        )}
      </Field>
      <div className="field-row">
        <Field
          id={`${id}-languages`}
          label={OFFER_LABELS.languages}
          hint="z. B. „de, ar“"
          error={error('languages')}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              value={values.languages}
              onChange={(e) => set({ languages: e.target.value })}
            />
          )}
        </Field>
        <Field
          id={`${id}-level`}
          label={OFFER_LABELS.requiredGermanLevel}
          error={error('requiredGermanLevel')}
        >
          {(control) => (
            <select
              {...control}
              value={values.requiredGermanLevel}
              onChange={(e) => set({ requiredGermanLevel: e.target.value })}
            >
              {GERMAN_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {GERMAN_LEVEL_LABELS[level]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field
        id={`${id}-schedule`}
        label={OFFER_LABELS.schedule}
        hint="z. B. „Mo–Fr 8:30–12:45“"
        error={error('schedule')}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            value={values.schedule}
            onChange={(e) => set({ schedule: e.target.value })}
          />
        )}
      </Field>
      <div className="field-row">
        <Field
          id={`${id}-cost`}
          label={OFFER_LABELS.costCents}
          hint="0: kostenlos"
          error={error('costCents')}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="decimal"
              className="short"
              value={values.costCents}
              onChange={(e) => set({ costCents: e.target.value })}
            />
          )}
        </Field>
        <Field
          id={`${id}-costPerPlace`}
          label={OFFER_LABELS.costPerPlaceCents}
          error={error('costPerPlaceCents')}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="decimal"
              className="short"
              value={values.costPerPlaceCents}
              onChange={(e) => set({ costPerPlaceCents: e.target.value })}
            />
          )}
        </Field>
        <Field
          id={`${id}-funding`}
          label={OFFER_LABELS.fundingProgrammeCode}
          hint="z. B. „KIM“; leer: keines"
          error={error('fundingProgrammeCode')}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              className="short"
              value={values.fundingProgrammeCode}
              onChange={(e) => set({ fundingProgrammeCode: e.target.value })}
            />
          )}
        </Field>
      </div>
      <Field
        id={`${id}-note`}
        label={OFFER_LABELS.internalNote}
        hint="nur für Ihre Organisation (und wem Sie sie freigeben)"
        error={error('internalNote')}
      >
        {(control) => (
          <textarea
            {...control}
            rows={2}
            value={values.internalNote}
            onChange={(e) => set({ internalNote: e.target.value })}
          />
        )}
      </Field>
      <label className="check">
        <input
          type="checkbox"
          checked={values.autoOfferFromWaitingList}
          onChange={(e) => set({ autoOfferFromWaitingList: e.target.checked })}
        />
        {OFFER_LABELS.autoOfferFromWaitingList}
      </label>
      {!base && (
        <fieldset className="group">
          <legend>Zugangsvoraussetzungen (Version 1, optional)</legend>
          <p className="hint">Ohne gewählten Aufenthaltsstatus wird keine Regel angelegt.</p>
          <RuleFields idPrefix={`${id}-rule`} values={rule} errors={errors.fields} onChange={setRule} />
        </fieldset>
      )}
      <FormMessage error={errors.message} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Speichern …' : base ? 'Änderungen speichern' : 'Angebot anlegen'}
        </button>
      </div>
    </form>
  );
}
