import { Entity, Enum, Index, ManyToOne, Opt, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { WaitingListStatus } from '../../domain/enums.js';
import { Case } from '../case/case.entity.js';
import { CapacityPeriod } from './capacity-period.entity.js';

/**
 * One person waiting for a place. `case` is null for people the provider waitlists itself who are
 * not in the Teilhabemanagement; the waiting-list count is always the number of WAITING rows.
 */
@Entity()
@Index({
  name: 'waiting_list_entry_one_per_case',
  expression:
    'create unique index "waiting_list_entry_one_per_case" on "waiting_list_entry" ("capacity_period_id", "case_id") where status = \'WAITING\' and case_id is not null',
})
@Index({ properties: ['capacityPeriod', 'status', 'createdAt'] })
export class WaitingListEntry extends BaseEntity {
  @ManyToOne(() => CapacityPeriod, { deleteRule: 'cascade' })
  capacityPeriod!: Rel<CapacityPeriod>;

  @ManyToOne(() => Case, { nullable: true, deleteRule: 'cascade' })
  case?: Rel<Case>;

  @Enum({ items: () => WaitingListStatus, default: WaitingListStatus.WAITING })
  status: WaitingListStatus & Opt = WaitingListStatus.WAITING;
}
