import { Entity, Enum, Index, ManyToOne, Opt, Property, Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import {
  AgeBand,
  Gender,
  GermanLevel,
  PathwayStage,
  ResidenceStatus,
  SchoolLevel,
} from '../../domain/enums.js';
import { Organisation } from '../organisation/organisation.entity.js';

/**
 * A pseudonymous Teilhabemanagement case: exactly what statistics need, nothing that names a person
 * (no name, birth date, address, file number or free text — by design there is no column for them).
 */
@Entity({ tableName: 'case_record' })
@Index({ properties: ['managingOrganisation'] })
export class Case extends BaseEntity {
  @ManyToOne(() => Organisation, { deleteRule: 'restrict' })
  managingOrganisation!: Rel<Organisation>;

  @Property({ type: 'date' })
  intakeDate!: string;

  @Enum({ items: () => AgeBand })
  ageBand!: AgeBand;

  @Enum({ items: () => Gender })
  gender!: Gender;

  /** ISO 3166-1 alpha-2 of the top countries of the period, else 'OTHER'. */
  @Property({ length: 5 })
  nationalityGroup!: string;

  @Enum({ items: () => ResidenceStatus })
  residenceStatus!: ResidenceStatus;

  @Enum({ items: () => SchoolLevel })
  schoolLevel!: SchoolLevel;

  @Enum({ items: () => GermanLevel })
  germanLevel!: GermanLevel;

  @Enum({ items: () => PathwayStage })
  stage!: PathwayStage;

  @Property({ type: 'date', nullable: true })
  closedOn?: string;

  /** A handover in progress: the receiving organisation's case managers accept it. */
  @ManyToOne(() => Organisation, { nullable: true, deleteRule: 'set null' })
  handoverTo?: Rel<Organisation>;

  @Property({ type: 'timestamptz', nullable: true })
  handoverRequestedAt?: Date;

  @Property({ version: true, type: 'integer' })
  version!: number & Opt;
}
