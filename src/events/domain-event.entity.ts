import { Entity, Index, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The outbox of domain events ("places changed", …), written in the same transaction as the change it
 * reports: an event exists exactly when its change committed. An insert trigger NOTIFYs `hub_events`
 * with the id (delivered on commit only); subscribers catch up by id after a reconnect.
 */
@Entity()
@Index({ properties: ['occurredAt'] })
@Index({
  name: 'domain_event_fan_out_pending_index',
  expression:
    'create index "domain_event_fan_out_pending_index" on "domain_event" ("id") where not "fanned_out"',
})
export class DomainEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  occurredAt: Date & Opt = new Date();

  @Property({ length: 100 })
  type!: string;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** Handed on to the durable recipients (EventFanOut); pending rows are found by a partial index. */
  @Property({ default: false })
  fannedOut: boolean & Opt = false;
}
