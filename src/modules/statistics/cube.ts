import { determinedUnknowns, type Equation } from './linear.js';

/**
 * Statistical disclosure control on a cube: every combination of the asked dimensions' categories
 * and their margins ("*"), for one or more periods.
 *
 * The cube is cut into home tables: the cells that fix exactly the dimensions of an attribute mask
 * (all others "*"), at one time level. A cell's status is decided in its home table only, after the
 * home tables of its margins (fewer dimensions, coarser periods), and depends on nothing else. So the
 * same cell gets the same answer in every query that shows it — asking it through other dimensions,
 * filters or a finer breakdown changes nothing.
 *
 * In a home table:
 * 1. primary suppression: 0 < n < k;
 * 2. a suppressed margin hides its whole line (every child, zeros too): no table below it can then
 *    narrow down the hidden margin, whichever sibling tables an attacker combines;
 * 3. group disclosure: when everybody of a published group falls into one category of an attribute
 *    line ("all of them are geduldet"), that cell and the line's zeros are hidden — zeros are
 *    otherwise published, a zero describes nobody;
 * 4. secondary suppression: no line (children summing to their margin) may hold exactly one unknown;
 *    the next cell to hide is the smallest positive one (least information lost);
 * 5. proof: the home table's equations are solved for every unknown (linear.ts); a cell they pin down
 *    gets a further neighbour hidden, until none is recomputable.
 */
export type CellStatus = 'PUBLISHED' | 'PRIMARY_SUPPRESSED' | 'SECONDARY_SUPPRESSED';

export interface TimeUnit {
  id: string;
  /** 0 year, 1 quarter, 2 month */
  level: number;
  parent?: string;
}

export interface CubeSpec {
  /** Categories of each attribute dimension, in the cube's canonical dimension order. */
  domains: readonly (readonly string[])[];
  units: readonly TimeUnit[];
  /** A unit's figure is the sum of its sub-units' (transitions), or a figure of its own (stocks). */
  additiveTime: boolean;
  /** k for the cells of a home table, by its attribute mask (bit i = dimension i fixed). */
  minimumCellSize: (mask: number) => number;
}

export const MARGIN = -1;

export const cellKey = (unit: string, coords: readonly number[]) => `${unit}|${coords.join(',')}`;

interface Line {
  parent: string;
  children: string[];
  /** Along an attribute dimension (false: months of a quarter, quarters of a year). */
  attribute: boolean;
}

interface HomeTable {
  mask: number;
  units: TimeUnit[];
}

const bitCount = (mask: number) => {
  let n = 0;
  for (let m = mask; m; m >>= 1) n += m & 1;
  return n;
};

/** Home tables in an order where every margin's home comes first. */
export function homeTables(spec: CubeSpec): HomeTable[] {
  const masks = Array.from({ length: 1 << spec.domains.length }, (_, m) => m).sort(
    (a, b) => bitCount(a) - bitCount(b) || a - b,
  );
  const tables: HomeTable[] = [];
  if (spec.additiveTime) {
    const levels = [...new Set(spec.units.map((u) => u.level))].sort((a, b) => a - b);
    for (const level of levels)
      for (const mask of masks) tables.push({ mask, units: spec.units.filter((u) => u.level === level) });
  } else {
    for (const unit of spec.units) for (const mask of masks) tables.push({ mask, units: [unit] });
  }
  return tables;
}

/** Every coordinate vector fixing exactly the mask's dimensions. */
function combinations(spec: CubeSpec, mask: number): number[][] {
  let result: number[][] = [[]];
  spec.domains.forEach((domain, d) => {
    const options = mask & (1 << d) ? domain.map((_, i) => i) : [MARGIN];
    result = result.flatMap((prefix) => options.map((i) => [...prefix, i]));
  });
  return result;
}

function linesOf(spec: CubeSpec, table: HomeTable, combos: number[][]): Line[] {
  const lines: Line[] = [];
  for (const unit of table.units) {
    spec.domains.forEach((domain, d) => {
      if (!(table.mask & (1 << d))) return;
      for (const combo of combos) {
        if (combo[d] !== 0) continue; // one line per parent: start at the first category
        const parentCoords = combo.map((c, i) => (i === d ? MARGIN : c));
        lines.push({
          parent: cellKey(unit.id, parentCoords),
          children: domain.map((_, v) =>
            cellKey(
              unit.id,
              combo.map((c, i) => (i === d ? v : c)),
            ),
          ),
          attribute: true,
        });
      }
    });
  }
  if (spec.additiveTime) {
    const parents = new Set(table.units.map((u) => u.parent).filter((p): p is string => p !== undefined));
    for (const parent of parents) {
      const children = table.units.filter((u) => u.parent === parent);
      for (const combo of combos)
        lines.push({
          parent: cellKey(parent, combo),
          children: children.map((u) => cellKey(u.id, combo)),
          attribute: false,
        });
    }
  }
  return lines;
}

export interface Protection {
  status: Map<string, CellStatus>;
  /** Cells hidden by the group-disclosure rule (their zeros must stay unknown, too). */
  groupHidden: Set<string>;
  /** Home cells the proof step had to hide beyond the line rule (for diagnostics and tests). */
  proofRounds: number;
}

