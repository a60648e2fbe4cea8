import { Entity, Index, ManyToOne, Opt, PrimaryKey, Property, type Rel } from '@mikro-orm/core';

/**
 * A release of a year's statistics: its anonymised rows frozen as of a day (`asOf`). The open year gets
 * a new release once per release period at most (and only when enough cases changed), a closed year a
 * final one; every table of a year is cut from one release, so figures change in batches, never with
 * a single case, and every instance answers from the same rows.
 */
@Entity({ tableName: 'statistics_release' })
export class StatisticsRelease {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'smallint' })
  year!: number;

  @Property({ type: 'date' })
  asOf!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  cutAt: Date & Opt = new Date();

  /** The year is closed: these figures never change again. */
  @Property({ type: 'boolean', default: false })
  final: boolean & Opt = false;

  @Property({ type: 'integer', default: 0 })
  rows: number & Opt = 0;
}

/**
 * The anonymised rows a release's statistics are computed from. Later edits of a case's recorded
 * attributes can then never change — or, compared over time, reveal — a release's figures. No case id,
 * no key to one: these rows only ever feed the GROUP BY of population.ts.
 */
@Entity({ tableName: 'statistics_snapshot_row' })
@Index({ properties: ['release', 'population', 'target'] })
@Index({ properties: ['release', 'population', 'unit'] })
export class StatisticsSnapshotRow {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => StatisticsRelease, { deleteRule: 'cascade' })
  release!: Rel<StatisticsRelease>;

  @Property({ type: 'smallint' })
  year!: number;

  /** CASES (one row per open case and snapshot day) or TRANSITIONS (one per stage change). */
  @Property({ length: 12 })
  population!: string;

  /** TRANSITIONS: the stage reached. */
  @Property({ length: 20, nullable: true })
  target?: string;

  /** CASES: the snapshot day ("2025-09-30"); TRANSITIONS: the month ("2025-07"). */
  @Property({ length: 10 })
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

/**
 * What a release hid, per population (CASES or the stage of a flow) and tier: the cells it was first
 * protected with, so every instance answers it alike, and the next release of the year starts from it.
 */
@Entity({ tableName: 'statistics_protection' })
export class StatisticsProtection {
  @ManyToOne(() => StatisticsRelease, { primary: true, deleteRule: 'cascade' })
  release!: Rel<StatisticsRelease>;

  @PrimaryKey({ length: 20 })
  population!: string;

  /** Per tier signature: the hidden cells' names, and whether nothing could be published. */
  @Property({ type: 'json' })
  tiers!: Record<string, { hidden: string[]; fallback: boolean }>;
}
