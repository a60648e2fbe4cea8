import { useEffect, useRef, useState } from 'react';
import { SignInDialog } from './SignInDialog';
import { dismissExpiry, useSessionStatus } from './session';

/** "in 2 Minuten", "in weniger als einer Minute": coarse, so the live region speaks only a few times. */
export function remaining(ms: number): string {
  if (ms <= 60_000) return 'in weniger als einer Minute';
  return `in ${Math.ceil(ms / 60_000)} Minuten`;
}

/** Re-renders every `ms` while `active` (the countdown of the warning). */
function useTicking(active: boolean, ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [active, ms]);
  return now;
}

/**
 * Where the person was working when a notice interrupted them (null: nowhere, or inside the notices):
 * focus goes back there after signing in again.
 */
function useFocusWhen(notice: 'none' | 'soon' | 'expired') {
  const where = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (notice === 'none') return;
    const active = document.activeElement;
    // A page that was not being worked in (focus on <body>) keeps what an earlier notice saw.
    if (
      active instanceof HTMLElement &&
      active !== document.body &&
      !active.closest('[data-notices], dialog')
    )
      where.current = active;
  }, [notice]);
  return where;
}

/**
 * Says before the sign-in runs out that it will (with a way to sign in again right there), and when it
 * has: the page then shows the public view, keeps what was entered, and a new sign-in brings the
 * signed-in view back without reloading.
 */
export function SessionNotice() {
  const { session, expiresAt, expiresSoon, expired } = useSessionStatus();
  const now = useTicking(expiresSoon, 5_000);
  const [dialogOpen, setDialogOpen] = useState(false);
  const expiredText = useRef<HTMLParagraphElement>(null);
  // Before the effect below, which may move focus into the notice.
  const workedIn = useFocusWhen(expired ? 'expired' : session && expiresSoon ? 'soon' : 'none');

  // Focus stays where the person works (the alert is read out anyway), unless what had it is gone,
  // e.g. the "Abmelden" button of the signed-in header.
  useEffect(() => {
    if (!expired) return;
    const active = document.activeElement;
    if (!active || active === document.body) expiredText.current?.focus();
  }, [expired]);

  // After a new sign-in, once the dialog is gone (a modal dialog makes the page inert until then):
  // back to where the person was, else to the page's content.
  const [returnFocus, setReturnFocus] = useState(false);
  useEffect(() => {
    if (!returnFocus || dialogOpen) return;
    setReturnFocus(false);
    const target = workedIn.current;
    if (target?.isConnected && target.getClientRects().length > 0) target.focus();
    else document.getElementById('inhalt')?.focus();
  }, [returnFocus, dialogOpen, workedIn]);

  const signedIn = () => {
    setDialogOpen(false);
    setReturnFocus(true);
  };

  const email = session?.email ?? expired?.email ?? '';
  const warn = session !== null && expiresSoon && expiresAt !== null;

  return (
    <>
      <div role="status" className="notice-region">
        {warn && (
          <div className="notice notice-warning">
            <p>
              <strong>Ihre Anmeldung läuft {remaining(expiresAt - now)} ab.</strong> Danach zeigt die Seite
              nur noch, was öffentlich ist. Melden Sie sich erneut an, um angemeldet zu bleiben; Ihre Eingaben
              bleiben erhalten.
            </p>
            <button type="button" onClick={() => setDialogOpen(true)}>
              Jetzt erneut anmelden
            </button>
          </div>
        )}
      </div>
      <div role="alert" className="notice-region">
        {expired && (
          <div className="notice notice-expired">
            <p ref={expiredText} tabIndex={-1}>
              <strong>Ihre Anmeldung ist abgelaufen.</strong> Die Seite zeigt jetzt nur noch, was öffentlich
              ist. Ihre Filter und Eingaben bleiben erhalten; nach einer neuen Anmeldung sehen Sie wieder
              alles wie zuvor.
            </p>
            <div className="notice-actions">
              <button type="button" onClick={() => setDialogOpen(true)}>
                Erneut anmelden
              </button>
              <button type="button" className="secondary" onClick={dismissExpiry}>
                Hinweis schließen
              </button>
            </div>
          </div>
        )}
      </div>
      {dialogOpen && (
        <SignInDialog email={email} onClose={() => setDialogOpen(false)} onSignedIn={signedIn} />
      )}
    </>
  );
}
