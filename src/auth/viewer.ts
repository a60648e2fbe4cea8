import { Role } from '../domain/enums.js';

/** Who is asking. No token: the public. A valid token: an account of a partner organisation. */
export type Viewer = PublicViewer | AccountViewer;

export interface PublicViewer {
  kind: 'public';
}

export interface AccountViewer {
  kind: 'account';
  accountId: string;
  organisationId: string;
  /** The token's roles that the account still holds (a role taken away counts at once). */
  roles: ReadonlySet<Role>;
  /** When the token runs out (ms since epoch): long-lived WebSocket connections close then. */
  tokenExpiresAt?: number;
  /**
   * Signed in through a hub session (cookie, src/modules/identity/): its id. Its WebSocket connections
   * close when the session ends, and at tokenExpiresAt the session is renewed instead of closing.
   */
  sessionId?: string;
}

export const PUBLIC_VIEWER: PublicViewer = Object.freeze({ kind: 'public' });

export const hasRole = (viewer: Viewer, role: Role): viewer is AccountViewer =>
  viewer.kind === 'account' && viewer.roles.has(role);

export { Role };

/** For services behind a policy rule that already demands an account. */
export function requireAccount(viewer: Viewer): AccountViewer {
  if (viewer.kind !== 'account')
    throw new Error('policy let a public viewer through to an account-only operation');
  return viewer;
}
