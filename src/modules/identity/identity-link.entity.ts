import { Entity, ManyToOne, Property, Rel, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { Account } from '../account/account.entity.js';

/**
 * An identity of the city's provider (issuer + subject, never the e-mail address: that can change hands)
 * linked to one hub account. The account, its organisation and its roles decide what the person may do;
 * an account has at most one identity per issuer.
 */
@Entity()
@Unique({ name: 'identity_link_issuer_subject_unique', properties: ['issuer', 'subject'] })
@Unique({ name: 'identity_link_issuer_account_unique', properties: ['issuer', 'account'] })
export class IdentityLink extends BaseEntity {
  @Property({ length: 500 })
  issuer!: string;

  @Property({ length: 255 })
  subject!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Rel<Account>;

  /** How it was linked: a verified e-mail claim on first sign-in, or an admin's invitation. */
  @Property({ length: 20 })
  linkedBy!: 'email' | 'invitation';

  @Property({ type: 'timestamptz', nullable: true })
  lastSignInAt?: Date;
}
