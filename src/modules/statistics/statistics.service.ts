import type { EntityManager } from '@mikro-orm/postgresql';
import { LRUCache } from 'lru-cache';
import { STATISTICS_TIERS, type StatisticsTier } from '../../auth/policy.js';
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
import { cellName } from './lattice.js';
import {
  cutRelease,
  dropOlderReleases,
  latestRelease,
  type PeriodUnit,
  type ReleaseRow,
} from './population.js';
import { ProtectPool } from './protect-pool.js';
import {
  type AttributeDimension,
  flowUnits,
  minimumCellSize,
  type ProtectedLattice,
  protectPopulation,
  type StoredTier,
  snapshotDay,
  storedTier,
  tierSignature,
} from './protected-family.js';
import type { CaseStatisticsArgs, StatisticsCellType, StatisticsTableType } from './statistics.types.js';

const ORDER = Object.values(StatisticsDimension);

/** A nationality group needs this many cases to be a category of its own (public k for its crossings). */
export const MIN_NATIONALITY_GROUP = 10;

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
  /** Finest time level the table needs. */
  level: number;
  nationalities: readonly string[];
}

/**
 * caseStatistics: validates a request against the viewer's statistics tier (policy.ts), takes the
 * year's release (its rows frozen as of a day), and cuts the asked table out of the release's protected
 * lattice for the tier (protected-family.ts) — every table of a tier from one protection, so the same
 * cell gets the same answer in every query and no combination of tables narrows a hidden one.
 *
 * The open year is released once per release period at most (`releasePeriod`; the figures stand on
 * its last day), and only when at least `releaseMinChanges` cases changed since the last release: a
 * case entered, edited or closed changes no figure until then, and then only together with others.
 * A closed year gets one final release. Protected lattices are cached per instance and release
 * (releases never change, so instances agree); meeting screens learn of a new release through a
 * throttled `statisticsUpdated` signal.
 */
export class StatisticsService {
  private readonly lattices = new LRUCache<string, Promise<Map<string, ProtectedLattice>>>({ max: 64 });
  private readonly listeners = new Set<(event: HubEvent) => void>();
  /** The release in use per year, looked up again after a change of cases or a minute. */
  private readonly releases = new Map<number, { release: Promise<ReleaseRow>; at: number }>();
  private readonly groups = new Map<number, Promise<string[]>>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly unsubscribe: () => void;
  private warming?: Promise<void>;
  private readonly protection: ProtectPool;

