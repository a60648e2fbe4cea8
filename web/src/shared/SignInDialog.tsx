import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError } from './api';
import { signIn } from './session';

/**
 * Signing in again without leaving the page (a modal <dialog>: focus stays inside, Escape or "Abbrechen"
 * close it and the browser puts focus back on the button that opened it). The page keeps its filters
 * and entries meanwhile. `onClose` follows the dialog's own close event.
 */
export function SignInDialog({
  email: knownEmail,
  onClose,
  onSignedIn,
}: {
  email: string;
  onClose: () => void;
  onSignedIn: () => void;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const emailField = useRef<HTMLInputElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  const [email, setEmail] = useState(knownEmail);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Mounted when wanted, so its fields exist only while it is open.
  useEffect(() => {
    const element = dialog.current;
    if (!element || element.open) return;
    element.showModal();
    // The e-mail is usually known: straight to the password.
    (knownEmail ? passwordField : emailField).current?.focus();
  }, [knownEmail]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      setPassword('');
      onSignedIn();
    } catch (e) {
      setError(
        (e as { code?: string }).code === 'UNAUTHENTICATED'
          ? 'E-Mail oder Passwort stimmen nicht (oder das Konto ist gesperrt).'
          : describeError(e),
      );
      passwordField.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const errorId = `${id}-error`;
  return (
    <dialog ref={dialog} className="sign-in-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <h2 id={`${id}-title`}>Erneut anmelden</h2>
      <p id={`${id}-hint`}>Die Seite bleibt dabei, wie sie ist: Filter und Eingaben gehen nicht verloren.</p>
      <form onSubmit={submit} aria-describedby={`${id}-hint`}>
        <div className="field">
          <label htmlFor={`${id}-email`}>E-Mail</label>
          <input
            ref={emailField}
            id={`${id}-email`}
            type="email"
            autoComplete="username"
            required
            value={email}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Passwort</label>
          <input
            ref={passwordField}
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p id={errorId} className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Anmelden …' : 'Anmelden'}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            Abbrechen
          </button>
        </div>
      </form>
    </dialog>
  );
}
