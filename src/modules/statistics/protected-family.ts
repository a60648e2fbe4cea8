import type { EntityManager } from '@mikro-orm/postgresql';
import type { StatisticsTier } from '../../auth/policy.js';
import { GRANULARITY_LEVEL, StatisticsDimension, StatisticsMeasure } from '../../domain/statistics.js';
import { cellKey, Lattice, type LatticeUnit, MARGIN } from './lattice.js';
import {
  type CubeCounts,
  familyMember,
  type PeriodUnit,
  queryCubeFamily,
  type ReleaseRow,
  snapshotDays,
} from './population.js';
import type { Frozen, Protection } from './protect.js';
import { type ProtectJob, plainSpec, protectAndVerify } from './protect-job.js';

export type AttributeDimension = Exclude<StatisticsDimension, StatisticsDimension.PERIOD>;

/** Every attribute dimension, in canonical order (the order of the enum). */
export const ATTRIBUTE_DIMENSIONS = Object.values(StatisticsDimension).filter(
  (d): d is AttributeDimension => d !== StatisticsDimension.PERIOD,
);

/** A population: a measure's people (cases on a day, or stage changes into one stage) in one release. */
export interface Population {
  release: ReleaseRow;
  /** CASES, or the flows into `stage` (TRANSITIONS and MEDIAN_DAYS_TO_STAGE count the same people). */
  stock: boolean;
  stage: string | null;
  nationalityGroups: readonly string[];
}

/** One tier's view of a population: its lattice, the true counts, what is hidden and why that is safe. */
export interface ProtectedLattice {
  lattice: Lattice;
  counts: Int32Array;
  /** Flows: median waiting days per cell. */
  medians: Map<number, number>;
  protection: Protection;
  /** Cells of dimensions in the tier's canonical order. */
  dimensions: readonly AttributeDimension[];
}

/** The same tier parameters, the same protection (PARTNER and COORDINATOR share theirs). */
export function tierSignature(tier: StatisticsTier): string {
  return JSON.stringify([
    tier.dimensions,
    tier.maxDimensions,
    tier.minimumCellSize,
    tier.sensitiveCrossings,
    tier.minimumGranularity,
  ]);
}

