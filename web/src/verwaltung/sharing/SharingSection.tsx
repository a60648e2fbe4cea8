import { type FormEvent, useId, useState } from 'react';
import { request } from '../../shared/api';
import { formatDate, formatDateTime } from '../../shared/labels';
import { Field, FormMessage } from '../Field';
import { type FormErrors, formErrorsOf, NO_ERRORS } from '../form-errors';
import { ScrollTable } from '../ScrollTable';
import { useLoad } from '../useLoad';
import type { Workspace } from '../workspace';

/** The field groups the policy lets an organisation share (docs/permissions.md). */
const FIELD_GROUPS: Record<string, string> = {
  PLACES_DETAIL: 'Platzdetails (belegt, reserviert, Warteliste)',
  INTERNAL_NOTES: 'Interne Notizen',
  FUNDING: 'Förderung (Programm, Kosten pro Platz)',
};

const GRANTS = `query VerwaltungFreigaben($id: ID!) {
  organisation(id: $id) {
    sharingGrants { id fieldGroup audience audienceOrganisation { id name } validFrom validTo revokedAt createdAt active }
  }
  organisations(first: 100) { nodes { id name } }
}`;

interface Grant {
  id: string;
  fieldGroup: string;
  audience: string;
  audienceOrganisation: { id: string; name: string } | null;
  validFrom: string;
  validTo: string | null;
  revokedAt: string | null;
  createdAt: string;
  active: boolean;
}

interface Grants {
  organisation: { sharingGrants: Grant[] | null } | null;
  organisations: { nodes: { id: string; name: string }[] };
}

const GRANT = `mutation Freigeben($input: GrantSharingInput!) { grantSharing(input: $input) { id } }`;
const REVOKE = `mutation FreigabeWiderrufen($id: ID!) { revokeSharing(id: $id) { id revokedAt } }`;

/** Also groups granted before the policy narrowed what is shareable (the seed's CONTACTS). */
const SHOWN_GROUPS: Record<string, string> = { ...FIELD_GROUPS, CONTACTS: 'Kontaktpersonen' };
const groupLabel = (group: string) => SHOWN_GROUPS[group] ?? group;

