import { Check, Entity, Enum, Index, ManyToOne, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { FieldGroup, SharingAudience } from '../../domain/enums.js';
import { Account } from '../account/account.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';

/**
 * An organisation shares a group of its own restricted fields with one partner or the whole alliance,
 * for a validity period. The policy caps what may be shared; the field-group enum has no CASES value.
 */
@Entity()
@Index({ properties: ['organisation'] })
@Check({
  name: 'sharing_grant_audience_target_check',
  expression: "(audience = 'ORGANISATION') = (audience_organisation_id is not null)",
})
@Check({
  name: 'sharing_grant_not_self_check',
  expression: 'audience_organisation_id is distinct from organisation_id',
})
@Check({ name: 'sharing_grant_validity_check', expression: 'valid_to is null or valid_to >= valid_from' })
export class SharingGrant extends BaseEntity {
  @ManyToOne(() => Organisation, { deleteRule: 'cascade' })
  organisation!: Rel<Organisation>;

  @Enum({ items: () => FieldGroup })
  fieldGroup!: FieldGroup;

  @Enum({ items: () => SharingAudience })
  audience!: SharingAudience;

  @ManyToOne(() => Organisation, { nullable: true, deleteRule: 'cascade' })
  audienceOrganisation?: Rel<Organisation>;

  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date', nullable: true })
  validTo?: string;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'set null' })
  grantedBy?: Rel<Account>;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date;
}