/** k of a cell fixing these dimensions (sensitive crossings need more). */
export function minimumCellSize(tier: StatisticsTier, fixed: readonly StatisticsDimension[]): number {
  return Math.max(
    tier.minimumCellSize,
    ...tier.sensitiveCrossings
      .filter((s) => s.dimensions.every((d) => fixed.includes(d)))
      .map((s) => s.minimumCellSize),
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The months, quarters and the year of a flow, as units that add up. */
export function flowUnits(year: number, finest: number): PeriodUnit[] {
  const lastDay = (month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
  const units: PeriodUnit[] = [{ id: `${year}`, level: 0, start: `${year}-01-01`, end: `${year}-12-31` }];
  if (finest >= 1)
    for (let q = 1; q <= 4; q++)
      units.push({
        id: `${year}-Q${q}`,
        level: 1,
        parent: `${year}`,
        start: `${year}-${pad(q * 3 - 2)}-01`,
        end: `${year}-${pad(q * 3)}-${lastDay(q * 3)}`,
      });
  if (finest >= 2)
    for (let m = 1; m <= 12; m++)
      units.push({
        id: `${year}-${pad(m)}`,
        level: 2,
        parent: finest >= 1 ? `${year}-Q${Math.ceil(m / 3)}` : `${year}`,
        start: `${year}-${pad(m)}-01`,
        end: `${year}-${pad(m)}-${lastDay(m)}`,
      });
  return units;
}

/** The snapshot day a stock's unit stands on: its last day, or the release's day where that is earlier. */
export function snapshotDay(release: ReleaseRow, unitEnd: string): string {
  return unitEnd < release.asOf ? unitEnd : release.asOf;
}

/** The snapshot days a tier sees: each month's, each quarter's or only the year's last day. */
function stockDays(release: ReleaseRow, finest: number): string[] {
  const all = flowUnits(release.year, finest).map((u) => snapshotDay(release, u.end));
  return [...new Set(all)].sort();
}

export type DomainOf = (d: AttributeDimension) => readonly string[];

/** What a tier's protection was, by cell name: enough to build or carry it again. */
export interface StoredTier {
  hidden: string[];
  fallback: boolean;
}

export interface ProtectOptions {
  /** The year's previous release, as it was protected: its cells stay hidden, its figures are known. */
  previous?: { release: ReleaseRow; views: ReadonlyMap<string, ProtectedLattice> };
  /** This release as it was first protected (by this instance or another): taken as it is. */
  stored?: Readonly<Record<string, StoredTier>>;
  /** Runs a tier's protection (a worker thread: ProtectPool); inline by default. */
  protect?: (job: ProtectJob) => Promise<Protection>;
}

/**
 * Counts a population once (every cell of up to two dimensions at every unit the finest tier sees),
 * then protects it for each tier: the finer tier first, and each coarser tier hides at least what the
 * ones before it hide — so a partner who also reads the public tables learns nothing from them. With a
 * previous release of the year, the previous release's figures count as published knowledge (see
 * carriedOver).
 */
export async function protectPopulation(
  em: EntityManager,
  population: Population,
  tiers: readonly StatisticsTier[],
  domainOf: DomainOf,
  options: ProtectOptions = {},
): Promise<Map<string, ProtectedLattice>> {
  const { release } = population;
  const finest = Math.max(...tiers.map((t) => GRANULARITY_LEVEL[t.minimumGranularity]));
  const units: PeriodUnit[] = population.stock
    ? snapshotDays(release.year, release.asOf).map((day) => ({ id: day, level: 0, start: day, end: day }))
    : flowUnits(release.year, finest);
  const families = await queryCubeFamily(
    em,
    {
      measure: population.stock ? StatisticsMeasure.CASES : StatisticsMeasure.TRANSITIONS,
      stage: population.stage,
      dimensions: ATTRIBUTE_DIMENSIONS,
      domains: ATTRIBUTE_DIMENSIONS.map(domainOf),
      units,
      release: release.id,
      nationalityGroups: population.nationalityGroups,
    },
    2,
  );

  const ordered = [...tiers].sort(
    (a, b) =>
      GRANULARITY_LEVEL[b.minimumGranularity] - GRANULARITY_LEVEL[a.minimumGranularity] ||
      b.dimensions.length - a.dimensions.length,
  );
  const result = new Map<string, ProtectedLattice>();
  const hiddenNames = new Set<string>();
  for (const tier of ordered) {
    const signature = tierSignature(tier);
    if (result.has(signature)) continue;
    const view = countView(population, tier, families, domainOf);
    const stored = options.stored?.[signature];
    if (stored) view.protection = storedProtection(view, stored, tier.roundingBase);
    else {
      const previous = options.previous?.views.get(signature);
      const history = carriedOver(
        population,
        view,
        previous && { release: options.previous!.release, view: previous },
      );
      view.protection = await protectView(view, tier, hiddenNames, history, options.protect);
    }
    view.lattice.names.forEach((name, i) => {
      if (view.protection.hidden[i]) hiddenNames.add(name);
    });
    result.set(signature, view);
  }
  return result;
}

/** A view's protection in storable form. */
export function storedTier(view: ProtectedLattice): StoredTier {
  return {
    hidden: view.lattice.names.filter((_, i) => view.protection.hidden[i]),
    fallback: view.protection.fallback,
  };
}

function storedProtection(
  view: ProtectedLattice,
  stored: StoredTier,
  roundingBase: number | null,
): Protection {
  const N = view.lattice.cells.length;
  const hidden = new Uint8Array(N);
  if (stored.fallback) hidden.fill(1);
  for (const name of stored.hidden) {
    const i = view.lattice.cellByName(name);
    // A cell the stored protection names that this lattice lacks: the rows are not the ones it was
    // made from; nothing is published rather than something unproven.
    if (i === undefined) return { ...storedProtection(view, { hidden: [], fallback: true }, roundingBase) };
    hidden[i] = 1;
  }
  return {
    hidden,
    need: new Int32Array(N),
    moves: [],
    group: new Uint8Array(N),
    fallback: stored.fallback,
    unprotected: [],
    roundingBase,
    frozen: new Uint8Array(N),
  };
}

/**
 * What the year's previous release fixes for this one. An attacker keeps every release, so:
 * - a unit both releases count alike (a snapshot day, or a month or quarter that ended by the previous
 *   release's day, with every cell's count unchanged) is one population: its cells keep the previous
 *   status and no new certificate moves them — the previous certificates prove its hidden cells, and
 *   what it published is known (`frozen`);
 * - every other cell the previous release hid stays hidden under its name (a year or quarter still
 *   filling up, a month that was partly covered): a later figure of the same cell minus the people an
 *   insider added would otherwise give the old count back;
 * - for the same reason the previous release's last snapshot day (the stock's two-way tables) carries
 *   its hidden cells onto this release's last day;
 * - flows: months after the previous release's day were empty there; they are new here.
 * Months after this release's own day are empty and known to be: frozen as published zeros.
 */
export function carriedOver(
  population: Population,
  view: ProtectedLattice,
  previous: { release: ReleaseRow; view: ProtectedLattice } | undefined,
): { frozen: Frozen; forced: number[] } {
  const { lattice, counts } = view;
  const old = previous?.view;
  const { release } = population;
  const ends = new Map(flowUnits(release.year, 2).map((u) => [u.id, u]));
  const frozenUnit = lattice.spec.units.map((unit) => {
    if (!previous || !old) return false;
    if (population.stock) return old.lattice.unitOf(unit.id) !== undefined;
    return (ends.get(unit.id)?.end ?? '9999') <= previous.release.asOf;
  });
  const empty = lattice.spec.units.map(
    (unit) => !population.stock && (ends.get(unit.id)?.start ?? '0000') > release.asOf,
  );
  lattice.cells.forEach((cell, i) => {
    if (!frozenUnit[cell.unit] || !old) return;
    const j = old.lattice.cellByName(lattice.names[i]);
    if (j === undefined || old.counts[j] !== counts[i]) frozenUnit[cell.unit] = false;
  });
  const cells: number[] = [];
  const hidden: number[] = [];
  const forced: number[] = [];
  lattice.cells.forEach((cell, i) => {
    if (empty[cell.unit]) {
      cells.push(i);
      hidden.push(0);
      return;
    }
    if (!old) return;
    const j = old.lattice.cellByName(lattice.names[i]);
    if (frozenUnit[cell.unit]) {
      cells.push(i);
      hidden.push(j !== undefined && old.protection.hidden[j] ? 1 : 0);
    } else if (j !== undefined && old.protection.hidden[j]) forced.push(i);
  });
  if (population.stock && previous && old) {
    const from = `${snapshotDay(previous.release, `${release.year}-12-31`)}|`;
    const to = `${snapshotDay(release, `${release.year}-12-31`)}|`;
    if (from !== to)
      old.lattice.names.forEach((name, j) => {
        if (!old.protection.hidden[j] || !name.startsWith(from)) return;
        const i = lattice.cellByName(to + name.slice(from.length));
        if (i !== undefined) forced.push(i);
      });
  }
  return { frozen: { cells, hidden }, forced };
}

/** The lattice of a tier with the population's true counts; protection follows. */
function countView(
  population: Population,
  tier: StatisticsTier,
  families: Map<string, CubeCounts>,
  domainOf: DomainOf,
): ProtectedLattice {
  const { release } = population;
  const dimensions = ATTRIBUTE_DIMENSIONS.filter((d) => tier.dimensions.includes(d));
  const level = GRANULARITY_LEVEL[tier.minimumGranularity];
  let units: LatticeUnit[];
  let months: string[] | undefined;
  if (population.stock) {
    const yearDay = snapshotDay(release, `${release.year}-12-31`);
    units = stockDays(release, level).map((day) => ({ id: day, twoWay: day === yearDay }));
  } else {
    units = flowUnits(release.year, level).map((u) => ({
      id: u.id,
      parent: u.parent,
      twoWay: u.level === 0,
    }));
    months = flowUnits(release.year, 2)
      .filter((u) => u.level === 2)
      .map((u) => u.id);
  }
  const lattice = new Lattice({
    dimensions,
    domains: dimensions.map(domainOf),
    units,
    additiveTime: !population.stock,
    months,
    minimumCellSize: (fixed) =>
      minimumCellSize(
        tier,
        fixed.map((d) => dimensions[d]),
      ),
  });

  // The family's cubes are keyed by their dimensions' names and the categories' indices in the full
  // domain lists, which every tier shares.
  const counts = new Int32Array(lattice.cells.length);
  const medians = new Map<number, number>();
  lattice.cells.forEach((cell, i) => {
    const fixed = [
      [cell.d1, cell.v1],
      [cell.d2, cell.v2],
    ].filter(([d]) => d !== MARGIN);
    const cube = families.get(familyMember(fixed.map(([d]) => dimensions[d])));
    if (!cube) throw new Error('statistics: a lattice cell outside the counted family');
    const key = cellKey(
      units[cell.unit].id,
      fixed.map(([, v]) => v),
    );
    counts[i] = cube.counts.get(key) ?? 0;
    const median = cube.medians.get(key);
    if (median !== undefined) medians.set(i, median);
  });

  const none = new Uint8Array(0);
  return {
    lattice,
    counts,
    medians,
    dimensions,
    protection: {
      hidden: none,
      need: new Int32Array(0),
      moves: [],
      group: none,
      fallback: false,
      unprotected: [],
      roundingBase: tier.roundingBase,
      frozen: none,
    },
  };
}

function protectView(
  view: ProtectedLattice,
  tier: StatisticsTier,
  forcedNames: ReadonlySet<string>,
  history: { frozen: Frozen; forced: number[] } | undefined,
  run: (job: ProtectJob) => Promise<Protection> = async (job) => protectAndVerify(job),
): Promise<Protection> {
  const { lattice, counts } = view;
  const forced: number[] = [...(history?.forced ?? [])];
  for (const name of forcedNames) {
    const i = lattice.cellByName(name);
    if (i !== undefined) forced.push(i);
  }
  return run({
    lattice: plainSpec(lattice.spec),
    counts,
    forced,
    roundingBase: tier.roundingBase,
    frozen: history?.frozen,
  });
}