/** What the organisation shares beyond the policy: current and past grants, grant a new one, revoke. */
export function SharingSection({ workspace }: { workspace: Workspace }) {
  const id = useId();
  const { data, error, reload } = useLoad<Grants>(GRANTS, { id: workspace.organisationId }, workspace.token);
  const [values, setValues] = useState({
    fieldGroup: 'PLACES_DETAIL',
    audience: 'ORGANISATION',
    organisationId: '',
    validFrom: '',
    validTo: '',
  });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof values>) => setValues((v) => ({ ...v, ...patch }));
  const partners = (data?.organisations.nodes ?? []).filter((o) => o.id !== workspace.organisationId);
  const grants = data?.organisation?.sharingGrants ?? [];
  const audienceOf = (g: Grant) =>
    g.audience === 'ALLIANCE'
      ? 'das ganze Bündnis'
      : (g.audienceOrganisation?.name ?? 'eine Partnerorganisation');

  const grant = async (event: FormEvent) => {
    event.preventDefault();
    setSuccess(null);
    if (values.audience === 'ORGANISATION' && !values.organisationId) {
      setErrors({
        fields: { organisationId: 'Bitte die Partnerorganisation wählen.' },
        message: 'Bitte die markierten Felder prüfen.',
        conflict: null,
      });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await request(
        GRANT,
        {
          input: {
            fieldGroup: values.fieldGroup,
            audience: values.audience,
            organisationId: values.audience === 'ORGANISATION' ? values.organisationId : undefined,
            validFrom: values.validFrom || undefined,
            validTo: values.validTo || undefined,
          },
        },
        workspace.token,
      );
      const to =
        values.audience === 'ALLIANCE'
          ? 'dem ganzen Bündnis'
          : (partners.find((p) => p.id === values.organisationId)?.name ?? 'der Partnerorganisation');
      setSuccess(`${groupLabel(values.fieldGroup)}: freigegeben für ${to}.`);
      await reload();
    } catch (e) {
      setErrors(formErrorsOf(e));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (g: Grant) => {
    setSuccess(null);
    setErrors(NO_ERRORS);
    try {
      await request(REVOKE, { id: g.id }, workspace.token);
      setSuccess(`Die Freigabe „${groupLabel(g.fieldGroup)}“ für ${audienceOf(g)} wurde widerrufen.`);
      await reload();
    } catch (e) {
      setErrors(formErrorsOf(e));
    }
  };

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Freigaben</h2>
      <p className="hint">
        Was Partner über die Grundregeln hinaus von Ihren Daten sehen. Fälle und Reservierungen sind nie
        freigebbar.
      </p>
      <FormMessage
        error={error ?? (errors.message && !Object.keys(errors.fields).length ? errors.message : null)}
        success={success}
      />
      {grants.length === 0 ? (
        <p>Ihre Organisation gibt nichts über die Grundregeln hinaus frei.</p>
      ) : (
        <ScrollTable label="Freigaben Ihrer Organisation">
          <table>
            <thead>
              <tr>
                <th scope="col">Feldgruppe</th>
                <th scope="col">Für</th>
                <th scope="col">Gültig</th>
                <th scope="col">Status</th>
                <th scope="col">Aktion</th>
              </tr>
            </thead>
            <tbody>
              {grants.map((g) => (
                <tr key={g.id}>
                  <td>{groupLabel(g.fieldGroup)}</td>
                  <td>{audienceOf(g)}</td>
                  <td>
                    ab {formatDate(g.validFrom)}
                    {g.validTo ? ` bis ${formatDate(g.validTo)}` : ', bis auf Widerruf'}
                  </td>
                  <td>
                    {g.revokedAt
                      ? `widerrufen am ${formatDateTime(g.revokedAt)}`
                      : g.active
                        ? 'in Kraft'
                        : 'nicht in Kraft'}
                  </td>
                  <td>
                    {!g.revokedAt && workspace.may('sharing.revoke') && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Widerrufen: ${groupLabel(g.fieldGroup)} für ${audienceOf(g)}`}
                        onClick={() => revoke(g)}
                      >
                        Widerrufen
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {workspace.may('sharing.grant') && (
        <form className="editor-form" noValidate onSubmit={grant} aria-labelledby={`${id}-new`}>
          <h3 id={`${id}-new`}>Neue Freigabe</h3>
          <Field id={`${id}-group`} label="Feldgruppe" error={errors.fields.fieldGroup}>
            {(control) => (
              <select
                {...control}
                value={values.fieldGroup}
                onChange={(e) => set({ fieldGroup: e.target.value })}
              >
                {Object.entries(FIELD_GROUPS).map(([group, label]) => (
                  <option key={group} value={group}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="checks">
            <legend>Freigeben für</legend>
            <label className="check">
              <input
                type="radio"
                name={`${id}-audience`}
                checked={values.audience === 'ORGANISATION'}
                onChange={() => set({ audience: 'ORGANISATION' })}
              />
              eine Partnerorganisation
            </label>
            <label className="check">
              <input
                type="radio"
                name={`${id}-audience`}
                checked={values.audience === 'ALLIANCE'}
                onChange={() => set({ audience: 'ALLIANCE', organisationId: '' })}
              />
              das ganze Bündnis
            </label>
          </fieldset>
          {values.audience === 'ORGANISATION' && (
            <Field id={`${id}-partner`} label="Partnerorganisation" error={errors.fields.organisationId}>
              {(control) => (
                <select
                  {...control}
                  value={values.organisationId}
                  onChange={(e) => set({ organisationId: e.target.value })}
                >
                  <option value="">bitte wählen</option>
                  {partners.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <div className="field-row">
            <Field id={`${id}-from`} label="Ab" hint="leer: ab heute" error={errors.fields.validFrom}>
              {(control) => (
                <input
                  {...control}
                  type="date"
                  value={values.validFrom}
                  onChange={(e) => set({ validFrom: e.target.value })}
                />
              )}
            </Field>
            <Field id={`${id}-to`} label="Bis" hint="leer: bis auf Widerruf" error={errors.fields.validTo}>
              {(control) => (
                <input
                  {...control}
                  type="date"
                  value={values.validTo}
                  onChange={(e) => set({ validTo: e.target.value })}
                />
              )}
            </Field>
          </div>
          <FormMessage error={Object.keys(errors.fields).length ? errors.message : null} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Freigeben …' : 'Freigeben'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
