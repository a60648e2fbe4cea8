/** The statistics vocabulary (GraphQL enums of the same names; the policy's statistics tiers use them). */

export enum StatisticsMeasure {
  /** Cases open on the period's last day (a snapshot), with stage and residence status as on that day. */
  CASES = 'CASES',
  /** Stage changes into the asked stage within the period (a sum over sub-periods). */
  TRANSITIONS = 'TRANSITIONS',
  /** Median days from intake to reaching the asked stage, over the transitions of the period. */
  MEDIAN_DAYS_TO_STAGE = 'MEDIAN_DAYS_TO_STAGE',
}

/** Declared in canonical order: cubes are built over the asked and filtered dimensions in this order. */
export enum StatisticsDimension {
  STAGE = 'STAGE',
  RESIDENCE_STATUS = 'RESIDENCE_STATUS',
  AGE_BAND = 'AGE_BAND',
  GENDER = 'GENDER',
  NATIONALITY_GROUP = 'NATIONALITY_GROUP',
  SCHOOL_LEVEL = 'SCHOOL_LEVEL',
  GERMAN_LEVEL = 'GERMAN_LEVEL',
  ORGANISATION_KIND = 'ORGANISATION_KIND',
  PERIOD = 'PERIOD',
}

/** Coarsest first. */
export enum PeriodGranularity {
  YEAR = 'YEAR',
  QUARTER = 'QUARTER',
  MONTH = 'MONTH',
}

export const GRANULARITY_LEVEL: Record<PeriodGranularity, number> = { YEAR: 0, QUARTER: 1, MONTH: 2 };

export enum StatisticsAudience {
  PUBLIC = 'PUBLIC',
  PARTNER = 'PARTNER',
  COORDINATOR = 'COORDINATOR',
}

/** One status for every hidden cell: why a cell is hidden would tell bounds on its count. */
export enum CellStatus {
  PUBLISHED = 'PUBLISHED',
  SUPPRESSED = 'SUPPRESSED',
  ROUNDED = 'ROUNDED',
}
