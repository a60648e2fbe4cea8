import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import { type Actor, ownOrganisation } from '../../auth/actor.js';
import { SHAREABLE_FIELD_GROUPS } from '../../auth/policy.js';
import { today } from '../../domain/calendar.js';
import { SharingAudience } from '../../domain/enums.js';
import type { Ref } from '../../domain/ref.js';
import { badInput, ErrorCode, HubError, notFound } from '../../errors.js';
import { Account } from '../account/account.entity.js';
import { recordAudit } from '../audit/audit.service.js';
import { Organisation } from '../organisation/organisation.entity.js';
import type { GrantSharingInput } from './sharing.types.js';
import { SharingGrant } from './sharing-grant.entity.js';

/**
 * Sharing grants: an organisation's editor shares a field group of its own data with one partner or the
 * alliance, within the ceiling of the policy. Every change is audited in the same transaction.
 */
export type GrantSharing = Omit<GrantSharingInput, 'organisationId'> & { organisation?: Ref };

export async function grantSharing(
  em: EntityManager,
  actor: Actor,
  input: GrantSharing,
): Promise<SharingGrant> {
  const viewer = actor.assert('sharing.grant', { organisation: ownOrganisation(actor) });
  if (!SHAREABLE_FIELD_GROUPS.has(input.fieldGroup)) {
    throw badInput(
      `${input.fieldGroup} cannot be shared: the policy already shows it to all partners or never allows sharing it.`,
      { argument: 'fieldGroup' },
    );
  }
  const validFrom = input.validFrom ?? today();
  if (input.validTo && input.validTo < validFrom)
    throw badInput('validTo lies before validFrom.', { argument: 'validTo' });
  if (input.validTo && input.validTo < today())
    throw badInput('validTo lies in the past.', { argument: 'validTo' });

  let audienceOrganisationId: string | undefined;
  if (input.audience === SharingAudience.ORGANISATION) {
    if (!input.organisation)
      throw badInput('Name the partner (organisationId) to share with.', { argument: 'organisationId' });
    audienceOrganisationId = input.organisation.id;
    if (audienceOrganisationId === viewer.organisationId) {
      throw badInput('Your organisation already sees its own data.', { argument: 'organisationId' });
    }
    const partner = await em.findOne(Organisation, { id: audienceOrganisationId });
    if (!partner) throw notFound('Organisation', input.organisation.sent);
  } else if (input.organisation) {
    throw badInput('organisationId is only for audience ORGANISATION.', { argument: 'organisationId' });
  }

  return em.transactional(async (em) => {
    const grant = em.create(SharingGrant, {
      organisation: em.getReference(Organisation, viewer.organisationId),
      fieldGroup: input.fieldGroup,
      audience: input.audience,
      audienceOrganisation: audienceOrganisationId
        ? em.getReference(Organisation, audienceOrganisationId)
        : undefined,
      validFrom,
      validTo: input.validTo,
      grantedBy: em.getReference(Account, viewer.accountId),
    });
    recordAudit(em, viewer, {
      action: 'sharing_grant.created',
      entityType: 'SharingGrant',
      entityId: grant.id,
      organisationId: viewer.organisationId,
      details: {
        fieldGroup: input.fieldGroup,
        audience: input.audience,
        audienceOrganisationId: audienceOrganisationId ?? null,
        validFrom,
        validTo: input.validTo ?? null,
      },
    });
    return grant;
  });
}

export async function revokeSharing(
  em: EntityManager,
  actor: Actor,
  input: { grant: Ref },
): Promise<SharingGrant> {
  const viewer = actor.assert('sharing.revoke', { organisation: ownOrganisation(actor) });
  return em.transactional(async (em) => {
    // Row lock: two editors revoking at once record one revocation.
    const grant = await em.findOne(
      SharingGrant,
      { id: input.grant.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    // A grant the viewer may not revoke (another organisation's) looks exactly like a missing one.
    if (!grant || !actor.may('sharing.revoke', { organisation: grant.organisation.id }))
      throw notFound('SharingGrant', input.grant.sent);
    if (grant.revokedAt) throw new HubError(ErrorCode.CONFLICT, 'This grant was already revoked.');
    grant.revokedAt = new Date();
    recordAudit(em, viewer, {
      action: 'sharing_grant.revoked',
      entityType: 'SharingGrant',
      entityId: grant.id,
      organisationId: grant.organisation.id,
    });
    return grant;
  });
}
