import { Check, Entity, Enum, Index, ManyToOne, Opt, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { Account } from '../account/account.entity.js';

export enum SavedSearchNotify {
  EMAIL_NOW = 'EMAIL_NOW',
  EMAIL_DIGEST = 'EMAIL_DIGEST',
  NONE = 'NONE',
}

export const DIGEST_MINUTES = { min: 15, max: 43_200, default: 1_440 } as const;

/**
 * An offers filter someone wants to be told about. An account's search is mailed to the account's own
 * e-mail (read when mailing, so a changed address counts at once); a search saved without an account
 * carries its e-mail and stays silent until the address confirmed it (double opt-in).
 */
@Entity()
@Index({ properties: ['account'] })
@Check({ name: 'saved_search_recipient_check', expression: '(account_id is null) <> (email is null)' })
@Check({
  name: 'saved_search_digest_interval_check',
  expression: `digest_interval_minutes between ${DIGEST_MINUTES.min} and ${DIGEST_MINUTES.max}`,
})
export class SavedSearch extends BaseEntity {
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'cascade' })
  account?: Rel<Account>;

  /** Only for searches saved without an account. */
  @Property({ length: 320, nullable: true })
  email?: string;

  @Property({ length: 120 })
  name!: string;

  /** The OfferFilter as given (validated like `offers(filter)`). */
  @Property({ type: 'jsonb' })
  filter!: Record<string, unknown>;

  @Enum({ items: () => SavedSearchNotify })
  notify!: SavedSearchNotify;

  @Property({ type: 'integer' })
  digestIntervalMinutes: number & Opt = DIGEST_MINUTES.default;

  @Property({ default: false })
  paused: boolean & Opt = false;

  /** Accounts: at creation. Without an account: when the confirm link was used; null: nothing is sent. */
  @Property({ type: 'timestamptz', nullable: true })
  confirmedAt?: Date;

  @Property({ type: 'timestamptz', nullable: true })
  lastMailedAt?: Date;
}
