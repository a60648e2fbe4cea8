import { LockMode } from '@mikro-orm/postgresql';
import { SHAREABLE_FIELD_GROUPS } from '../../auth/policy.js';
import type { AccountViewer } from '../../auth/viewer.js';
import type { Context } from '../../context.js';
import { today } from '../../domain/calendar.js';
import { SharingAudience } from '../../domain/enums.js';
import { badInput, ErrorCode, HubError, notFound } from '../../errors.js';
import { fromGlobalIdOf } from '../../graphql/global-id.js';
import { Account } from '../account/account.entity.js';
import { recordAudit } from '../audit/audit.service.js';
import { Organisation } from '../organisation/organisation.entity.js';
import type { GrantSharingInput } from './sharing.types.js';
import { SharingGrant } from './sharing-grant.entity.js';

/**
 * Sharing grants: an organisation's editor shares a field group of its own data with one partner or the
 * alliance, within the ceiling of the policy. Every change is audited in the same transaction.
 */
export async function grantSharing(
  ctx: Context,
  viewer: AccountViewer,
  input: GrantSharingInput,
): Promise<SharingGrant> {
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
    if (!input.organisationId)
      throw badInput('Name the partner (organisationId) to share with.', { argument: 'organisationId' });
    audienceOrganisationId = fromGlobalIdOf('Organisation', input.organisationId, 'organisationId');
    if (audienceOrganisationId === viewer.organisationId) {
      throw badInput('Your organisation already sees its own data.', { argument: 'organisationId' });
    }
    const partner = await ctx.loaders.organisation.load(audienceOrganisationId);
    if (!partner) throw notFound('Organisation', input.organisationId);
  } else if (input.organisationId) {
    throw badInput('organisationId is only for audience ORGANISATION.', { argument: 'organisationId' });
  }

  return ctx.em.transactional(async (em) => {
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
  ctx: Context,
  viewer: AccountViewer,
  globalOrRawId: string,
): Promise<SharingGrant> {
  const id = fromGlobalIdOf('SharingGrant', globalOrRawId);
  return ctx.em.transactional(async (em) => {
    // Row lock: two editors revoking at once record one revocation.
    const grant = await em.findOne(SharingGrant, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    // Another organisation's grant looks exactly like a missing one.
    if (!grant || grant.organisation.id !== viewer.organisationId)
      throw notFound('SharingGrant', globalOrRawId);
    if (grant.revokedAt) throw new HubError(ErrorCode.CONFLICT, 'This grant was already revoked.');
    grant.revokedAt = new Date();
    recordAudit(em, viewer, {
      action: 'sharing_grant.revoked',
      entityType: 'SharingGrant',
      entityId: grant.id,
      organisationId: viewer.organisationId,
    });
    return grant;
  });
}
