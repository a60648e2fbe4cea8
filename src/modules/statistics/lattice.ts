/**
 * The lattice of every cell one statistics tier can ask about a population (a measure, a stage, a
 * release of a year): the grand total, every category of every dimension, every pair of categories
 * where two-dimension tables are published, at every time unit the tier may see — and the lines that
 * tie them (children sum to their margin; months to their quarter, quarters to their year). Any table
 * a viewer can ask for is a part of it; an attacker who harvests every table knows exactly the
 * published cells of this lattice and these equations, nothing more.
 */
export const MARGIN = -1;

/** A cell of a counted cube: its unit and its category index per dimension (MARGIN: all). */
export const cellKey = (unit: string, coords: readonly number[]) => `${unit}|${coords.join(',')}`;

export interface LatticeUnit {
  /** CASES: the snapshot day ("2026-11-30"); flows: "2026", "2026-Q3", "2026-07". */
  id: string;
  /** Flows: the unit this one adds up to. Snapshot days stand alone. */
  parent?: string;
  /** Two-dimension tables are published at this unit (the year); elsewhere one dimension at most. */
  twoWay: boolean;
}

export interface LatticeSpec {
  /** Dimension names in canonical order. */
  dimensions: readonly string[];
  domains: readonly (readonly string[])[];
  units: readonly LatticeUnit[];
  /** Flows: a profile's month says which units it counts in (a month, its quarter, the year). */
  additiveTime: boolean;
  /** Flows: the month ids (profiles live in months); each must map to the units that contain it. */
  months?: readonly string[];
  /** k for a cell fixing these dimensions (indices). */
  minimumCellSize(fixed: readonly number[]): number;
}

export interface Cell {
  unit: number;
  /** Up to two fixed dimensions (index, category); d1 < d2; MARGIN when unused. */
  d1: number;
  v1: number;
  d2: number;
  v2: number;
}

export interface Line {
  parent: number;
  children: number[];
  /** Sub-units of a unit (months of a quarter, quarters of a year), not categories of a dimension. */
  time: boolean;
}

/** The canonical name of a cell: the same cell has the same name in every tier's lattice. */
export function cellName(unit: string, fixed: readonly (readonly [string, string])[]): string {
  return `${unit}|${fixed.map(([d, v]) => `${d}=${v}`).join(';')}`;
}

export class Lattice {
  readonly cells: Cell[] = [];
  readonly names: string[] = [];
  readonly lines: Line[] = [];
  /** Lines in which a cell appears (as parent or child). */
  readonly linesOf: number[][] = [];
  readonly k: number[] = [];
  private readonly totalAt: number[] = [];
  private readonly oneWay: number[][][] = [];
  private readonly twoWayAt: number[][][][] = [];
  private readonly unitIndex = new Map<string, number>();
  /** Flows: for each month, the units it counts in (month, quarter, year — those present). */
  readonly monthUnits: number[][] = [];