  constructor(
    bus: { subscribe(listener: (event: HubEvent) => void): () => void },
    private readonly options: {
      updateIntervalMs: number;
      backdateMaxDays: number;
      releasePeriod?: 'month' | 'week' | 'day';
      releaseMinChanges?: number;
      now?: () => Date;
      /** Where background work (warming, release checks) gets its connection. */
      em?: () => EntityManager;
      onError?: (error: unknown) => void;
      /** Where protection runs (tests compare a worker thread with inline); by default a worker thread. */
      protection?: ProtectPool;
    },
  ) {
    this.protection = options.protection ?? new ProtectPool({ onError: options.onError });
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === STATISTICS_CHANGED) this.casesChanged(event);
    });
  }

  /** Forgets which release answers for which year (after a bulk load of cases, or a database reset). */
  refresh() {
    this.releases.clear();
  }

  /** Throttled "statistics changed" signals, in the shape of bus events (for eventStream). */
  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe();
    this.listeners.clear();
    this.protection.stop();
  }

  private casesChanged(event: HubEvent) {
    // A change may make a new release due (enough changes): looked at once per interval.
    for (const year of this.releases.keys()) if (!this.isClosed(year)) this.releases.delete(year);
    if (this.timer || !this.options.em) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      void this.checkReleases(event);
    }, this.options.updateIntervalMs);
    this.timer.unref();
  }

  /** Cuts the open years' releases that are due and tells meeting screens when one was cut. */
  private async checkReleases(event: HubEvent) {
    const em = this.options.em?.();
    if (!em) return;
    const year = this.now().getUTCFullYear();
    let changed = false;
    for (const y of [year - 1, year]) {
      if (this.isClosed(y)) continue;
      try {
        const before = await latestRelease(em.fork(), y);
        const after = await this.release(em.fork(), y, true);
        if (after.id !== before?.id) {
          changed = true;
          void this.warm(em.fork(), y);
        }
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    if (!changed || this.stopped) return;
    const signal: HubEvent = { ...event, occurredAt: this.now(), payload: { statistics: ['cases'] } };
    for (const listener of this.listeners) listener(signal);
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** A year is closed when no event can be dated into it any more: its figures are final. */
  isClosed(year: number): boolean {
    const finalFrom = Date.UTC(year + 1, 0, 1) + this.options.backdateMaxDays * 86_400_000;
    return this.now().getTime() >= finalFrom;
  }

  /** The day the open year's next release stands on: the last day of the previous release period. */
  private dueAsOf(year: number): string {
    const now = this.now();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    let end: number;
    const period = this.options.releasePeriod ?? 'month';
    if (period === 'day') end = today - 86_400_000;
    else if (period === 'week') end = today - (now.getUTCDay() === 0 ? 7 : now.getUTCDay()) * 86_400_000;
    else end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0);
    const day = new Date(end).toISOString().slice(0, 10);
    return day < `${year}-12-31` ? day : `${year}-12-31`;
  }

  /** The release that answers for a year, cut first when one is due. */
  private release(em: EntityManager, year: number, fresh = false): Promise<ReleaseRow> {
    const known = this.releases.get(year);
    if (!fresh && known && Date.now() - known.at < 60_000) return known.release;
    const release = this.findRelease(em, year);
    this.releases.set(year, { release, at: Date.now() });
    release.catch(() => this.releases.delete(year));
    return release;
  }

  private async findRelease(em: EntityManager, year: number): Promise<ReleaseRow> {
    const closed = this.isClosed(year);
    const asOf = closed ? `${year}-12-31` : this.dueAsOf(year);
    if (!closed && asOf < `${year}-01-01`)
      throw fieldError(
        'period.year',
        `has no released figures yet: the first release of ${year} stands on its first month's last day`,
      );
    const minChanges = this.options.releaseMinChanges ?? 10;
    const due = async (latest: ReleaseRow | undefined, tx: EntityManager) => {
      if (closed) return !latest?.final;
      if (!latest) return true;
      if (latest.final || latest.asOf >= asOf) return false;
      // Too few changes since the last release: a new one would show just them.
      const changes = await changedCases(tx, latest.cutAt);
      return changes === 0 || changes >= minChanges;
    };
    const latest = await latestRelease(em, year);
    if (!(await due(latest, em))) return latest!;
    const release = (await cutRelease(em.fork(), year, asOf, closed, due))!;
    // Protected ahead of requests; older releases go once this one is stored (see dropOlderReleases).
    if (release.id !== latest?.id) void this.warm(em.fork(), year);
    return release;
  }

  async table(
    em: EntityManager,
    audience: StatisticsAudience,
    args: CaseStatisticsArgs,
  ): Promise<StatisticsTableType> {
    const { plan, population } = await this.prepare(em, audience, args);
    return this.cut(plan, population.view, population.release);
  }

  private async prepare(em: EntityManager, audience: StatisticsAudience, args: CaseStatisticsArgs) {
    const year = args.period.year;
    if (year > this.now().getUTCFullYear()) throw fieldError('period.year', 'lies in the future');
    const release = await this.release(em, year);
    const nationalities = await this.nationalityGroups(em, release);
    const plan = this.plan(audience, args, nationalities);
    const lattices = await this.protectedLattices(
      em,
      release,
      plan.measure !== StatisticsMeasure.CASES ? plan.stage : null,
      nationalities,
    );
    const view = lattices.get(tierSignature(plan.tier));
    if (!view) throw new Error('statistics: no lattice for the tier');
    return { plan, population: { release, view } };
  }

  /**
   * The nationality groups of a release: those with at least MIN_NATIONALITY_GROUP cases on its year's
   * last snapshot day. Rarer groups count as OTHER: a category of its own would tell that someone of
   * that nationality exists.
   */
  private nationalityGroups(em: EntityManager, release: ReleaseRow): Promise<string[]> {
    let groups = this.groups.get(release.id);
    if (!groups) {
      groups = (async () => {
        const rows: { g: string }[] = await em.getConnection().execute(
          `select nationality_group as g from statistics_snapshot_row
           where release_id = ? and population = 'CASES' and unit = ?
           group by 1 having count(*) >= ? order by 1`,
          [release.id, snapshotDay(release, `${release.year}-12-31`), MIN_NATIONALITY_GROUP],
        );
        // Values go into SQL as literals (population.ts): only well-formed codes are taken.
        return [...rows.map((r) => r.g).filter((g) => /^[A-Z]{2}$/.test(g)), 'OTHER'];
      })();
      this.groups.set(release.id, groups);
      groups.catch(() => this.groups.delete(release.id));
    }
    return groups;
  }

  /**
   * Every tier's protected lattice of one population of a release (computed once, then cached). A
   * release is protected once, starting from the year's previous release, and stored: later requests,
   * other instances and the next release take it from there.
   */
  private protectedLattices(
    em: EntityManager,
    release: ReleaseRow,
    stage: PathwayStage | null,
    nationalities: string[],
  ): Promise<Map<string, ProtectedLattice>> {
    const key = `${release.id}|${stage ?? 'CASES'}`;
    let lattices = this.lattices.get(key);
    if (!lattices) {
      lattices = (async () => {
        const population = stage ?? 'CASES';
        const tiers = Object.values(STATISTICS_TIERS);
        const spec = { release, stock: stage === null, stage, nationalityGroups: nationalities };
        const domains = (d: AttributeDimension) => domainOf(d, nationalities);
        const stored = await storedProtection(em, release.id, population);
        if (stored) return protectPopulation(em.fork(), spec, tiers, domains, { stored });
        const before = await previousRelease(em, release);
        const previous = before && {
          release: before,
          views: await this.protectedLattices(em, before, stage, await this.nationalityGroups(em, before)),
        };
        const views = await protectPopulation(em.fork(), spec, tiers, domains, {
          previous,
          protect: (job) => this.protection.run(job),
        });
        const tiersStored: Record<string, StoredTier> = {};
        for (const [signature, view] of views) tiersStored[signature] = storedTier(view);
        // Another instance may have stored it first: then its protection is the one.
        const kept = await storeProtection(em, release.id, population, tiersStored);
        return kept === tiersStored
          ? views
          : protectPopulation(em.fork(), spec, tiers, domains, { stored: kept });
      })();
      this.lattices.set(key, lattices);
      lattices.then(
        (views) => {
          // Never reached on the demo or scale data; if it is, nothing of the population is published.
          if ([...views.values()].some((v) => v.protection.fallback))
            this.options.onError?.(
              new Error(
                `statistics: no certificate for some cell of ${key}; the population is published wholly suppressed`,
              ),
            );
        },
        () => this.lattices.delete(key),
      );
    }
    return lattices;
  }

  /**
   * Protects every population of a year's release ahead of requests (the stocks, then the flows into
   * each stage), one at a time. The protection itself runs in a worker thread (protect-pool.ts), so
   * requests wait only for their own tables.
   */
  warm(em: EntityManager, year: number): Promise<void> {
    const previous = this.warming ?? Promise.resolve();
    this.warming = previous.then(async () => {
      try {
        if (!this.isClosed(year) && this.dueAsOf(year) < `${year}-01-01`) return;
        const release = await this.release(em, year);
        const nationalities = await this.nationalityGroups(em, release);
        for (const stage of [null, ...Object.values(PathwayStage)]) {
          if (this.stopped) return;
          await this.protectedLattices(em, release, stage, nationalities);
          await new Promise((resolve) => setImmediate(resolve));
        }
        await dropOlderReleases(em, release);
      } catch (error) {
        // Stopping fails the protection under way: not an error.
        if (!this.stopped) this.options.onError?.(error);
      }
    });
    return this.warming;
  }

  private plan(audience: StatisticsAudience, args: CaseStatisticsArgs, nationalities: string[]): Plan {
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
    if (quarter && month) throw fieldError('period', 'give a quarter or a month, not both');
    const byPeriod = asked.includes(StatisticsDimension.PERIOD);
    let granularity: PeriodGranularity | null = null;
    let level: number;
    const units = flowUnits(year, 2);
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
      nationalities,
    };
  }

  /**
   * For measuring information loss (bench:statistics) and for tests, never for a response: each cell
   * of the asked table with its true count, its k and its status.
   */
  async audit(em: EntityManager, audience: StatisticsAudience, args: CaseStatisticsArgs) {
    const { plan, population } = await this.prepare(em, audience, args);
    const { view } = population;
    return this.layout(plan, population.release).cells.map(({ key, name }) => {
      const i = view.lattice.cellByName(name)!;
      return {
        key,
        n: view.counts[i],
        k: view.lattice.k[i],
        status: view.protection.hidden[i] ? CellStatus.SUPPRESSED : CellStatus.PUBLISHED,
      };
    });
  }

  /** The asked table's categories, and its cells' keys with their names in the lattice. */
  private layout(plan: Plan, release: ReleaseRow) {
    const units = flowUnits(plan.year, 2);
    const periodUnits = plan.granularity
      ? units.filter((u) => u.level === GRANULARITY_LEVEL[plan.granularity!])
      : [];
    const categories = this.categories(plan, periodUnits);
    const stock = plan.measure === StatisticsMeasure.CASES;
    const unitName = (unit: PeriodUnit) => (stock ? snapshotDay(release, unit.end) : unit.id);
    const byId = new Map(units.map((u) => [u.id, u]));

    // Every combination of the asked categories and "*", filters fixed.
    let keys: string[][] = [[]];
    for (const c of categories) keys = keys.flatMap((k) => [...c.values, '*'].map((v) => [...k, v]));
    const cells = keys.map((key) => {
      let unit = plan.unit;
      const fixed: [string, string][] = [];
      for (const d of plan.cubeDimensions) {
        const filtered = plan.filters.get(d);
        const value = filtered ?? key[plan.asked.indexOf(d)];
        if (value !== '*') fixed.push([d, value]);
      }
      const periodAt = plan.asked.indexOf(StatisticsDimension.PERIOD);
      if (periodAt >= 0 && key[periodAt] !== '*') unit = byId.get(key[periodAt])!;
      return { key, name: cellName(unitName(unit), fixed) };
    });
    return { categories, cells };
  }

  private categories(plan: Plan, periodUnits: PeriodUnit[]) {
    return plan.asked.map((d) => ({
      dimension: d,
      values:
        d === StatisticsDimension.PERIOD
          ? periodUnits.map((u) => u.id)
          : [...domainOf(d as AttributeDimension, [...plan.nationalities])],
    }));
  }

  private cut(plan: Plan, view: ProtectedLattice, release: ReleaseRow): StatisticsTableType {
    const { tier } = plan;
    const rounding = plan.measure === StatisticsMeasure.MEDIAN_DAYS_TO_STAGE ? null : tier.roundingBase;
    const { categories, cells: layout } = this.layout(plan, release);
    let suppressed = 0;
    const cells: StatisticsCellType[] = layout.map(({ key, name }) => {
      const i = view.lattice.cellByName(name);
      if (i === undefined) throw new Error('statistics: a table cell outside its lattice');
      if (view.protection.hidden[i]) {
        suppressed++;
        return { key, value: null, status: CellStatus.SUPPRESSED };
      }
      if (plan.measure === StatisticsMeasure.MEDIAN_DAYS_TO_STAGE) {
        // A median of few people is one person's exact waiting time: published in whole weeks.
        const median = view.medians.get(i);
        return median === undefined
          ? { key, value: null, status: CellStatus.PUBLISHED }
          : {
              key,
              value: Math.round(median / MEDIAN_ROUNDING_DAYS) * MEDIAN_ROUNDING_DAYS,
              status: CellStatus.ROUNDED,
            };
      }
      const n = view.counts[i];
      if (rounding && n > 0)
        return { key, value: Math.round(n / rounding) * rounding, status: CellStatus.ROUNDED };
      return { key, value: n, status: CellStatus.PUBLISHED };
    });

    return {
      measure: plan.measure,
      stage: plan.stage,
      dimensions: plan.asked,
      categories,
      period: plan.granularity ? `${plan.year}` : plan.unit.id,
      granularity: plan.granularity,
      closed: release.final,
      asOf: release.asOf,
      audience: plan.audience,
      minimumCellSize: minimumCellSize(tier, plan.cubeDimensions),
      roundingBase: rounding,
      cells,
      total: cells[cells.length - 1],
      suppressedCells: suppressed,
      computedAt: release.cutAt,
    };
  }
}

