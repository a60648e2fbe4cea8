import { type FormEvent, useId, useState } from 'react';
import { describeError } from './api';
import { OidcSignIn, useHubSignIn } from './OidcSignIn';
import { type Session, signIn, signOut } from './session';

/**
 * The hub's built-in sign-in (e-mail and password → `login`). Without it the pages show what the public
 * may see; signed in, partners see numbers instead of bands.
 */
export function SignIn({ session, publicNote }: { session: Session | null; publicNote: string }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hub = useHubSignIn();

  if (session) {
    return (
      <section className="sign-in" aria-label="Anmeldung">
        <p role="status">
          Angemeldet als <strong>{session.displayName ?? session.email}</strong> ({session.organisation})
        </p>
        <button type="button" className="secondary" onClick={signOut}>
          Abmelden
        </button>
      </section>
    );
  }

  // Password sign-in switched off (PASSWORD_LOGIN=false): only the city's sign-in.
  if (hub && !hub.passwordLogin) {
    return (
      <section className="sign-in" aria-label="Anmeldung für Bündnispartner">
        <p className="hint" style={{ flexBasis: '100%' }}>
          {publicNote}
        </p>
        <OidcSignIn hub={hub} />
      </section>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      setPassword('');
    } catch (e) {
      setError(
        (e as { code?: string }).code === 'UNAUTHENTICATED'
          ? 'E-Mail oder Passwort stimmen nicht (oder das Konto ist gesperrt).'
          : describeError(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sign-in" aria-label="Anmeldung für Bündnispartner" onSubmit={submit}>
      <p className="hint" style={{ flexBasis: '100%' }}>
        {publicNote}
      </p>
      <div className="field">
        <label htmlFor={`${id}-email`}>E-Mail</label>
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Passwort</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Anmelden …' : 'Anmelden'}
      </button>
      {hub && <OidcSignIn hub={hub} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
