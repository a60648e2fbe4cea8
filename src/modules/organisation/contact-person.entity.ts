import { Check, Entity, ManyToOne, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { Organisation } from './organisation.entity.js';

/** Staff contacts of a partner (restricted to partners by the policy); never data about young people. */
@Entity()
@Check({ name: 'contact_person_reachable_check', expression: 'email is not null or phone is not null' })
export class ContactPerson extends BaseEntity {
  @ManyToOne(() => Organisation, { deleteRule: 'cascade' })
  organisation!: Rel<Organisation>;

  @Property({ length: 200 })
  name!: string;

  @Property({ length: 200, nullable: true })
  function?: string;

  @Property({ length: 320, nullable: true })
  email?: string;

  @Property({ length: 50, nullable: true })
  phone?: string;
}
