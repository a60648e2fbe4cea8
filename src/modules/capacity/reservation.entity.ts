import { Check, Entity, Enum, Index, ManyToOne, Opt, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { ReservationStatus } from '../../domain/enums.js';
import { Account } from '../account/account.entity.js';
import { Case } from '../case/case.entity.js';
import { CapacityPeriod } from './capacity-period.entity.js';

/** A place held (HELD) or taken (CONFIRMED) for a case. */
@Entity()
@Index({
  name: 'reservation_one_active_per_case',
  expression:
    'create unique index "reservation_one_active_per_case" on "reservation" ("capacity_period_id", "case_id") where status in (\'HELD\', \'CONFIRMED\')',
})
@Index({
  name: 'reservation_expiry',
  expression: 'create index "reservation_expiry" on "reservation" ("hold_until") where status = \'HELD\'',
})
@Index({ properties: ['case'] })
@Check({ name: 'reservation_hold_check', expression: "status <> 'HELD' or hold_until is not null" })
export class Reservation extends BaseEntity {
  @ManyToOne(() => CapacityPeriod, { deleteRule: 'cascade' })
  capacityPeriod!: Rel<CapacityPeriod>;

  @ManyToOne(() => Case, { deleteRule: 'cascade' })
  case!: Rel<Case>;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'set null' })
  reservedBy?: Rel<Account>;

  @Enum({ items: () => ReservationStatus, default: ReservationStatus.HELD })
  status: ReservationStatus & Opt = ReservationStatus.HELD;

  @Property({ type: 'timestamptz', nullable: true })
  holdUntil?: Date;

  /** True when the hold was created automatically for the first case on the waiting list. */
  @Property({ default: false })
  fromWaitingList: boolean & Opt = false;
}
