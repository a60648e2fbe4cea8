import type { EntityManager } from '@mikro-orm/postgresql';
import { LRUCache } from 'lru-cache';
import { STATISTICS_TIERS, type StatisticsTier } from '../../auth/policy.js';
import { hasRole, Role, type Viewer } from '../../auth/viewer.js';
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
  GRANULARITY_LEVEL,
  PeriodGranularity,
  StatisticsAudience,
  StatisticsDimension,
  StatisticsMeasure,
} from '../../domain/statistics.js';
import { fieldError, forbidden } from '../../errors.js';
import { STATISTICS_CHANGED } from '../../events/emit.js';
import type { HubEvent } from '../../events/event-bus.js';
import { type CellStatus as CubeStatus, cellKey, MARGIN, type Protection, protect } from './cube.js';
import { CubeFamilies } from './cube-families.js';
import { type CubeCounts, freezeYear, type PeriodUnit } from './population.js';
import type { CaseStatisticsArgs, StatisticsCellType, StatisticsTableType } from './statistics.types.js';

type AttributeDimension = Exclude<StatisticsDimension, StatisticsDimension.PERIOD>;

const ORDER = Object.values(StatisticsDimension);

/** A nationality group needs this many cases to be a category of its own (public k for its crossings). */
export const MIN_NATIONALITY_GROUP = 10;

/** Cubes of up to this many attribute dimensions are computed a family at a time (cube-families.ts). */
export const FAMILY_SIZE = 2;

/** Medians of waiting days are rounded to whole weeks. */
export const MEDIAN_ROUNDING_DAYS = 7;

/** Filter field → its dimension. */
const FILTERS: Record<string, AttributeDimension> = {
  stage: StatisticsDimension.STAGE,
  residenceStatus: StatisticsDimension.RESIDENCE_STATUS,
  ageBand: StatisticsDimension.AGE_BAND,
  gender: StatisticsDimension.GENDER,
  nationalityGroup: StatisticsDimension.NATIONALITY_GROUP,
  schoolLevel: StatisticsDimension.SCHOOL_LEVEL,
  germanLevel: StatisticsDimension.GERMAN_LEVEL,
  organisationKind: StatisticsDimension.ORGANISATION_KIND,
};

const ENUM_DOMAINS: Record<Exclude<AttributeDimension, 'NATIONALITY_GROUP'>, string[]> = {
  STAGE: Object.values(PathwayStage),
  RESIDENCE_STATUS: Object.values(ResidenceStatus),
  AGE_BAND: Object.values(AgeBand),
  GENDER: Object.values(Gender),
  SCHOOL_LEVEL: Object.values(SchoolLevel),
  GERMAN_LEVEL: Object.values(GermanLevel),
  ORGANISATION_KIND: Object.values(OrganisationKind),
};

const domainOf = (d: AttributeDimension, nationalities: string[]) =>
  d === StatisticsDimension.NATIONALITY_GROUP ? nationalities : ENUM_DOMAINS[d];

export function audienceOf(viewer: Viewer): StatisticsAudience {
  if (viewer.kind === 'public') return StatisticsAudience.PUBLIC;
  return hasRole(viewer, Role.COORDINATOR) ? StatisticsAudience.COORDINATOR : StatisticsAudience.PARTNER;
}

/** k of the cells that fix these dimensions (sensitive crossings need more). */
function minimumCellSize(tier: StatisticsTier, fixed: readonly StatisticsDimension[]): number {
  return Math.max(
    tier.minimumCellSize,
    ...tier.sensitiveCrossings
      .filter((s) => s.dimensions.every((d) => fixed.includes(d)))
      .map((s) => s.minimumCellSize),
  );
}

/** The units of a year: the year, its quarters, its months. */
function yearUnits(year: number): PeriodUnit[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
  const units: PeriodUnit[] = [{ id: `${year}`, level: 0, start: `${year}-01-01`, end: `${year}-12-31` }];
  for (let q = 1; q <= 4; q++)
    units.push({
      id: `${year}-Q${q}`,
      level: 1,
      parent: `${year}`,
      start: `${year}-${pad(q * 3 - 2)}-01`,
      end: `${year}-${pad(q * 3)}-${lastDay(q * 3)}`,
    });
  for (let m = 1; m <= 12; m++)
    units.push({
      id: `${year}-${pad(m)}`,
      level: 2,
      parent: `${year}-Q${Math.ceil(m / 3)}`,
      start: `${year}-${pad(m)}-01`,
      end: `${year}-${pad(m)}-${lastDay(m)}`,
    });
  return units;
}