/** Cases created, edited, closed or with an event recorded since a moment (what a new release shows). */
async function changedCases(em: EntityManager, since: Date): Promise<number> {
  const [row] = await em.getConnection().execute<{ n: number }[]>(
    `select count(*)::int as n from case_record c
     where c.created_at > ? or c.updated_at > ?
        or exists (select 1 from case_event e where e.case_id = c.id and e.created_at > ?)`,
    [since, since, since],
    'all',
    em.getTransactionContext(),
  );
  return row.n;
}

/** The year's release before this one, while it is kept. */
async function previousRelease(em: EntityManager, release: ReleaseRow): Promise<ReleaseRow | undefined> {
  const [row] = await em.getConnection().execute<ReleaseRow[]>(
    `select id, year, to_char(as_of, 'YYYY-MM-DD') as "asOf", cut_at as "cutAt", final
     from statistics_release where year = ? and id < ? order by id desc limit 1`,
    [release.year, release.id],
  );
  return row && { ...row, cutAt: new Date(row.cutAt) };
}

async function storedProtection(
  em: EntityManager,
  release: number,
  population: string,
): Promise<Record<string, StoredTier> | undefined> {
  const [row] = await em
    .getConnection()
    .execute<{ tiers: Record<string, StoredTier> }[]>(
      'select tiers from statistics_protection where release_id = ? and population = ?',
      [release, population],
    );
  return row?.tiers;
}

/** Stores a release's protection unless one is stored already; returns the one that is. */
async function storeProtection(
  em: EntityManager,
  release: number,
  population: string,
  tiers: Record<string, StoredTier>,
): Promise<Record<string, StoredTier>> {
  const inserted = await em.getConnection().execute<unknown[]>(
    `insert into statistics_protection (release_id, population, tiers) values (?, ?, ?)
     on conflict do nothing returning 1`,
    [release, population, JSON.stringify(tiers)],
  );
  if (inserted.length > 0) return tiers;
  return (await storedProtection(em, release, population)) ?? tiers;
}

declare module '../../context.js' {
  interface ContextDeps {
    /** Releases, protection and tables of the case statistics (caseStatistics, statisticsUpdated). */
    statistics: StatisticsService;
  }
}
