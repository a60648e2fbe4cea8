import { Check, Entity, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';

/** Programmes come and go ("Durchstarten in Ausbildung und Arbeit" ended 2022–23): modelled with validity. */
@Entity()
@Check({ name: 'funding_programme_validity_check', expression: 'valid_to is null or valid_to >= valid_from' })
export class FundingProgramme extends BaseEntity {
  @Property({ length: 50 })
  @Unique()
  code!: string;

  @Property({ length: 300 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string;

  @Property({ length: 300, nullable: true })
  funder?: string;

  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date', nullable: true })
  validTo?: string;
}
