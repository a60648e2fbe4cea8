import { type FormEvent, useId, useState } from 'react';
import { request } from '../../shared/api';
import { formatDate, GERMAN_LEVEL_LABELS, RESIDENCE_STATUSES } from '../../shared/labels';
import { FormMessage } from '../Field';
import { type FormErrors, formErrorsOf, NO_ERRORS } from '../form-errors';
import { ScrollTable } from '../ScrollTable';
import type { Workspace } from '../workspace';
import { type EditableOffer, SET_RULE } from './offer-queries';
import { emptyRule, RuleFields, type RuleValues, ruleInput } from './RuleFields';

/** The versions of an offer's eligibility rule with their validity, the one in force marked; a new one. */
export function EligibilityRules({
  workspace,
  offer,
  onChanged,
}: {
  workspace: Workspace;
  offer: EditableOffer;
  onChanged: (message: string) => void;
}) {
  const id = useId();
  const [values, setValues] = useState<RuleValues>(() => {
    const current = offer.eligibilityRules.find((r) => r.version === offer.eligibility?.version);
    return current
      ? {
          ...emptyRule(),
          residenceStatuses: current.residenceStatuses,
          minAge: String(current.minAge),
          maxAge: String(current.maxAge),
          minGermanLevel: current.minGermanLevel ?? '',
          legalBasisNote: current.legalBasisNote ?? '',
        }
      : emptyRule();
  });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inForce = offer.eligibility?.version;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSuccess(null);
    const { input, errors: local } = ruleInput(values);
    if (Object.keys(local).length) {
      setErrors({ fields: local, message: 'Bitte die markierten Felder prüfen.', conflict: null });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const { setEligibilityRule } = await request<{
        setEligibilityRule: { version: number; validFrom: string };
      }>(SET_RULE, { input: { ...input, offerId: offer.id } }, workspace.token);
      const message = `Version ${setEligibilityRule.version} der Zugangsregel gilt ab ${formatDate(setEligibilityRule.validFrom)}.`;
      setSuccess(message);
      onChanged(message);
      setValues((v) => ({ ...v, validFrom: '', validTo: '' }));
    } catch (e) {
      setErrors(formErrorsOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Zugangsregel: Versionen</h3>
      {offer.eligibilityRules.length === 0 ? (
        <p>Noch keine Zugangsregel: Das Angebot steht allen offen.</p>
      ) : (
        <ScrollTable label="Versionen der Zugangsregel">
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Gültig</th>
                <th scope="col">Aufenthaltsstatus</th>
                <th scope="col">Alter</th>
                <th scope="col">Deutsch mindestens</th>
                <th scope="col">Rechtsgrundlage</th>
              </tr>
            </thead>
            <tbody>
              {offer.eligibilityRules.map((r) => (
                <tr key={r.version} className={r.version === inForce ? 'in-force' : undefined}>
                  <td>
                    {r.version}
                    {r.version === inForce && <strong className="badge">gilt heute</strong>}
                  </td>
                  <td>
                    ab {formatDate(r.validFrom)}
                    {r.validTo ? ` bis ${formatDate(r.validTo)}` : ', unbefristet'}
                  </td>
                  <td>{r.residenceStatuses.map((s) => RESIDENCE_STATUSES[s] ?? s).join('; ')}</td>
                  <td>
                    {r.minAge}–{r.maxAge} Jahre
                  </td>
                  <td>{r.minGermanLevel ? GERMAN_LEVEL_LABELS[r.minGermanLevel] : 'keine Vorgabe'}</td>
                  <td>{r.legalBasisNote ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {workspace.may('offer.setEligibilityRule') && offer.active && (
        <form className="editor-form" noValidate onSubmit={submit} aria-labelledby={`${id}-new`}>
          <h4 id={`${id}-new`}>Neue Version der Zugangsregel</h4>
          <p className="hint">
            Die bisherige Version endet am Tag vor dem Beginn der neuen; sie bleibt als Verlauf.
          </p>
          <RuleFields idPrefix={`${id}-rule`} values={values} errors={errors.fields} onChange={setValues} />
          <FormMessage error={errors.message} success={success} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Speichern …' : 'Neue Version speichern'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