interface Plan {
  audience: StatisticsAudience;
  tier: StatisticsTier;
  measure: StatisticsMeasure;
  stage: PathwayStage | null;
  asked: StatisticsDimension[];
  /** The cube's attribute dimensions: asked and filtered, in canonical order. */
  cubeDimensions: AttributeDimension[];
  filters: Map<AttributeDimension, string>;
  year: number;
  /** The unit shown without the PERIOD dimension; with it, the year. */
  unit: PeriodUnit;
  /** With PERIOD: the granularity of its categories. */
  granularity: PeriodGranularity | null;
  /** Finest time level the cube needs. */
  level: number;
}

interface ProtectedCube extends CubeCounts {
  protection: Protection;
  domains: string[][];
  units: PeriodUnit[];
}

/**
 * caseStatistics: validates a request against the viewer's statistics tier (policy.ts), builds the
 * cube in PostgreSQL, protects it (cube.ts) and cuts the asked table out of it. Protected cubes are
 * cached per instance; cubes of open years are dropped when cases change, and meeting screens learn of
 * it through a throttled `statisticsUpdated` signal (at most one per `updateIntervalMs`).
 */
export class StatisticsService {
  private readonly cache = new LRUCache<string, Promise<ProtectedCube>>({ max: 500 });
  private readonly listeners = new Set<(event: HubEvent) => void>();
  /** Nationality groups per frozen year ('frozen|2025') and for the live data ('live'). */
  private readonly groups = new Map<string, Promise<string[]>>();
  /** Closed years whose rows this instance knows to be frozen. */
  private readonly frozen = new Set<number>();
  private generation = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly unsubscribe: () => void;
  /** Raw counts of the small cubes, computed a family per statement. */
  readonly families: CubeFamilies;

