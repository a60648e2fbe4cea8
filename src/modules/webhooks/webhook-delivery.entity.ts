import { Entity, Enum, Index, ManyToOne, Opt, Property, Rel, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

/**
 * One event for one endpoint: written with the event's fan-out (unique per event and endpoint, so an
 * event is never queued twice), then leased by one sender at a time (`locked_until`). The body is
 * resolved at the first attempt and kept, so every retry sends the same bytes under the same webhook-id.
 * The event's payload is copied: the outbox prunes events by age, deliveries keep their own history.
 */
@Entity()
@Unique({ name: 'webhook_delivery_event_endpoint_unique', properties: ['eventId', 'endpoint'] })
@Index({ properties: ['endpoint', 'createdAt'] })
// Pruning of old history (WebhookSender, DELIVERY_HISTORY_DAYS).
@Index({ properties: ['createdAt'] })
@Index({
  name: 'webhook_delivery_due_index',
  expression:
    'create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = \'PENDING\'',
})
export class WebhookDelivery extends BaseEntity {
  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade' })
  endpoint!: Rel<WebhookEndpoint>;

  /** The endpoint's organisation (the policy's owner of the row). */
  @ManyToOne(() => Organisation, { deleteRule: 'cascade' })
  organisation!: Rel<Organisation>;

  /** domain_event.id; no foreign key: the outbox is pruned long before delivery history is. */
  @Property({ type: 'bigint' })
  eventId!: string;

  @Property({ length: 100 })
  eventType!: string;

  @Property({ type: 'jsonb' })
  eventPayload!: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  eventAt!: Date;

  @Enum({ items: () => WebhookDeliveryStatus, default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus & Opt = WebhookDeliveryStatus.PENDING;

  @Property({ default: 0 })
  attempts: number & Opt = 0;

  @Property({ nullable: true })
  lastStatusCode?: number;

  @Property({ length: 300, nullable: true })
  lastError?: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  nextAttemptAt: Date & Opt = new Date();

  /** A sender holds the row until then; a crashed sender's lease runs out and another sends again. */
  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil?: Date;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date;

  /** The exact bytes sent (null until the first attempt resolved them). */
  @Property({ type: 'text', nullable: true, lazy: true })
  body?: string;
}
