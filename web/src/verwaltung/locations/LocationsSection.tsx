import { useId, useState } from 'react';
import { request } from '../../shared/api';
import { FormMessage } from '../Field';
import { formErrorsOf } from '../form-errors';
import { ScrollTable } from '../ScrollTable';
import { useLoad } from '../useLoad';
import type { Workspace } from '../workspace';
import { LocationForm } from './LocationForm';
import { ARCHIVE_LOCATION, type EditableLocation, LOCATIONS, type Locations } from './location-queries';

/** The organisation's locations: create, change, archive (only when no active offer uses one). */
export function LocationsSection({ workspace }: { workspace: Workspace }) {
  const id = useId();
  const { data, error, reload } = useLoad<Locations>(
    LOCATIONS,
    { id: workspace.organisationId },
    workspace.token,
  );
  const [open, setOpen] = useState<EditableLocation | 'new' | null>(null);
  const [message, setMessage] = useState<{ error?: string | null; success?: string | null }>({});
  const locations = data?.organisation?.locations ?? [];

  const reloadOne = async (locationId: string) => {
    const fresh = await reload();
    return fresh?.organisation?.locations.find((l) => l.id === locationId) ?? null;
  };

  const archive = async (location: EditableLocation) => {
    setMessage({});
    try {
      await request(ARCHIVE_LOCATION, { id: location.id, version: location.version }, workspace.token);
      setMessage({ success: `Der Standort „${location.name}“ wurde archiviert.` });
      void reload();
    } catch (e) {
      const found = formErrorsOf(e);
      setMessage({
        error: found.conflict
          ? 'Der Standort wurde inzwischen geändert; die Liste zeigt jetzt den aktuellen Stand. Bitte erneut versuchen.'
          : found.message,
      });
      void reload();
    }
  };

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Standorte</h2>
      <FormMessage error={message.error ?? error} success={message.success} />
      {workspace.may('location.create') && open !== 'new' && (
        <button type="button" onClick={() => setOpen('new')}>
          Neuen Standort anlegen
        </button>
      )}
      {open && (
        <section className="editor" aria-label={open === 'new' ? 'Neuer Standort' : `Standort ${open.name}`}>
          <h3>{open === 'new' ? 'Neuer Standort' : `Standort bearbeiten: ${open.name}`}</h3>
          <LocationForm
            key={open === 'new' ? 'new' : open.id}
            workspace={workspace}
            location={open === 'new' ? null : open}
            onSaved={(_saved, success) => {
              setMessage({ success });
              setOpen(null);
              void reload();
            }}
            onReload={() => (open === 'new' ? Promise.resolve(null) : reloadOne(open.id))}
          />
          <button type="button" className="secondary" onClick={() => setOpen(null)}>
            Abbrechen
          </button>
        </section>
      )}
      <ScrollTable label="Standorte Ihrer Organisation">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Adresse</th>
              <th scope="col">Stadtteil</th>
              <th scope="col">Barrierefreiheit</th>
              <th scope="col">Status</th>
              <th scope="col">Aktionen</th>
            </tr>
          </thead>
          <tbody>
            {locations.map((l) => (
              <tr key={l.id}>
                <td>{l.name}</td>
                <td>
                  {l.street}, {l.postalCode} {l.city}
                </td>
                <td>{l.district}</td>
                <td>
                  {l.wheelchairAccessible ? 'rollstuhlgerecht' : 'nicht rollstuhlgerecht'}
                  {l.accessibilityNote ? ` – ${l.accessibilityNote}` : ''}
                </td>
                <td>{l.active ? 'aktiv' : 'archiviert'}</td>
                <td className="row-actions">
                  {l.active && workspace.may('location.update') && (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Bearbeiten: ${l.name}`}
                      onClick={() => setOpen(l)}
                    >
                      Bearbeiten
                    </button>
                  )}
                  {l.active && workspace.may('location.archive') && (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Archivieren: ${l.name}`}
                      onClick={() => archive(l)}
                    >
                      Archivieren
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </section>
  );
}
