import { Entity, Index, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The anonymised rows a closed year's statistics are computed from, frozen at the first request
 * after the year closed: later edits of a case's recorded attributes (German level, school level, …)
 * can then never change — or, compared over time, reveal — a closed year's figures. No case id, no
 * key to one: these rows only ever feed the GROUP BY of population.ts.
 */
@Entity({ tableName: 'statistics_snapshot_row' })
@Index({ properties: ['year', 'population', 'target'] })
// A CASES cube of one period unit reads that unit's rows only.
@Index({ properties: ['year', 'population', 'unit'] })
export class StatisticsSnapshotRow {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'smallint' })
  year!: number;

  /** CASES (one row per open case and period unit) or TRANSITIONS (one per stage change). */
  @Property({ length: 12 })
  population!: string;

  /** TRANSITIONS: the stage reached. */
  @Property({ length: 20, nullable: true })
  target?: string;

  /** CASES: the period unit ("2025", "2025-Q3", "2025-07"); TRANSITIONS: the month. */
  @Property({ length: 8 })
  unit!: string;

  @Property({ length: 20 })
  stage!: string;

  @Property({ length: 40 })
  residenceStatus!: string;

  @Property({ length: 20 })
  ageBand!: string;

  @Property({ length: 10 })
  gender!: string;

  @Property({ length: 5 })
  nationalityGroup!: string;

  @Property({ length: 20 })
  schoolLevel!: string;

  @Property({ length: 5 })
  germanLevel!: string;

  @Property({ length: 30 })
  organisationKind!: string;

  /** TRANSITIONS: days from intake to the stage change. */
  @Property({ type: 'integer', nullable: true })
  days?: number;
}

@Entity({ tableName: 'statistics_frozen_year' })
export class StatisticsFrozenYear {
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  year!: number;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  frozenAt: Date & Opt = new Date();

  @Property({ type: 'integer' })
  rows!: number;
}
