import { useEffect, useState } from 'react';
import { type HubSignIn, hubSignIn, oidcLoginUrl } from './cookie-session';
import { resumeCookieSession } from './session';

/**
 * What this hub offers for signing in (GET /auth/session), asked once per page; resumes a hub session
 * of the city's sign-in that the browser already has (its cookie), so every page knows who is there.
 */
export function useHubSignIn(): HubSignIn | null {
  const [hub, setHub] = useState<HubSignIn | null>(null);
  useEffect(() => {
    let live = true;
    void hubSignIn().then((answer) => {
      if (!live || !answer) return;
      setHub(answer);
      void resumeCookieSession(answer).catch(() => undefined);
    });
    return () => {
      live = false;
    };
  }, []);
  return hub;
}

/** The way to the city's identity provider (a link: the sign-in is a page of the provider). */
export function OidcSignIn({ hub }: { hub: HubSignIn }) {
  if (!hub.oidc) return null;
  return (
    <a className="button" href={oidcLoginUrl()}>
      Mit dem Konto der Stadt anmelden
    </a>
  );
}
