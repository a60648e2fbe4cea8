import type { Faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldGroup, SharingAudience } from '../../src/domain/enums.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { SharingGrant } from '../../src/modules/sharing/sharing-grant.entity.js';
import type { AccountSeed } from './accounts.js';
import { addDays, timestampOf, toDay } from './calendar.js';
import type { OrganisationSeed } from './organisations.js';
import { stamp } from './stamps.js';

interface GrantSpec {
  from: string;
  fieldGroup: FieldGroup;
  /** Slug of the receiving organisation; omitted = the whole alliance. */
  to?: string;
  validFrom: string;
  validTo?: string;
  revokedOn?: string;
}

/** Sharing beyond the default visibility, each granted by the organisation's editor. */
const GRANTS: readonly GrantSpec[] = [
  { from: 'rheinchemie', fieldGroup: FieldGroup.PLACES_DETAIL, validFrom: '2026-01-01' },
  { from: 'baeckerei-schmitz', fieldGroup: FieldGroup.PLACES_DETAIL, validFrom: '2026-03-01' },
  {
    from: 'vhs-leverkusen',
    fieldGroup: FieldGroup.CONTACTS,
    to: 'jobcenter-leverkusen',
    validFrom: '2026-02-01',
    validTo: '2027-01-31',
  },
  {
    from: 'kolping-leverkusen',
    fieldGroup: FieldGroup.INTERNAL_NOTES,
    to: 'arbeitsagentur-leverkusen',
    validFrom: '2026-01-15',
  },
  {
    from: 'kja-leverkusen',
    fieldGroup: FieldGroup.PLACES_DETAIL,
    to: 'caritas-leverkusen',
    validFrom: '2026-04-01',
  },
  { from: 'kja-leverkusen', fieldGroup: FieldGroup.FUNDING, to: 'jbh-leverkusen', validFrom: '2026-05-01' },
  {
    from: 'seniorenzentrum-am-hang',
    fieldGroup: FieldGroup.CONTACTS,
    validFrom: '2026-02-01',
    revokedOn: '2026-09-15',
  },
];

export function seedSharing(
  em: EntityManager,
  faker: Faker,
  orgs: OrganisationSeed,
  accounts: AccountSeed,
): { grants: SharingGrant[]; auditEntries: AuditEntry[] } {
  const grants: SharingGrant[] = [];
  const drafts: {
    action: string;
    occurredAt: Date;
    grant: SharingGrant;
    details: Record<string, unknown>;
  }[] = [];
  GRANTS.forEach((spec, i) => {
    const owner = orgs.bySlug.get(spec.from)!;
    const audienceOrganisation = spec.to ? orgs.bySlug.get(spec.to)!.entity : undefined;
    const grantedBy = accounts.byEmail.get(`editor@${spec.from}.example`)!;
    const grantedDay = toDay(addDays(spec.validFrom, -3));
    const grant = em.create(SharingGrant, {
      id: faker.string.uuid(),
      organisation: owner.entity,
      fieldGroup: spec.fieldGroup,
      audience: audienceOrganisation ? SharingAudience.ORGANISATION : SharingAudience.ALLIANCE,
      audienceOrganisation,
      validFrom: spec.validFrom,
      validTo: spec.validTo,
      grantedBy,
      revokedAt: spec.revokedOn ? timestampOf(toDay(spec.revokedOn), 10 * 3600) : undefined,
      createdAt: stamp(grantedDay, i).createdAt,
      updatedAt: spec.revokedOn
        ? timestampOf(toDay(spec.revokedOn), 10 * 3600)
        : stamp(grantedDay, i).updatedAt,
    });
    grants.push(grant);
    const details = {
      fieldGroup: spec.fieldGroup,
      audience: grant.audience,
      audienceOrganisationId: audienceOrganisation?.id ?? null,
      validFrom: spec.validFrom,
      validTo: spec.validTo ?? null,
    };
    drafts.push({ action: 'sharing_grant.created', occurredAt: grant.createdAt, grant, details });
    if (spec.revokedOn)
      drafts.push({ action: 'sharing_grant.revoked', occurredAt: grant.revokedAt!, grant, details });
  });
  // Audit ids follow time, as they would have been written.
  drafts.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const auditEntries = drafts.map((d) =>
    em.create(AuditEntry, {
      occurredAt: d.occurredAt,
      actorAccountId: d.grant.grantedBy!.id,
      actorOrganisationId: d.grant.organisation.id,
      action: d.action,
      entityType: 'SharingGrant',
      entityId: d.grant.id,
      details: d.details,
    }),
  );
  return { grants, auditEntries };
}
