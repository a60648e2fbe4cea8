import type { EntityManager } from '@mikro-orm/postgresql';
import { type StatisticsDimension, StatisticsMeasure } from '../../domain/statistics.js';
import { type CubeCounts, type CubeRequest, familyMember, queryCube, queryCubeFamily } from './population.js';

/**
 * Counts of small cubes, a family at a time. The cubes of at most `size` dimensions that share a
 * population (measure, stage, year, period units, nationality groups) are what a meeting screen asks
 * for together, and a statement per cube reads that population once each: the first cube asked computes
 * the whole family in one statement (queryCubeFamily) and waits for it, and its siblings are answered
 * from that. Counts only: disclosure
 * control stays per cube and audience (statistics.service.ts), so every cell keeps its status.
 *
 * Live families are dropped when cases change (`invalidateLive`) and recomputed off the request path
 * (`rewarm`, before `statisticsUpdated` makes meeting screens ask); a family that was computing while
 * cases changed is never kept.
 */
export interface FamilyOptions {
  /** Largest number of attribute dimensions of a family's cubes. */
  size: number;
  /** The nationality groups of a year (cached by the caller). */
  nationalityGroups: (em: EntityManager, year: number) => Promise<string[]>;
  /** Every attribute dimension with its categories, for these nationality groups. */
  allDimensions: (nationalityGroups: string[]) => {
    dimensions: Exclude<StatisticsDimension, StatisticsDimension.PERIOD>[];
    domains: string[][];
  };
}

interface Family {
  cubes: Promise<Map<string, CubeCounts>>;
  request: CubeRequest;
  live: boolean;
  /** Where a recomputation gets its connection from. */
  em: EntityManager;
}

const MAX_FAMILIES = 32;
const MAX_REWARM_ROUNDS = 3;

export class CubeFamilies {
  private readonly families = new Map<string, Family>();
  /** Live families dropped by a change of cases, to recompute. */
  private readonly stale = new Map<string, Family>();
  private generation = 0;
  private stopped = false;

  constructor(private readonly options: FamilyOptions) {}

  /** The counts of the request's cube; `live` when they come from the live tables (not frozen rows). */
  counts(em: EntityManager, request: CubeRequest, live: boolean): Promise<CubeCounts> {
    if (request.dimensions.length > this.options.size) return queryCube(em, request);
    const family = this.familyRequest(request);
    const key = familyKey(family, live);
    const known = this.families.get(key);
    if (known) {
      // Most recently used last: the oldest family is the first one dropped.
      this.families.delete(key);
      this.families.set(key, known);
      return known.cubes.then(
        (cubes) => cubes.get(familyMember(request.dimensions))!,
        () => queryCube(em, request),
      );
    }
    // The first cube of a family computes the whole family and waits for it (one statement, several times
    // one cube): every sibling asked after it is answered without a statement, so a meeting's tables cost
    // one slow request per population instead of one per table (issue 12: p95 of first requests).
    const computing = this.compute(em, key, family, live);
    if (!computing) return queryCube(em, request);
    return computing.cubes.then(
      (cubes) => cubes.get(familyMember(request.dimensions))!,
      () => queryCube(em, request),
    );
  }

  /** Cases changed: live families are stale; `rewarm` recomputes them. */
  invalidateLive() {
    this.generation++;
    for (const [key, family] of this.families)
      if (family.live) {
        this.families.delete(key);
        this.stale.set(key, family);
      }
  }

  stop() {
    this.stopped = true;
  }

  /** Resolves when every family being computed now is done (tests, benchmarks). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.families.values()].map((f) => f.cubes));
  }

  private familyRequest(request: CubeRequest): CubeRequest {
    return { ...request, ...this.options.allDimensions([...request.nationalityGroups]) };
  }

  private compute(em: EntityManager, key: string, request: CubeRequest, live: boolean): Family | undefined {
    if (this.stopped) return undefined;
    const known = this.families.get(key);
    if (known) return known;
    const generation = this.generation;
    const family: Family = {
      cubes: queryCubeFamily(em.fork(), request, this.options.size),
      request,
      live,
      em: em.fork(),
    };
    this.families.set(key, family);
    while (this.families.size > MAX_FAMILIES) this.families.delete(this.families.keys().next().value!);
    const drop = () => {
      if (this.families.get(key) === family) this.families.delete(key);
    };
    // Live counts computed across a change of cases may miss it: never kept.
    family.cubes.then(() => live && generation !== this.generation && drop(), drop);
    return family;
  }

  /**
   * Recomputes the live families dropped since the last call, off the request path. One family at a
   * time: a recomputation must not crowd out the requests it is meant to speed up. Families dropped
   * again while this runs are taken up in a further round (a few at most: cases may keep changing).
   */
  async rewarm() {
    for (let round = 0; round < MAX_REWARM_ROUNDS && this.stale.size > 0; round++) {
      const pending = [...this.stale.values()];
      this.stale.clear();
      for (const old of pending) {
        if (this.stopped) return;
        try {
          const year = Number(old.request.units.find((u) => u.level === 0)!.id);
          const nationalityGroups = await this.options.nationalityGroups(old.em.fork(), year);
          const request = this.familyRequest({ ...old.request, nationalityGroups });
          await this.compute(old.em, familyKey(request, true), request, true)?.cubes;
        } catch {
          // Only a warm-up: the next request computes what it needs (and reports its errors).
        }
      }
    }
  }
}

function familyKey(request: CubeRequest, live: boolean): string {
  return [
    live ? 'live' : `frozen ${request.frozenYear}`,
    // Stocks, or flows (MEDIAN_DAYS_TO_STAGE counts the same transitions as TRANSITIONS).
    request.measure === StatisticsMeasure.CASES ? 'CASES' : 'FLOWS',
    request.stage ?? '',
    request.units.map((u) => u.id).join(','),
    request.nationalityGroups.join(','),
  ].join('|');
}
