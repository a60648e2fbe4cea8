import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { ArgsType, Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  AgeBand,
  Gender,
  GermanLevel,
  OrganisationKind,
  PathwayStage,
  ResidenceStatus,
  SchoolLevel,
} from '../../domain/enums.js';
import {
  CellStatus,
  PeriodGranularity,
  StatisticsAudience,
  StatisticsDimension,
  StatisticsMeasure,
} from '../../domain/statistics.js';

registerEnumType(StatisticsMeasure, {
  name: 'StatisticsMeasure',
  description: 'What a statistics cell counts.',
  valuesConfig: {
    CASES: {
      description: 'Cases open on the last day of the period (a snapshot; stage and status as on that day).',
    },
    TRANSITIONS: { description: 'Stage changes into `stage` within the period.' },
    MEDIAN_DAYS_TO_STAGE: {
      description:
        'Median days from intake to reaching `stage`, over the transitions of the period (rounded to whole weeks).',
    },
  },
});
registerEnumType(StatisticsDimension, {
  name: 'StatisticsDimension',
  description:
    'What a table breaks figures down by. For TRANSITIONS and MEDIAN_DAYS_TO_STAGE, STAGE is the stage they came from.',
});
registerEnumType(PeriodGranularity, { name: 'PeriodGranularity' });
registerEnumType(StatisticsAudience, {
  name: 'StatisticsAudience',
  description: 'Whose disclosure rules a table follows: PUBLIC (no token), PARTNER, COORDINATOR.',
});
registerEnumType(CellStatus, {
  name: 'CellStatus',
  description: 'Why a cell shows what it shows.',
  valuesConfig: {
    PUBLISHED: { description: 'The exact figure.' },
    SUPPRESSED: {
      description:
        'Hidden (value null): a small number, or hidden to protect one. Which of the two is never said — the reason would tell bounds on the count.',
    },
    ROUNDED: { description: 'Rounded to roundingBase (medians: to whole weeks).' },
  },
});

@InputType('StatisticsFilter', {
  description: 'One category per dimension; every filter counts as a dimension of the table.',
})
export class StatisticsFilterInput {
  @Field(() => PathwayStage, { nullable: true })
  stage?: PathwayStage;

  @Field(() => ResidenceStatus, { nullable: true })
  residenceStatus?: ResidenceStatus;

  @Field(() => AgeBand, { nullable: true })
  ageBand?: AgeBand;

  @Field(() => Gender, { nullable: true })
  gender?: Gender;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, or OTHER.' })
  @IsOptional()
  @Matches(/^([A-Z]{2}|OTHER)$/, { message: 'must be an ISO 3166-1 alpha-2 code or OTHER' })
  nationalityGroup?: string;

  @Field(() => SchoolLevel, { nullable: true })
  schoolLevel?: SchoolLevel;

  @Field(() => GermanLevel, { nullable: true })
  germanLevel?: GermanLevel;

  @Field(() => OrganisationKind, { nullable: true })
  organisationKind?: OrganisationKind;
}

@InputType('StatisticsPeriod', {
  description:
    'A calendar year, or one quarter or month of it. With the PERIOD dimension: a whole year, broken down by `granularity`.',
})
export class StatisticsPeriodInput {
  @Field(() => Int)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  quarter?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  month?: number;

  @Field(() => PeriodGranularity, {
    nullable: true,
    description: 'For the PERIOD dimension: QUARTER or MONTH (default: the finest your audience may see).',
  })
  @IsOptional()
  @IsIn(Object.values(PeriodGranularity))
  granularity?: PeriodGranularity;
}

@ArgsType()
export class CaseStatisticsArgs {
  @Field(() => StatisticsMeasure)
  measure!: StatisticsMeasure;

  @Field(() => PathwayStage, {
    nullable: true,
    description: 'The stage reached, for TRANSITIONS and MEDIAN_DAYS_TO_STAGE.',
  })
  stage?: PathwayStage;

  @Field(() => [StatisticsDimension], { defaultValue: [] })
  dimensions!: StatisticsDimension[];

  @Field(() => StatisticsFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: StatisticsFilterInput;

  @Field(() => StatisticsPeriodInput)
  @ValidateNested()
  period!: StatisticsPeriodInput;
}

@ObjectType('StatisticsCell')
export class StatisticsCellType {
  @Field(() => [String], {
    description: 'The dimension values in the order asked; "*" is the margin over that dimension.',
  })
  key!: string[];

  @Field(() => Float, { nullable: true, description: 'null when suppressed.' })
  value!: number | null;

  @Field(() => CellStatus)
  status!: CellStatus;
}

@ObjectType('StatisticsCategories', { description: 'The categories of one asked dimension, in order.' })
export class StatisticsCategoriesType {
  @Field(() => StatisticsDimension)
  dimension!: StatisticsDimension;

  @Field(() => [String])
  values!: string[];
}

@ObjectType('StatisticsTable', {
  description:
    'A table of anonymised case figures with its margins ("*") and the disclosure control applied to it.',
})
export class StatisticsTableType {
  @Field(() => StatisticsMeasure)
  measure!: StatisticsMeasure;

  @Field(() => PathwayStage, { nullable: true })
  stage!: PathwayStage | null;

  @Field(() => [StatisticsDimension])
  dimensions!: StatisticsDimension[];

  @Field(() => [StatisticsCategoriesType])
  categories!: StatisticsCategoriesType[];

  @Field(() => String, { description: 'The period shown, e.g. "2026", "2026-Q3" or "2026-07".' })
  period!: string;

  @Field(() => PeriodGranularity, { nullable: true, description: 'With the PERIOD dimension.' })
  granularity!: PeriodGranularity | null;

  @Field(() => Boolean, {
    description:
      'The period is closed (its end lies further back than events may be back-dated): its figures no longer change.',
  })
  closed!: boolean;

  @Field(() => StatisticsAudience)
  audience!: StatisticsAudience;

  @Field(() => Int, { description: 'k: cells with 0 < n < k are suppressed.' })
  minimumCellSize!: number;

  @Field(() => Int, { nullable: true })
  roundingBase!: number | null;

  @Field(() => [StatisticsCellType])
  cells!: StatisticsCellType[];

  @Field(() => StatisticsCellType, { description: 'The grand total (every key "*").' })
  total!: StatisticsCellType;

  @Field(() => Int, { description: 'Cells of this table that are SUPPRESSED.' })
  suppressedCells!: number;

  @Field(() => LocalDateResolver, {
    description:
      'The day the figures stand on: the open year is released once per release period (the figures then stand on its last day), a closed year once for good.',
  })
  asOf!: string;

  @Field(() => DateTimeResolver, { description: 'When the release these figures come from was made.' })
  computedAt!: Date;
}
