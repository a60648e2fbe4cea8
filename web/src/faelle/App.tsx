import { Layout } from '../shared/Layout';
import { SignIn } from '../shared/SignIn';
import { useSession } from '../shared/session';
import { Workspace } from './Workspace';

/** The case managers' workspace: pseudonymous cases, matching offers and their places. */
export function App() {
  const session = useSession();
  // The hub's policy decides (Me.actions); the page never judges by role names.
  const mayWork = !!session?.actions.includes('case.create');
  return (
    <Layout current="/faelle">
      <h1>Fälle</h1>
      <SignIn
        session={session}
        publicNote="Diese Seite ist für das Fallmanagement der Partnerorganisationen."
      />
      {session && !mayWork && (
        <p role="alert">Diese Seite ist für das Fallmanagement (Rolle Fallmanagement).</p>
      )}
      {session && mayWork && <Workspace key={session.organisationId} session={session} />}
    </Layout>
  );
}
