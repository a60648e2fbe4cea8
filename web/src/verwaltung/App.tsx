import { Layout } from '../shared/Layout';
import { SignIn } from '../shared/SignIn';
import { useSession } from '../shared/session';
import { AuditSection } from './audit/AuditSection';
import { ImportSection } from './import/ImportSection';
import { LocationsSection } from './locations/LocationsSection';
import { OffersSection } from './offers/OffersSection';
import { PlacesSection } from './places/PlacesSection';
import { SharingSection } from './sharing/SharingSection';
import { type Tab, Tabs } from './Tabs';
import type { Workspace } from './workspace';

/** The actions that make this page someone's workspace (docs/permissions.md). */
const EDITING = ['offer.create', 'offer.update', 'location.create', 'capacity.setTotal', 'sharing.grant'];

/** The editors' workspace: the organisation's offers, locations, places, reservations and sharing. */
export function App() {
  const session = useSession();
  const mayEdit = !!session && EDITING.some((action) => session.actions.includes(action));
  const workspace: Workspace | null = session
    ? {
        token: session.token,
        organisationId: session.organisationId,
        may: (action) => session.actions.includes(action),
      }
    : null;
  // Each section lives in its own module; this shell only mounts them.
  const tabs: Tab[] = workspace
    ? [
        { key: 'angebote', label: 'Angebote', render: () => <OffersSection workspace={workspace} /> },
        { key: 'standorte', label: 'Standorte', render: () => <LocationsSection workspace={workspace} /> },
        {
          key: 'plaetze',
          label: 'Plätze & Reservierungen',
          render: () => <PlacesSection workspace={workspace} />,
        },
        ...(session?.actions.includes('offer.import')
          ? [{ key: 'import', label: 'Import', render: () => <ImportSection session={session} /> }]
          : []),
        { key: 'freigaben', label: 'Freigaben', render: () => <SharingSection workspace={workspace} /> },
        { key: 'protokoll', label: 'Protokoll', render: () => <AuditSection workspace={workspace} /> },
      ]
    : [];
  return (
    <Layout current="/verwaltung">
      <h1>Verwaltung</h1>
      <SignIn
        session={session}
        publicNote="Die Verwaltung ist für die Redaktion der Partnerorganisationen."
      />
      {session && !mayEdit && (
        <p role="alert">Diese Seite ist für die Redaktion einer Partnerorganisation (Rolle Redaktion).</p>
      )}
      {session && mayEdit && <Tabs label="Bereiche der Verwaltung" tabs={tabs} />}
    </Layout>
  );
}
