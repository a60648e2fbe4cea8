import { Layout } from '../shared/Layout';
import { SignIn } from '../shared/SignIn';
import { useSession } from '../shared/session';
import { ImportSection } from './import/ImportSection';

/** The editors' workspace: the organisation's offers, locations, places, reservations and sharing. */
export function App() {
  const session = useSession();
  const mayEdit = !!session?.actions.includes('offer.update');
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
      {session?.actions.includes('offer.import') && <ImportSection session={session} />}
    </Layout>
  );
}
