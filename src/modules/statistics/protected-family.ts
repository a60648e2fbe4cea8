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
import { type Protection, protect, verify } from './protect.js';

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

/**
 * Counts a population once (every cell of up to two dimensions at every unit the finest tier sees),
 * then protects it for each tier: the finer tier first, and each coarser tier hides at least what the
 * ones before it hide — so a partner who also reads the public tables learns nothing from them.
 */
export async function protectPopulation(
  em: EntityManager,
  population: Population,
  tiers: readonly StatisticsTier[],
  domainOf: DomainOf,
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
    const protectedLattice = protectTier(population, tier, families, domainOf, hiddenNames);
    protectedLattice.lattice.names.forEach((name, i) => {
      if (protectedLattice.protection.hidden[i]) hiddenNames.add(name);
    });
    result.set(signature, protectedLattice);
  }
  return result;
}

function protectTier(
  population: Population,
  tier: StatisticsTier,
  families: Map<string, CubeCounts>,
  domainOf: DomainOf,
  forcedNames: ReadonlySet<string>,
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

  const forced: number[] = [];
  for (const name of forcedNames) {
    const i = lattice.cellByName(name);
    if (i !== undefined) forced.push(i);
  }
  let protection = protect(lattice, counts, forced);
  // The proof is checked independently of how it was built; a failure publishes nothing of it.
  const check = verify(lattice, counts, protection);
  if (!check.ok) {
    protection = { ...protection, hidden: new Uint8Array(lattice.cells.length).fill(1), fallback: true };
  }
  return { lattice, counts, medians, protection, dimensions };
}
