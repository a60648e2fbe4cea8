import { Check, Entity, ManyToOne, Opt, Property, Rel, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { Offer } from '../offer/offer.entity.js';

/**
 * Places of one run of an offer (a course run, an Ausbildung year, a counselling month).
 * `available = total − occupied − reserved` is derived, never stored; the database refuses overbooking.
 * `reserved` is the lock-protected counter of HELD reservations, changed in the same transaction.
 */
@Entity()
@Unique({ properties: ['offer', 'startsOn'] })
@Check({ name: 'capacity_period_dates_check', expression: 'ends_on >= starts_on' })
@Check({ name: 'capacity_period_counts_check', expression: 'total >= 0 and occupied >= 0 and reserved >= 0' })
@Check({ name: 'capacity_period_no_overbooking_check', expression: 'occupied + reserved <= total' })
export class CapacityPeriod extends BaseEntity {
  @ManyToOne(() => Offer, { deleteRule: 'cascade' })
  offer!: Rel<Offer>;

  @Property({ length: 200, nullable: true })
  label?: string;

  @Property({ type: 'date' })
  startsOn!: string;

  @Property({ type: 'date' })
  endsOn!: string;

  @Property()
  total!: number;

  @Property({ default: 0 })
  occupied: number & Opt = 0;

  @Property({ default: 0 })
  reserved: number & Opt = 0;

  /** Optimistic-lock version so concurrent edits of `total` cannot silently overwrite each other. */
  @Property({ version: true, type: 'integer' })
  version!: number & Opt;
}
