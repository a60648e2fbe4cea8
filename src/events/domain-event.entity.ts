import { Entity, Index, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The outbox of domain events ("places changed", …), written in the same transaction as the change it
 * reports: an event exists exactly when its change committed. An insert trigger NOTIFYs `hub_events`
 * with the id (delivered on commit only); subscribers catch up by id after a reconnect.
 */
@Entity()
@Index({ properties: ['occurredAt'] })
export class DomainEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  occurredAt: Date & Opt = new Date();

  @Property({ length: 100 })
  type!: string;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;
}
