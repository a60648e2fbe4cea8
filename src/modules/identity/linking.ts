import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../domain/enums.js';
import { hashSecret } from './session-keys.js';

export type LinkRefusal =
  /** No linked account, and no verified e-mail address of exactly one account. */
  | 'unknown'
  /** The account or its organisation is deactivated. */
  | 'deactivated'
  /** The invitation link is unknown, used or expired. */
  | 'invitation'
  /** This identity or this account is already linked elsewhere. */
  | 'taken'
  /** OIDC_ROLES_CLAIM grants none of the account's roles. */
  | 'no-role';

export type LinkResult = { accountId: string; roles?: Role[] } | { refused: LinkRefusal };

const ROLES = new Set<string>(Object.values(Role));

/** A claim by name; dots walk into objects (`realm_access.roles` in Keycloak). */
export function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  return name.split('.').reduce<unknown>((value, part) => {
    if (value && typeof value === 'object' && part in value) return (value as Record<string, unknown>)[part];
    return undefined;
  }, claims);
}

/**
 * Which hub account an identity of the provider signs in as. Linked identities keep their account;
 * a new one is linked through an admin's invitation, or on first sign-in by a verified e-mail address
 * that exactly one account has (an account already linked to another identity of this issuer is not
 * taken over). The account and its organisation must be active, as for the password sign-in.
 */
export async function accountForIdentity(
  em: EntityManager,
  identity: {
    issuer: string;
    subject: string;
    claims: Record<string, unknown>;
    invitation?: string;
    rolesClaim?: string;
  },
): Promise<LinkResult> {
  const { issuer, subject, claims } = identity;
  const linked = await em.transactional(async (tx): Promise<LinkResult> => {
    const [link] = await tx.execute<{ account_id: string }[]>(
      'select account_id from identity_link where issuer = ? and subject = ?',
      [issuer, subject],
    );
    if (identity.invitation) {
      const [invitation] = await tx.execute<{ id: string; account_id: string }[]>(
        `select id, account_id from sign_in_invitation
          where token_hash = ? and used_at is null and expires_at > now() for update`,
        [hashSecret(identity.invitation)],
      );
      if (!invitation) return { refused: 'invitation' };
      if (link && link.account_id !== invitation.account_id) return { refused: 'taken' };
      if (!link) {
        const inserted = await tx.execute<{ id: string }[]>(
          `insert into identity_link (issuer, subject, account_id, linked_by) values (?, ?, ?, 'invitation')
           on conflict do nothing returning id`,
          [issuer, subject, invitation.account_id],
        );
        if (inserted.length === 0) return { refused: 'taken' };
      }
      await tx.execute('update sign_in_invitation set used_at = now() where id = ?', [invitation.id]);
      return { accountId: invitation.account_id };
    }
    if (link) return { accountId: link.account_id };
    const email = claims.email;
    // Only an address the provider has verified: anyone can type any address into a profile.
    if (claims.email_verified !== true || typeof email !== 'string' || !email.includes('@')) {
      return { refused: 'unknown' };
    }
    const accounts = await tx.execute<{ id: string }[]>(
      'select id from account where lower(email) = lower(?)',
      [email.trim()],
    );
    if (accounts.length !== 1) return { refused: 'unknown' };
    const inserted = await tx.execute<{ id: string }[]>(
      `insert into identity_link (issuer, subject, account_id, linked_by) values (?, ?, ?, 'email')
       on conflict do nothing returning id`,
      [issuer, subject, accounts[0]!.id],
    );
    // The account is linked to another identity of this issuer already: not this one's to claim.
    if (inserted.length === 0) return { refused: 'unknown' };
    return { accountId: accounts[0]!.id };
  });
  if ('refused' in linked) return linked;
  const [account] = await em.execute<{ roles: Role[]; active: boolean }[]>(
    `select a.roles, a.active and o.active as active from account a
       join organisation o on o.id = a.organisation_id where a.id = ?`,
    [linked.accountId],
  );
  if (!account?.active) return { refused: 'deactivated' };
  await em.execute('update identity_link set last_sign_in_at = now() where issuer = ? and subject = ?', [
    issuer,
    subject,
  ]);
  if (!identity.rolesClaim) return linked;
  const claimed = claimAt(claims, identity.rolesClaim);
  const named = new Set((Array.isArray(claimed) ? claimed : [claimed]).filter((r) => typeof r === 'string'));
  const roles = account.roles.filter((r) => named.has(r) && ROLES.has(r));
  return roles.length > 0 ? { accountId: linked.accountId, roles } : { refused: 'no-role' };
}