/**
 * Decides every cell of the cube. `counts` holds n per cell key (absent = 0), margins included.
 */
export function protect(spec: CubeSpec, counts: ReadonlyMap<string, number>): Protection {
  const status = new Map<string, CellStatus>();
  const n = (key: string) => counts.get(key) ?? 0;
  const hidden = (key: string) => status.get(key) !== 'PUBLISHED';
  const groupHidden = new Set<string>();
  let proofRounds = 0;

  for (const table of homeTables(spec)) {
    const k = spec.minimumCellSize(table.mask);
    const combos = combinations(spec, table.mask);
    const cells = table.units.flatMap((u) => combos.map((c) => cellKey(u.id, c)));
    for (const cell of cells) {
      const value = n(cell);
      status.set(cell, value > 0 && value < k ? 'PRIMARY_SUPPRESSED' : 'PUBLISHED');
    }
    const lines = linesOf(spec, table, combos);
    const linesOfCell = new Map<string, Line[]>();
    for (const line of lines)
      for (const child of line.children) {
        const list = linesOfCell.get(child);
        if (list) list.push(line);
        else linesOfCell.set(child, [line]);
      }
    const hide = (cell: string) => {
      if (status.get(cell) !== 'PUBLISHED') return false;
      status.set(cell, 'SECONDARY_SUPPRESSED');
      return true;
    };
    /** The published child that costs least to hide: smallest positive count, then a zero. */
    const cheapest = (candidates: Iterable<string>): string | undefined => {
      let best: string | undefined;
      for (const c of candidates) {
        if (hidden(c)) continue;
        const rank = n(c) > 0 ? n(c) : Number.MAX_SAFE_INTEGER;
        if (best === undefined || rank < (n(best) > 0 ? n(best) : Number.MAX_SAFE_INTEGER)) best = c;
      }
      return best;
    };

    // 3. group disclosure (margins are final, so once is enough)
    for (const line of lines) {
      if (!line.attribute || line.children.length < 2 || hidden(line.parent) || n(line.parent) === 0)
        continue;
      const nonZero = line.children.filter((c) => n(c) > 0);
      if (nonZero.length !== 1) continue;
      for (const c of line.children) {
        hide(c);
        groupHidden.add(c);
      }
    }

    // 2. + 4. to a fixed point
    const lineRule = () => {
      let changed = true;
      while (changed) {
        changed = false;
        for (const line of lines) {
          if (hidden(line.parent)) {
            for (const c of line.children) changed = hide(c) || changed;
            continue;
          }
          const unknown = line.children.filter(hidden);
          // One unknown is recomputable; unknowns that sum to 0 are all 0 (counts are never negative),
          // which must not tell that nobody else is in a group-disclosure line.
          const zeroSum = unknown.every((c) => n(c) === 0) && unknown.some((c) => groupHidden.has(c));
          if (unknown.length !== 1 && !zeroSum) continue;
          const next = cheapest(line.children);
          if (next) changed = hide(next) || changed;
        }
      }
    };
    lineRule();

    // 5. proof by solving; hide a neighbour of every pinned cell until nothing is pinned
    for (let round = 0; ; round++) {
      const pinned = pinnedCells(lines, hidden, n);
      if (pinned.size === 0) break;
      proofRounds++;
      let changed = false;
      for (const cell of pinned) {
        // A pinned home cell: hide another cell of its lines. A pinned margin: its children are all
        // hidden already, so widen their other lines.
        const around = linesOfCell.get(cell) ?? lines.filter((l) => l.parent === cell);
        const neighbours = linesOfCell.has(cell)
          ? around.flatMap((l) => l.children)
          : around.flatMap((l) =>
              l.children.flatMap((c) => (linesOfCell.get(c) ?? []).flatMap((x) => x.children)),
            );
        const next = cheapest(neighbours);
        if (next) changed = hide(next) || changed;
      }
      if (!changed || round > 50) {
        // Nothing left to hide next to them: hide the whole home table. What may still be pinned then
        // equals a published margin (a line with a single positive cell), which tells nothing new.
        for (const cell of cells) hide(cell);
        lineRule();
        break;
      }
      lineRule();
    }
  }
  return { status, groupHidden, proofRounds };
}

/**
 * Suppressed positive cells (home or margin) that the home table's published figures pin down.
 * Hidden zeros count as known: a zero can only grow, so a trade through it may be one-sided. Every
 * unknown left free then moves with positive cells only — a little up and a little down, so no
 * bound from non-negativity pins it either.
 */
function pinnedCells(
  lines: readonly Line[],
  hidden: (key: string) => boolean,
  n: (key: string) => number,
): Set<string> {
  const unknown = (key: string) => hidden(key) && n(key) > 0;
  const equations: Equation[] = [];
  for (const line of lines) {
    const equation = new Map<string, number>();
    for (const c of line.children) if (unknown(c)) equation.set(c, 1);
    if (unknown(line.parent)) equation.set(line.parent, -1);
    if (equation.size > 0) equations.push(equation);
  }
  return determinedUnknowns(equations);
}
