import { Check, Entity, Enum, Index, ManyToOne, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { CaseEventKind, PathwayStage, ResidenceStatus } from '../../domain/enums.js';
import { Offer } from '../offer/offer.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Case } from './case.entity.js';

/** The dated history of a case; statistics (transitions, waiting times) count these. */
@Entity()
@Index({ properties: ['case', 'occurredOn'] })
@Check({
  name: 'case_event_stage_change_check',
  expression: "kind <> 'STAGE_CHANGE' or to_stage is not null",
})
@Check({
  name: 'case_event_status_change_check',
  expression: "kind <> 'STATUS_CHANGE' or to_status is not null",
})
@Check({ name: 'case_event_referral_check', expression: "kind <> 'REFERRAL' or offer_id is not null" })
@Check({ name: 'case_event_handover_check', expression: "kind <> 'HANDOVER' or organisation_id is not null" })
export class CaseEvent extends BaseEntity {
  @ManyToOne(() => Case, { deleteRule: 'cascade' })
  case!: Rel<Case>;

  @Enum({ items: () => CaseEventKind })
  kind!: CaseEventKind;

  @Property({ type: 'date' })
  occurredOn!: string;

  /** Insertion order: several events of one day (a stage change and the closing) keep their sequence. */
  @Property({ type: 'bigint', columnType: 'bigserial', hidden: true, nullable: true })
  seq?: string;

  @Enum({ items: () => PathwayStage, nullable: true })
  fromStage?: PathwayStage;

  @Enum({ items: () => PathwayStage, nullable: true })
  toStage?: PathwayStage;

  @Enum({ items: () => ResidenceStatus, nullable: true })
  fromStatus?: ResidenceStatus;

  @Enum({ items: () => ResidenceStatus, nullable: true })
  toStatus?: ResidenceStatus;

  /** The offer a REFERRAL points to. */
  @ManyToOne(() => Offer, { nullable: true, deleteRule: 'set null' })
  offer?: Rel<Offer>;

  /** The receiving organisation of a HANDOVER. */
  @ManyToOne(() => Organisation, { nullable: true, deleteRule: 'restrict' })
  organisation?: Rel<Organisation>;
}
