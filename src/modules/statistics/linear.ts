/**
 * Which unknowns of a system of linear equations are fixed by it? An attacker who knows every
 * published figure of a table knows each line "children sum to their margin"; a suppressed cell is
 * recomputable exactly when the equations pin it down, whatever the other unknowns are.
 *
 * Reduced row echelon form over the unknowns: an unknown is determined iff it is a pivot whose row
 * holds no free unknown. The tables' coefficients are ±1 and the systems sparse, so rows are maps.
 */
export type Equation = ReadonlyMap<string, number>;

const EPSILON = 1e-9;

export function determinedUnknowns(equations: Iterable<Equation>): Set<string> {
  /** pivot unknown → its row (pivot coefficient 1, no other pivot in it) */
  const pivots = new Map<string, Map<string, number>>();
  /** unknown → pivots whose rows mention it, for eliminating a new pivot from them */
  const mentions = new Map<string, Set<string>>();

  const mention = (unknown: string, pivot: string) => {
    const set = mentions.get(unknown);
    if (set) set.add(pivot);
    else mentions.set(unknown, new Set([pivot]));
  };

  for (const equation of equations) {
    const row = new Map<string, number>();
    for (const [unknown, coefficient] of equation) {
      const pivotRow = pivots.get(unknown);
      if (!pivotRow) {
        row.set(unknown, (row.get(unknown) ?? 0) + coefficient);
        continue;
      }
      for (const [other, c] of pivotRow) row.set(other, (row.get(other) ?? 0) - coefficient * c);
      // the pivot itself cancels: pivotRow holds it with 1, and `coefficient` of it was never added
      row.delete(unknown);
    }
    for (const [unknown, c] of row) if (Math.abs(c) < EPSILON) row.delete(unknown);
    if (row.size === 0) continue;

    const [pivot, pivotCoefficient] = row.entries().next().value as [string, number];
    for (const [unknown, c] of row) row.set(unknown, c / pivotCoefficient);
    // Eliminate the new pivot from the earlier rows, keeping the form reduced.
    for (const holder of [...(mentions.get(pivot) ?? [])]) {
      const holderRow = pivots.get(holder)!;
      const factor = holderRow.get(pivot);
      if (factor === undefined) continue;
      for (const [unknown, c] of row) {
        const next = (holderRow.get(unknown) ?? 0) - factor * c;
        if (Math.abs(next) < EPSILON) holderRow.delete(unknown);
        else {
          holderRow.set(unknown, next);
          mention(unknown, holder);
        }
      }
    }
    mentions.delete(pivot);
    pivots.set(pivot, row);
    for (const unknown of row.keys()) if (unknown !== pivot) mention(unknown, pivot);
  }

  const determined = new Set<string>();
  for (const [pivot, row] of pivots) if (row.size === 1) determined.add(pivot);
  return determined;
}
