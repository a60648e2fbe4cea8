import { Entity, ManyToOne, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { Account } from '../account/account.entity.js';

/**
 * A one-time link an admin hands to a person: whoever signs in at the provider through it is linked to
 * `account`. Only a hash of the link's secret is stored.
 */
@Entity()
export class SignInInvitation extends BaseEntity {
  @Property({ length: 64, unique: true })
  tokenHash!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Rel<Account>;

  @ManyToOne(() => Account, { deleteRule: 'set null', nullable: true })
  createdBy?: Rel<Account>;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date;
}
