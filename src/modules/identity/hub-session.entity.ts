import { Entity, Index, ManyToOne, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import type { Role } from '../../domain/enums.js';
import { Account } from '../account/account.entity.js';

/**
 * A person's sign-in through the city's provider, held by the hub (token handler): the browser has only
 * an HttpOnly cookie whose SHA-256 is `tokenHash`. The provider's tokens stay here, the refresh token
 * encrypted with a key derived from SESSION_SECRET.
 */
@Entity()
@Index({ properties: ['expiresAt'] })
export class HubSession extends BaseEntity {
  @Property({ length: 64, unique: true })
  tokenHash!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Rel<Account>;

  @Property({ length: 500 })
  issuer!: string;

  @Property({ length: 255 })
  subject!: string;

  /** The provider's session id (`sid` claim), for its logout notices. */
  @Property({ length: 255, nullable: true })
  providerSid?: string;

  /** Roles from OIDC_ROLES_CLAIM; null: all the account's roles. Either way only roles the account holds. */
  @Property({ type: 'text[]', nullable: true })
  roles?: Role[];

  /** For end_session_endpoint's id_token_hint. */
  @Property({ type: 'text', hidden: true })
  idToken!: string;

  @Property({ type: 'text', nullable: true, hidden: true })
  refreshTokenEncrypted?: string;

  /** When the provider's access token runs out: the session is renewed (refresh grant) then. */
  @Property({ type: 'timestamptz', nullable: true })
  accessExpiresAt?: Date;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  endedAt?: Date;

  @Property({ length: 40, nullable: true })
  endReason?: string;
}