  constructor(readonly spec: LatticeSpec) {
    spec.units.forEach((u, i) => {
      this.unitIndex.set(u.id, i);
    });
    const D = spec.dimensions.length;
    spec.units.forEach((unit, u) => {
      this.add(u, MARGIN, MARGIN, MARGIN, MARGIN);
      for (let d = 0; d < D; d++)
        for (let v = 0; v < spec.domains[d].length; v++) this.add(u, d, v, MARGIN, MARGIN);
      if (unit.twoWay)
        for (let d1 = 0; d1 < D; d1++)
          for (let d2 = d1 + 1; d2 < D; d2++)
            for (let v1 = 0; v1 < spec.domains[d1].length; v1++)
              for (let v2 = 0; v2 < spec.domains[d2].length; v2++) this.add(u, d1, v1, d2, v2);
    });
    this.buildLines();
    if (spec.additiveTime)
      for (const month of spec.months ?? []) {
        const units: number[] = [];
        // A month's own unit is absent where quarters are the finest: it counts in its quarter and year.
        const quarter = `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
        for (const candidate of [month, quarter, month.slice(0, 4)]) {
          const u = this.unitIndex.get(candidate);
          if (u !== undefined && !units.includes(u)) units.push(u);
        }
        this.monthUnits.push(units);
      }
  }

  private add(unit: number, d1: number, v1: number, d2: number, v2: number) {
    const i = this.cells.length;
    this.cells.push({ unit, d1, v1, d2, v2 });
    if (d1 < 0) this.totalAt[unit] = i;
    else if (d2 < 0) {
      this.oneWay[unit] ??= [];
      this.oneWay[unit][d1] ??= [];
      this.oneWay[unit][d1][v1] = i;
    } else {
      this.twoWayAt[unit] ??= [];
      this.twoWayAt[unit][d1] ??= [];
      this.twoWayAt[unit][d1][d2] ??= [];
      this.twoWayAt[unit][d1][d2][v1 * this.spec.domains[d2].length + v2] = i;
    }
    const { dimensions, domains, units } = this.spec;
    const fixed: [string, string][] = [];
    if (d1 >= 0) fixed.push([dimensions[d1], domains[d1][v1]]);
    if (d2 >= 0) fixed.push([dimensions[d2], domains[d2][v2]]);
    this.names.push(cellName(units[unit].id, fixed));
    this.k.push(this.spec.minimumCellSize([d1, d2].filter((d) => d >= 0)));
    this.linesOf.push([]);
  }

  /** The cell at a unit fixing up to two dimensions (given in any order), or undefined. */
  find(unit: number, fixed: readonly (readonly [number, number])[]): number | undefined {
    if (fixed.length === 0) return this.totalAt[unit];
    if (fixed.length === 1) return this.oneWay[unit]?.[fixed[0][0]]?.[fixed[0][1]];
    let [a, b] = fixed;
    if (a[0] > b[0]) [a, b] = [b, a];
    return this.twoWayAt[unit]?.[a[0]]?.[b[0]]?.[a[1] * this.spec.domains[b[0]].length + b[1]];
  }

  private byName?: Map<string, number>;
  cellByName(name: string): number | undefined {
    if (!this.byName) this.byName = new Map(this.names.map((n, i) => [n, i]));
    return this.byName.get(name);
  }

  unitOf(id: string): number | undefined {
    return this.unitIndex.get(id);
  }

  private pushLine(parent: number | undefined, children: (number | undefined)[], time = false) {
    if (parent === undefined || children.some((c) => c === undefined)) return;
    const line = { parent, children: children as number[], time };
    const i = this.lines.length;
    this.lines.push(line);
    this.linesOf[parent].push(i);
    for (const c of line.children) this.linesOf[c].push(i);
  }

  private buildLines() {
    const { dimensions, domains, units } = this.spec;
    const D = dimensions.length;
    const range = (d: number) => domains[d].map((_, v) => v);
    units.forEach((unit, u) => {
      for (let d = 0; d < D; d++)
        this.pushLine(
          this.find(u, []),
          range(d).map((v) => this.find(u, [[d, v]])),
        );
      if (!unit.twoWay) return;
      for (let d1 = 0; d1 < D; d1++)
        for (let d2 = 0; d2 < D; d2++) {
          if (d1 === d2) continue;
          // Along d2, for each category of d1: the row sums to its one-dimension margin.
          for (const v1 of range(d1))
            this.pushLine(
              this.find(u, [[d1, v1]]),
              range(d2).map((v2) =>
                this.find(u, [
                  [d1, v1],
                  [d2, v2],
                ]),
              ),
            );
        }
    });
    if (!this.spec.additiveTime) return;
    // Time: a unit's cells (total and one dimension) are the sums of its sub-units' cells.
    units.forEach((parent, p) => {
      const children = units.map((c, i) => (c.parent === parent.id ? i : -1)).filter((i) => i >= 0);
      if (children.length === 0) return;
      this.pushLine(
        this.find(p, []),
        children.map((c) => this.find(c, [])),
        true,
      );
      for (let d = 0; d < D; d++)
        for (const v of range(d))
          this.pushLine(
            this.find(p, [[d, v]]),
            children.map((c) => this.find(c, [[d, v]])),
            true,
          );
    });
  }

  /**
   * The cells one person with these categories counts in, at a time: a snapshot day's unit (stocks)
   * or a month (flows: the month, its quarter and its year, where present).
   */
  /**
   * Adds w to every cell of a profile in `sum` (a scratch array of the lattice's size), listing each
   * cell it makes non-zero for the first time in `touched` (`seen` marks them): the hot loop of
   * protect.ts, without an array or map per profile.
   */
  accumulate(
    time: number,
    values: readonly number[],
    w: number,
    sum: Int32Array,
    seen: Uint8Array,
    touched: number[],
  ): void {
    const units = this.spec.additiveTime ? this.monthUnits[time] : [time];
    const D = values.length;
    const domains = this.spec.domains;
    for (const u of units) {
      let c = this.totalAt[u];
      sum[c] += w;
      if (!seen[c]) {
        seen[c] = 1;
        touched.push(c);
      }
      const one = this.oneWay[u];
      for (let d = 0; d < D; d++) {
        c = one[d][values[d]];
        sum[c] += w;
        if (!seen[c]) {
          seen[c] = 1;
          touched.push(c);
        }
      }
      const two = this.twoWayAt[u];
      if (two)
        for (let d1 = 0; d1 < D; d1++) {
          const row = two[d1];
          const base = values[d1];
          for (let d2 = d1 + 1; d2 < D; d2++) {
            c = row[d2][base * domains[d2].length + values[d2]];
            sum[c] += w;
            if (!seen[c]) {
              seen[c] = 1;
              touched.push(c);
            }
          }
        }
    }
  }

  cellsOfProfile(time: number, values: readonly number[]): number[] {
    const units = this.spec.additiveTime ? this.monthUnits[time] : [time];
    const D = values.length;
    const out: number[] = [];
    for (const u of units) {
      out.push(this.totalAt[u]);
      const one = this.oneWay[u];
      for (let d = 0; d < D; d++) out.push(one[d][values[d]]);
      const two = this.twoWayAt[u];
      if (two)
        for (let d1 = 0; d1 < D; d1++)
          for (let d2 = d1 + 1; d2 < D; d2++)
            out.push(two[d1][d2][values[d1] * this.spec.domains[d2].length + values[d2]]);
    }
    return out;
  }
}
