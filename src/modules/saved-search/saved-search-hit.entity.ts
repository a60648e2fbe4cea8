import { Entity, Index, ManyToOne, Opt, PrimaryKey, Property, Rel, Unique } from '@mikro-orm/core';
import { SavedSearch } from './saved-search.entity.js';

/**
 * One event (a period's free places rose) that matched one saved search, waiting to be mailed. Unique per
 * search and event: a redelivered event records nothing twice. `mailKey` fixes which hits one mail holds
 * once it was first tried, so a resend after a crash is the same message (Message-ID derived from it).
 */
@Entity()
@Unique({ properties: ['savedSearch', 'eventId'] })
@Index({
  name: 'saved_search_hit_pending_index',
  expression:
    'create index "saved_search_hit_pending_index" on "saved_search_hit" ("saved_search_id", "next_attempt_at") where "mailed_at" is null',
})
export class SavedSearchHit {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => SavedSearch, { deleteRule: 'cascade' })
  savedSearch!: Rel<SavedSearch>;

  /** The outbox event (domain_event.id); no foreign key: the outbox is pruned. */
  @Property({ type: 'bigint' })
  eventId!: string;

  @Property({ type: 'uuid' })
  offerId!: string;

  @Property({ type: 'uuid' })
  capacityPeriodId!: string;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ length: 64, nullable: true })
  mailKey?: string;

  @Property({ type: 'integer', default: 0 })
  attempts: number & Opt = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  nextAttemptAt: Date & Opt = new Date();

  /** A worker holds the hit until then (sending); after it, another may take it over. */
  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil?: Date;

  @Property({ type: 'timestamptz', nullable: true })
  mailedAt?: Date;
}