  constructor(
    bus: { subscribe(listener: (event: HubEvent) => void): () => void },
    private readonly options: { updateIntervalMs: number; backdateMaxDays: number; now?: () => Date },
  ) {
    this.families = new CubeFamilies({
      size: FAMILY_SIZE,
      nationalityGroups: (em, year) => this.nationalityGroups(em, year),
      allDimensions: (nationalities) => {
        const dimensions = ORDER.filter((d): d is AttributeDimension => d !== StatisticsDimension.PERIOD);
        return { dimensions, domains: dimensions.map((d) => domainOf(d, nationalities)) };
      },
    });
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === STATISTICS_CHANGED) this.casesChanged(event);
    });
  }

  /** Throttled "statistics changed" signals, in the shape of bus events (for eventStream). */
  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.families.stop();
    this.unsubscribe();
    this.listeners.clear();
  }

  private casesChanged(event: HubEvent) {
    this.generation++;
    for (const key of [...this.cache.keys()]) if (key.startsWith('live|')) this.cache.delete(key);
    this.groups.delete('live');
    this.families.invalidateLive();
    if (this.timer) return;
    // One signal per interval, however many cases change: meeting screens refresh calmly, and the
    // signal's timing says little about single cases.
    this.timer = setTimeout(async () => {
      // The figures screens will ask for are recomputed first (waiting one interval at most), so the
      // requests the signal sets off find them warm.
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([
        this.families.rewarm(),
        new Promise((resolve) => {
          waited = setTimeout(resolve, this.options.updateIntervalMs);
          waited.unref();
        }),
      ]);
      clearTimeout(waited);
      this.timer = undefined;
      if (this.stopped) return;
      const signal: HubEvent = { ...event, occurredAt: this.now(), payload: { statistics: ['cases'] } };
      for (const listener of this.listeners) listener(signal);
    }, this.options.updateIntervalMs);
    this.timer.unref();
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** A year is closed when no event can be dated into it any more: its figures are final. */
  isClosed(year: number): boolean {
    const finalFrom = Date.UTC(year + 1, 0, 1) + this.options.backdateMaxDays * 86_400_000;
    return this.now().getTime() >= finalFrom;
  }

  async table(em: EntityManager, viewer: Viewer, args: CaseStatisticsArgs): Promise<StatisticsTableType> {
    const nationalities = await this.nationalityGroups(em, args.period.year);
    const plan = this.plan(viewer, args, nationalities);
    const cube = await this.cube(em, plan, nationalities);
    return this.cut(plan, cube);
  }

  /**
   * The nationality groups a table shows: those with at least MIN_NATIONALITY_GROUP cases — in the
   * year's frozen rows for a closed year (so its tables never change), among all cases otherwise. Rarer
   * groups count as OTHER: a category of its own would tell that someone of that nationality exists.
   */
  private nationalityGroups(em: EntityManager, year: number): Promise<string[]> {
    // Cached like the cubes: a closed year's list never changes, the live one is dropped on case changes.
    const key = this.isClosed(year) ? `frozen|${year}` : 'live';
    let groups = this.groups.get(key);
    if (!groups) {
      groups = this.loadNationalityGroups(em, year);
      this.groups.set(key, groups);
      groups.catch(() => this.groups.delete(key));
    }
    return groups;
  }

  private async loadNationalityGroups(em: EntityManager, year: number): Promise<string[]> {
    const connection = em.getConnection();
    let rows: { g: string }[];
    if (this.isClosed(year)) {
      await this.freeze(em, year);
      rows = await connection.execute(
        `select nationality_group as g from statistics_snapshot_row where year = ? and population = 'CASES' and unit = ?
         group by 1 having count(*) >= ? order by 1`,
        [year, String(year), MIN_NATIONALITY_GROUP],
      );
    } else {
      rows = await connection.execute(
        'select nationality_group as g from case_record group by 1 having count(*) >= ? order by 1',
        [MIN_NATIONALITY_GROUP],
      );
    }
    // Values go into SQL as literals (population.ts): only well-formed codes are taken.
    const groups = rows.map((r) => r.g).filter((g) => /^[A-Z]{2}$/.test(g));
    return [...groups, 'OTHER'];
  }

  private async freeze(em: EntityManager, year: number) {
    if (this.frozen.has(year)) return;
    await freezeYear(em.fork(), year, yearUnits(year));
    this.frozen.add(year);
  }

  private plan(viewer: Viewer, args: CaseStatisticsArgs, nationalities: string[]): Plan {
    const audience = audienceOf(viewer);
    const tier = STATISTICS_TIERS[audience];
    const deny = (what: string) => forbidden(`${what} is not available to the ${audience} audience.`);

    if (!tier.measures.includes(args.measure)) throw deny(`The measure ${args.measure}`);
    const needsStage = args.measure !== StatisticsMeasure.CASES;
    if (needsStage && !args.stage) throw fieldError('stage', `is required for ${args.measure}`);
    if (!needsStage && args.stage)
      throw fieldError('stage', 'applies to TRANSITIONS and MEDIAN_DAYS_TO_STAGE only');

    const asked = args.dimensions ?? [];
    if (new Set(asked).size !== asked.length) throw fieldError('dimensions', 'lists a dimension twice');
    for (const d of asked) if (!tier.dimensions.includes(d)) throw deny(`The dimension ${d}`);

    const filters = new Map<AttributeDimension, string>();
    for (const [field, value] of Object.entries(args.filter ?? {})) {
      if (value === undefined || value === null) continue;
      const dimension = FILTERS[field];
      if (!tier.dimensions.includes(dimension)) throw deny(`Filtering by ${dimension}`);
      if (asked.includes(dimension))
        throw fieldError(`filter.${field}`, 'filters a dimension that is also asked for');
      if (dimension === StatisticsDimension.NATIONALITY_GROUP && !nationalities.includes(value))
        throw fieldError(
          'filter.nationalityGroup',
          `is not a nationality group of the statistics for ${args.period.year} (rare groups count as OTHER)`,
        );
      filters.set(dimension, String(value));
    }

    const { year, quarter, month } = args.period;
    if (year > this.now().getUTCFullYear()) throw fieldError('period.year', 'lies in the future');
    if (quarter && month) throw fieldError('period', 'give a quarter or a month, not both');
    const byPeriod = asked.includes(StatisticsDimension.PERIOD);
    let granularity: PeriodGranularity | null = null;
    let level: number;
    const units = yearUnits(year);
    let unit = units[0];
    if (byPeriod) {
      if (quarter || month)
        throw fieldError('period', 'the PERIOD dimension breaks down a whole year: give the year only');
      granularity =
        args.period.granularity ??
        (GRANULARITY_LEVEL[tier.minimumGranularity] >= GRANULARITY_LEVEL.QUARTER
          ? tier.minimumGranularity
          : PeriodGranularity.QUARTER);
      if (granularity === PeriodGranularity.YEAR)
        throw fieldError('period.granularity', 'the PERIOD dimension needs QUARTER or MONTH');
      level = GRANULARITY_LEVEL[granularity];
    } else {
      if (args.period.granularity)
        throw fieldError('period.granularity', 'applies to the PERIOD dimension only');
      level = month ? 2 : quarter ? 1 : 0;
      if (quarter) unit = units.find((u) => u.id === `${year}-Q${quarter}`)!;
      if (month) unit = units.find((u) => u.id === `${year}-${String(month).padStart(2, '0')}`)!;
    }
    if (level > GRANULARITY_LEVEL[tier.minimumGranularity])
      throw deny(`A period finer than ${tier.minimumGranularity}`);

    // Filters are dimensions, and so is any period below the year.
    const used = asked.length + filters.size + (!byPeriod && level > 0 ? 1 : 0);
    if (used > tier.maxDimensions)
      throw forbidden(
        `The ${audience} audience may combine at most ${tier.maxDimensions} dimensions (filters and a period below the year count); this request uses ${used}.`,
      );

    const cubeDimensions = ORDER.filter(
      (d): d is AttributeDimension =>
        d !== StatisticsDimension.PERIOD && (asked.includes(d) || filters.has(d as AttributeDimension)),
    );
    return {
      audience,
      tier,
      measure: args.measure,
      stage: needsStage ? args.stage! : null,
      asked,
      cubeDimensions,
      filters,
      year,
      unit,
      granularity,
      level,
    };
  }

  private cube(em: EntityManager, plan: Plan, nationalities: string[]): Promise<ProtectedCube> {
    const additiveTime = plan.measure !== StatisticsMeasure.CASES;
    const all = yearUnits(plan.year);
    // Stocks: each unit stands alone. Flows: a unit sums its sub-units, so the cube holds every
    // coarser level too (their cells are the margins of the finer ones).
    const units = additiveTime
      ? all.filter((u) => u.level <= plan.level)
      : plan.granularity
        ? all.filter((u) => u.level === 0 || u.level === plan.level)
        : [plan.unit];
    // A cube computed from live rows must not answer once its year is closed (frozen rows then).
    const closed = this.isClosed(plan.year);
    const key = [
      closed ? 'frozen' : 'live',
      plan.audience,
      plan.measure === StatisticsMeasure.MEDIAN_DAYS_TO_STAGE ? StatisticsMeasure.TRANSITIONS : plan.measure,
      plan.stage ?? '',
      plan.year,
      plan.cubeDimensions.join(','),
      units.map((u) => u.id).join(','),
      nationalities.join(','),
    ].join('|');
    const cached = this.cache.get(key);
    if (cached) return cached;

    const generation = this.generation;
    const domains = plan.cubeDimensions.map((d) => domainOf(d, nationalities));
    const computing = (async () => {
      // A closed year is computed from its frozen rows (frozen by the first request that needs them).
      if (closed) await this.freeze(em, plan.year);
      const request = {
        measure: plan.measure,
        stage: plan.stage,
        dimensions: plan.cubeDimensions,
        domains,
        units,
        frozenYear: closed ? plan.year : undefined,
        nationalityGroups: nationalities,
      };
      return this.families.counts(em, request, !closed);
    })().then((counts) => {
      const protection = protect(
        {
          domains,
          units,
          additiveTime,
          // k belongs to a cell's home table: the same cell gets the same k in every query.
          minimumCellSize: (mask) =>
            minimumCellSize(
              plan.tier,
              plan.cubeDimensions.filter((_, i) => mask & (1 << i)),
            ),
        },
        counts.counts,
      );
      return { ...counts, protection, domains, units };
    });
    this.cache.set(key, computing);
    computing.then(
      () => {
        // Cases changed while this was computed: the next request computes afresh.
        if (generation !== this.generation && !this.isClosed(plan.year)) this.cache.delete(key);
      },
      () => this.cache.delete(key),
    );
    return computing;
  }

  /**
   * For measuring information loss (bench:statistics), never for a response: each cell of the asked
   * table with its true count, its k and its status.
   */
  async audit(em: EntityManager, viewer: Viewer, args: CaseStatisticsArgs) {
    const nationalities = await this.nationalityGroups(em, args.period.year);
    const plan = this.plan(viewer, args, nationalities);
    const cube = await this.cube(em, plan, nationalities);
    return this.layout(plan, cube).cells.map(({ id }) => ({
      n: cube.counts.get(id) ?? 0,
      status: cube.protection.status.get(id) as CubeStatus,
    }));
  }

  /** The asked table's categories, and its cells' keys with their ids in the cube. */
  private layout(plan: Plan, cube: ProtectedCube) {
    const periodUnits = plan.granularity
      ? cube.units.filter((u) => u.level === GRANULARITY_LEVEL[plan.granularity!])
      : [];
    const categories = plan.asked.map((d) => ({
      dimension: d,
      values:
        d === StatisticsDimension.PERIOD
          ? periodUnits.map((u) => u.id)
          : cube.domains[plan.cubeDimensions.indexOf(d as AttributeDimension)],
    }));

    // Every combination of the asked categories and "*", filters fixed.
    let keys: string[][] = [[]];
    for (const c of categories) keys = keys.flatMap((k) => [...c.values, '*'].map((v) => [...k, v]));

    const cells = keys.map((key) => {
      let unit = plan.unit.id;
      const coords = plan.cubeDimensions.map((d, i) => {
        const filtered = plan.filters.get(d);
        if (filtered !== undefined) return cube.domains[i].indexOf(filtered);
        const value = key[plan.asked.indexOf(d)];
        return value === '*' ? MARGIN : cube.domains[i].indexOf(value);
      });
      const periodAt = plan.asked.indexOf(StatisticsDimension.PERIOD);
      if (periodAt >= 0 && key[periodAt] !== '*') unit = key[periodAt];
      return { key, id: cellKey(unit, coords) };
    });
    return { categories, cells };
  }

  private cut(plan: Plan, cube: ProtectedCube): StatisticsTableType {
    const { tier } = plan;
    const rounding = plan.measure === StatisticsMeasure.MEDIAN_DAYS_TO_STAGE ? null : tier.roundingBase;
    const { categories, cells: layout } = this.layout(plan, cube);
    const counts = { primary: 0, secondary: 0 };
    const cells: StatisticsCellType[] = layout.map(({ key, id }) => {
      const status = cube.protection.status.get(id) as CubeStatus;
      if (status === 'PRIMARY_SUPPRESSED') counts.primary++;
      if (status === 'SECONDARY_SUPPRESSED') counts.secondary++;
      if (status !== 'PUBLISHED') return { key, value: null, status: status as CellStatus };
      if (plan.measure === StatisticsMeasure.MEDIAN_DAYS_TO_STAGE) {
        // A median of few people is one person's exact waiting time: published in whole weeks.
        const median = cube.medians.get(id);
        return median === undefined
          ? { key, value: null, status: CellStatus.PUBLISHED }
          : {
              key,
              value: Math.round(median / MEDIAN_ROUNDING_DAYS) * MEDIAN_ROUNDING_DAYS,
              status: CellStatus.ROUNDED,
            };
      }
      const n = cube.counts.get(id) ?? 0;
      if (rounding && n > 0)
        return { key, value: Math.round(n / rounding) * rounding, status: CellStatus.ROUNDED };
      return { key, value: n, status: CellStatus.PUBLISHED };
    });

    const k = minimumCellSize(tier, plan.cubeDimensions);
    return {
      measure: plan.measure,
      stage: plan.stage,
      dimensions: plan.asked,
      categories,
      period: plan.granularity ? `${plan.year}` : plan.unit.id,
      granularity: plan.granularity,
      closed: this.isClosed(plan.year),
      audience: plan.audience,
      minimumCellSize: k,
      roundingBase: rounding,
      cells,
      total: cells[cells.length - 1],
      suppressedCells: counts.primary + counts.secondary,
      primarySuppressedCells: counts.primary,
      secondarySuppressedCells: counts.secondary,
      computedAt: this.now(),
    };
  }
}
