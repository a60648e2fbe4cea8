import { Entity, ManyToOne, PrimaryKeyProp, Property, type Rel } from '@mikro-orm/core';
import { Case } from '../case/case.entity.js';

/**
 * A case's stage and residence status as its dated events set them, one row per day range
 * [validFrom, validTo): the "as of a date" lookups of population.ts become one range join instead of
 * two correlated subqueries per case and period unit. Written only by triggers on case_event
 * (migration Migration20261125193220), in the transaction that writes the events, whoever writes
 * them; null stage or status: no event has set it yet by then (the case's own value applies).
 */
@Entity({ tableName: 'case_state_span' })
export class CaseStateSpan {
  [PrimaryKeyProp]?: ['case', 'validFrom'];

  @ManyToOne(() => Case, { primary: true, deleteRule: 'cascade' })
  case!: Rel<Case>;

  @Property({ type: 'date', primary: true })
  validFrom!: string;

  /** The next event's day; null while no later event exists. */
  @Property({ type: 'date', nullable: true })
  validTo?: string;

  @Property({ type: 'text', nullable: true })
  stage?: string;

  @Property({ type: 'text', nullable: true })
  residenceStatus?: string;
}
