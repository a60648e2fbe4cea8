import { Entity, Index, ManyToOne, Opt, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { Account } from '../account/account.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';

/**
 * Where an organisation's own systems want to be told of events (Standard Webhooks). The secret signs
 * every delivery; it is shown once, when the endpoint is created, and never read back through the API.
 */
@Entity()
@Index({ properties: ['organisation'] })
export class WebhookEndpoint extends BaseEntity {
  @ManyToOne(() => Organisation, { deleteRule: 'cascade' })
  organisation!: Rel<Organisation>;

  @Property({ length: 2048 })
  url!: string;

  /** WebhookEvent names (PLACES_CHANGED, …). */
  @Property({ type: 'text[]' })
  events!: string[];

  @Property({ type: 'text', hidden: true })
  secret!: string;

  @Property({ default: false })
  paused: boolean & Opt = false;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'set null' })
  createdBy?: Rel<Account>;
}
