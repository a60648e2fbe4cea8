import * as highsModule from 'highs';

/** "These cells add up to that one" — what an attacker reads off tables with margins. */
export interface Relation {
  parent: string;
  children: readonly string[];
}

export interface Range {
  min: number;
  max: number;
}

interface Solver {
  solve(lp: string): { Status: string; ObjectiveValue: number };
}
// The package's CJS/ESM typings disagree under NodeNext; the runtime default export is the loader.
const loadHighs = ((highsModule as unknown as { default?: unknown }).default ??
  highsModule) as () => Promise<Solver>;
let highs: Solver | undefined;

/**
 * The attacker's best effort: every published figure is known, every relation holds, counts are
 * non-negative. For each target, the smallest and largest value the figures allow (linear programs,
 * solved with HiGHS). A target whose range is a single value is recomputable.
 */
export async function feasibleRanges(
  relations: readonly Relation[],
  /** A published figure, or the interval a rounded one stands for. */
  known: ReadonlyMap<string, number | Range>,
  targets: readonly string[],
): Promise<Map<string, Range>> {
  highs ??= await loadHighs();
  const names = new Map<string, string>();
  const variable = (cell: string) => {
    const name = names.get(cell) ?? `x${names.size}`;
    names.set(cell, name);
    return name;
  };
  const constraints: string[] = [];
  relations.forEach((relation, i) => {
    let constant = 0;
    const terms: string[] = [];
    const term = (cell: string, sign: number) => {
      const value = known.get(cell);
      if (typeof value === 'number') constant += sign * value;
      else terms.push(`${sign > 0 ? '+' : '-'} ${variable(cell)}`);
    };
    for (const c of relation.children) term(c, 1);
    term(relation.parent, -1);
    if (terms.length > 0) constraints.push(` r${i}: ${terms.join(' ')} = ${-constant}`);
  });
  const bounds = [...known]
    .filter((entry): entry is [string, Range] => typeof entry[1] !== 'number' && names.has(entry[0]))
    .map(([cell, r]) => ` ${r.min} <= ${variable(cell)} <= ${r.max}`);
  const ranges = new Map<string, Range>();
  for (const target of targets) {
    if (!names.has(target)) continue; // in no relation: nothing to recompute it from
    const x = variable(target);
    const solve = (sense: 'Minimize' | 'Maximize') => {
      const lp = `${sense}\n obj: ${x}\nSubject To\n${constraints.join('\n')}\n c_target: ${x} >= 0\nBounds\n${bounds.join('\n')}\nEnd\n`;
      const result = highs!.solve(lp);
      if (result.Status === 'Unbounded') return Number.POSITIVE_INFINITY;
      if (result.Status !== 'Optimal') throw new Error(`attack LP: ${result.Status}`);
      return result.ObjectiveValue;
    };
    ranges.set(target, { min: solve('Minimize'), max: solve('Maximize') });
  }
  return ranges;
}

/** Targets that the figures pin to one whole number (LP bounds rounded inwards). */
export function recomputable(ranges: ReadonlyMap<string, Range>): string[] {
  return [...ranges]
    .filter(([, r]) => Math.floor(r.max + 1e-6) <= Math.ceil(r.min - 1e-6))
    .map(([cell]) => cell);
}
