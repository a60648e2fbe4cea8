import { Check, Entity, Enum, Index, Opt, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { OrganisationKind } from '../../domain/enums.js';

@Entity()
// Exactly one organisation (the Kommunales Integrationszentrum) coordinates the alliance.
@Index({
  name: 'organisation_single_coordinator',
  expression:
    'create unique index "organisation_single_coordinator" on "organisation" ("is_coordinator") where "is_coordinator"',
})
@Check({ name: 'organisation_website_check', expression: "website is null or website ~ '^https?://'" })
export class Organisation extends BaseEntity {
  @Property({ length: 200 })
  @Unique()
  name!: string;

  @Enum({ items: () => OrganisationKind })
  kind!: OrganisationKind;

  @Property({ type: 'text', nullable: true })
  description?: string;

  @Property({ length: 500, nullable: true })
  website?: string;

  @Property({ default: false })
  isCoordinator: boolean & Opt = false;

  /** A deactivated organisation keeps its history but its accounts cannot sign in. */
  @Property({ default: true })
  active: boolean & Opt = true;
}
