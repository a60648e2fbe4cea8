import { Check, Entity, Index, ManyToOne, Opt, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { Role, sqlTextArray } from '../../domain/enums.js';
import { Organisation } from '../organisation/organisation.entity.js';

/** A person who signs in on behalf of a partner organisation. */
@Entity()
@Index({
  name: 'account_email_unique',
  expression: 'create unique index "account_email_unique" on "account" (lower("email"))',
})
@Check({
  name: 'account_roles_check',
  expression: `cardinality(roles) > 0 and roles <@ ${sqlTextArray(Object.values(Role))}`,
})
export class Account extends BaseEntity {
  @ManyToOne(() => Organisation, { deleteRule: 'cascade' })
  organisation!: Rel<Organisation>;

  @Property({ length: 320 })
  email!: string;

  @Property({ length: 200 })
  displayName!: string;

  @Property({ type: 'text[]' })
  roles!: Role[];

  /** argon2id hash; null = cannot sign in with a password (e.g. signs in through the city's OIDC). */
  @Property({ type: 'text', nullable: true, hidden: true })
  passwordHash?: string;

  @Property({ default: true })
  active: boolean & Opt = true;
}
