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

// ---- The whole-harvest attack (issue 18, point 4) ---------------------------------------------------

type Model = ReturnType<Highs['createModel']>;
interface Highs {
  createModel(source?: unknown): {
    options: { set(values: Record<string, boolean | number | string>): unknown };
    run(): unknown;
    getModelStatus(): number;
    getObjectiveValue(): number;
    getSolution(): { colValue: Float64Array };
    changeColCost(index: number, cost: number): unknown;
    changeColsCost(selection: { kind: 'range'; from: number; to: number }, costs: Float64Array): unknown;
    changeObjectiveSense(sense: unknown): unknown;
    dispose(): void;
  };
  constants: { objectiveSense: { minimize: unknown; maximize: unknown } };
  infinity: number;
}
let persistent: Highs | undefined;
const OPTIMAL = 7;
const INFEASIBLE = 8;
const UNBOUNDED = 10;
const EPS = 1e-6;

export interface AttackTarget {
  /** The true count (scoring, and a feasible point every range contains). */
  n: number;
  /** Width of the LP range that settles the target without further solving (k + 1 for small cells). */
  threshold: number;
}

export interface AttackInput {
  relations: readonly Relation[];
  /** What the attacker knows of each variable (exact figures: min = max). Others: 0 … ∞. */
  bounds: ReadonlyMap<string, Range>;
  /** "0 or within [min, max]" (semi-integer): a published positive count is ≥ k; today's SECONDARY label. */
  semi?: ReadonlyMap<string, Range>;
  targets: ReadonlyMap<string, AttackTarget>;
  /** Integer programs for targets whose LP range stays below their threshold, within this budget. */
  milpBudgetMs?: number;
  milpTimeLimitSeconds?: number;
  /** Stop solving after this long; targets not reached are counted as unresolved. */
  deadlineMs?: number;
  /** Solve only components that contain one of these variables (the others are known unchanged). */
  focus?: ReadonlySet<string>;
}

export interface TargetRange extends Range {
  /** isolated: in no relation; screened: feasible points of at least `threshold` apart were found;
   *  lp: exact LP bounds (rounded inwards); milp: exact integer bounds. */
  how: 'isolated' | 'screened' | 'lp' | 'milp';
}

export interface AttackResult {
  ranges: Map<string, TargetRange>;
  components: number;
  largestComponent: number;
  lpSolves: number;
  milpSolves: number;
  /** Components the figures make infeasible: the attacker's model of the method is wrong there. */
  infeasible: number;
  /** Relations whose every cell is published and that do not add up. */
  broken: string[];
  /** Targets the LP left below their threshold (MILP candidates; the budget may stop before all). */
  narrowAfterLp: number;
  /** Targets left unsolved at the deadline. */
  unresolved: number;
  /** Targets outside the focus (their components are known unchanged: attacked elsewhere). */
  outsideFocus: number;
  /** Components actually solved. */
  solvedComponents: number;
  lpMillis: number;
  millis: number;
}

/**
 * For every target, the smallest and largest value the published figures allow: all relations,
 * non-negativity, the known intervals, integrality. Per connected component of the unknowns, one
 * persistent HiGHS model (warm starts between objectives). Screening first: every LP optimum is a
 * feasible point, and a target whose feasible points already lie `threshold` apart needs no solve of
 * its own. Then exact LP min/max for the rest, then MILP (integer, semi-integer) for those still narrow.
 */
export async function attack(input: AttackInput): Promise<AttackResult> {
  const started = performance.now();
  persistent ??= (await loadHighs()) as unknown as Highs;
  const highs = persistent;
  const fixed = new Map<string, number>();
  for (const [v, r] of input.bounds) if (r.min === r.max) fixed.set(v, r.min);

  // Rows over the unknowns, constants moved to the right.
  const rows: { vars: string[]; coefs: number[]; rhs: number; focus: boolean }[] = [];
  const broken: string[] = [];
  for (const relation of input.relations) {
    const terms = new Map<string, number>();
    let rhs = 0;
    const add = (cell: string, sign: number) => {
      const value = fixed.get(cell);
      if (value !== undefined) rhs -= sign * value;
      else terms.set(cell, (terms.get(cell) ?? 0) + sign);
    };
    for (const c of relation.children) add(c, 1);
    add(relation.parent, -1);
    for (const [v, c] of terms) if (c === 0) terms.delete(v);
    if (terms.size === 0) {
      if (Math.abs(rhs) > EPS)
        broken.push(`${relation.parent} ≠ Σ ${relation.children.length} cells (off by ${-rhs})`);
      continue;
    }
    // A row stands in the focus when any of its cells does, known or not.
    const focus = !!input.focus && [relation.parent, ...relation.children].some((c) => input.focus!.has(c));
    rows.push({ vars: [...terms.keys()], coefs: [...terms.values()], rhs, focus });
  }

  // Connected components of the unknowns.
  const parent = new Map<string, string>();
  const find = (v: string): string => {
    let root = v;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let x = v;
    while (parent.get(x) !== root) {
      const next = parent.get(x)!;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  for (const row of rows) {
    for (const v of row.vars) if (!parent.has(v)) parent.set(v, v);
    const r0 = find(row.vars[0]);
    for (const v of row.vars.slice(1)) {
      const r = find(v);
      if (r !== r0) parent.set(r, r0);
    }
  }
  const componentRows = new Map<string, typeof rows>();
  for (const row of rows) {
    const root = find(row.vars[0]);
    const list = componentRows.get(root) ?? [];
    list.push(row);
    componentRows.set(root, list);
  }

  const ranges = new Map<string, TargetRange>();
  const boundOf = (v: string): Range => {
    const b = input.bounds.get(v) ?? { min: 0, max: Number.POSITIVE_INFINITY };
    const semi = input.semi?.get(v);
    return { min: Math.max(0, b.min), max: Math.min(b.max, semi?.max ?? Number.POSITIVE_INFINITY) };
  };
  const byComponent = new Map<string, string[]>();
  for (const [v] of input.targets) {
    const known = fixed.get(v);
    if (known !== undefined) {
      ranges.set(v, { min: known, max: known, how: 'isolated' });
      continue;
    }
    if (!parent.has(v)) {
      const b = boundOf(v);
      ranges.set(v, { min: Math.ceil(b.min - EPS), max: Math.floor(b.max + EPS), how: 'isolated' });
      continue;
    }
    const root = find(v);
    const list = byComponent.get(root) ?? [];
    list.push(v);
    byComponent.set(root, list);
  }

  let lpSolves = 0;
  let milpSolves = 0;
  let infeasible = 0;
  let largestComponent = 0;
  const narrow: { root: string; targets: string[] }[] = [];
  const models = new Map<string, { build: (integer: boolean) => Model; index: Map<string, number> }>();

  const deadline = started + (input.deadlineMs ?? Number.POSITIVE_INFINITY);
  let unresolved = 0;
  let outsideFocus = 0;
  let solvedComponents = 0;
  // Small cells first (they decide "narrowed below k"), smaller components first.
  const order = [...byComponent].sort(
    (a, b) => componentRows.get(a[0])!.length - componentRows.get(b[0])!.length,
  );
  for (const [, targets] of order)
    targets.sort((a, b) => input.targets.get(b)!.threshold - input.targets.get(a)!.threshold);
  for (const [root, targets] of order) {
    const compRows = componentRows.get(root)!;
    if (input.focus && !compRows.some((r) => r.focus || r.vars.some((v) => input.focus!.has(v)))) {
      outsideFocus += targets.length;
      continue;
    }
    if (performance.now() > deadline) {
      unresolved += targets.length;
      continue;
    }
    solvedComponents++;
    const index = new Map<string, number>();
    for (const row of compRows) for (const v of row.vars) if (!index.has(v)) index.set(v, index.size);
    largestComponent = Math.max(largestComponent, index.size);
    const names = [...index.keys()];
    const build = (integer: boolean): Model => {
      const starts = [0];
      const indices: number[] = [];
      const values: number[] = [];
      for (const row of compRows) {
        row.vars.forEach((v, i) => {
          indices.push(index.get(v)!);
          values.push(row.coefs[i]);
        });
        starts.push(indices.length);
      }
      const lower = names.map((v) => boundOf(v).min);
      const upper = names.map((v) => {
        const max = boundOf(v).max;
        return Number.isFinite(max) ? max : highs.infinity;
      });
      const integrality = names.map((v, i) => {
        if (!integer) return 0;
        const semi = input.semi?.get(v);
        if (semi && lower[i] <= 0 && Number.isFinite(upper[i])) {
          lower[i] = Math.max(semi.min, 0);
          return 3; // semi-integer: 0 or lower … upper
        }
        return 1;
      });
      const model = highs.createModel({
        numCols: names.length,
        numRows: compRows.length,
        colCost: new Float64Array(names.length),
        colLower: lower,
        colUpper: upper,
        rowLower: compRows.map((r) => r.rhs),
        rowUpper: compRows.map((r) => r.rhs),
        matrix: { format: 'csr', numRows: compRows.length, numCols: names.length, starts, indices, values },
        ...(integer ? { integrality } : {}),
      });
      // Costs change between solves and nothing else: the simplex restarts from the last basis.
      model.options.set(
        integer ? { output_flag: false } : { output_flag: false, presolve: 'off', solver: 'simplex' },
      );
      return model;
    };
    models.set(root, { build, index });

    const model = build(false);
    try {
      const lo = new Map<string, number>();
      const hi = new Map<string, number>();
      for (const t of targets) {
        const n = input.targets.get(t)!.n;
        lo.set(t, n);
        hi.set(t, n);
      }
      const open = new Set(targets);
      const observe = () => {
        const x = model.getSolution().colValue;
        for (const t of [...open]) {
          const value = x[index.get(t)!];
          if (value < lo.get(t)!) lo.set(t, value);
          if (value > hi.get(t)!) hi.set(t, value);
          if (hi.get(t)! - lo.get(t)! >= input.targets.get(t)!.threshold - EPS) open.delete(t);
        }
      };
      const solve = (sense: 'min' | 'max') => {
        model.changeObjectiveSense(
          sense === 'min' ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize,
        );
        model.run();
        lpSolves++;
        return model.getModelStatus();
      };
      let feasible = true;
      // Screening: push all open targets up together, then down together (weights vary by round).
      for (let round = 0; round < 8 && open.size > 0 && feasible; round++) {
        const before = open.size;
        const costs = new Float64Array(names.length);
        for (const t of open)
          costs[index.get(t)!] = round === 0 ? 1 : 1 + ((index.get(t)! * 7919 + round * 104729) % 17);
        model.changeColsCost({ kind: 'range', from: 0, to: names.length - 1 }, costs);
        for (const sense of ['max', 'min'] as const) {
          const status = solve(sense);
          if (status === INFEASIBLE) feasible = false;
          else if (status === OPTIMAL) observe();
        }
        if (open.size > before * 0.97) break;
      }
      if (!feasible) {
        infeasible++;
        continue;
      }
      model.changeColsCost({ kind: 'range', from: 0, to: names.length - 1 }, new Float64Array(names.length));
      for (const t of targets) {
        if (!open.has(t)) {
          ranges.set(t, { min: +lo.get(t)!.toFixed(6), max: +hi.get(t)!.toFixed(6), how: 'screened' });
          continue;
        }
        if (performance.now() > deadline) {
          unresolved++;
          continue;
        }
        const i = index.get(t)!;
        model.changeColCost(i, 1);
        let max = Number.POSITIVE_INFINITY;
        let min = 0;
        const sMax = solve('max');
        if (sMax === OPTIMAL) {
          max = model.getObjectiveValue();
          observe();
        } else if (sMax !== UNBOUNDED) max = hi.get(t)!;
        if (!open.has(t)) {
          model.changeColCost(i, 0);
          ranges.set(t, { min: +lo.get(t)!.toFixed(6), max: +hi.get(t)!.toFixed(6), how: 'screened' });
          continue;
        }
        const sMin = solve('min');
        min = sMin === OPTIMAL ? model.getObjectiveValue() : lo.get(t)!;
        if (sMin === OPTIMAL) observe();
        model.changeColCost(i, 0);
        const range: TargetRange = { min: Math.ceil(min - EPS), max: Math.floor(max + EPS), how: 'lp' };
        ranges.set(t, range);
        if (range.max - range.min < input.targets.get(t)!.threshold && range.max > range.min)
          narrow.push({ root, targets: [t] });
      }
    } finally {
      model.dispose();
    }
  }

  // Integer programs for what the LP leaves narrow (pinned LP ranges are pinned for integers too).
  const budget = input.milpBudgetMs ?? 8_000;
  const milpStart = performance.now();
  const lpMillis = milpStart - started;
  const grouped = new Map<string, string[]>();
  for (const { root, targets } of narrow) grouped.set(root, [...(grouped.get(root) ?? []), ...targets]);
  for (const [root, targets] of grouped) {
    if (performance.now() - milpStart > budget) break;
    const { build, index } = models.get(root)!;
    const model = build(true);
    try {
      model.options.set({ time_limit: input.milpTimeLimitSeconds ?? 1, mip_rel_gap: 0 });
      for (const t of targets) {
        if (performance.now() - milpStart > budget) break;
        const i = index.get(t)!;
        model.changeColCost(i, 1);
        const bound = (sense: 'min' | 'max') => {
          model.changeObjectiveSense(
            sense === 'min'
              ? highs.constants.objectiveSense.minimize
              : highs.constants.objectiveSense.maximize,
          );
          model.run();
          milpSolves++;
          return model.getModelStatus() === OPTIMAL ? model.getObjectiveValue() : undefined;
        };
        const max = bound('max');
        const min = bound('min');
        model.changeColCost(i, 0);
        const lp = ranges.get(t)!;
        if (max !== undefined && min !== undefined)
          ranges.set(t, { min: Math.round(min), max: Math.round(max), how: 'milp' });
        else ranges.set(t, lp);
      }
    } finally {
      model.dispose();
    }
  }

  return {
    ranges,
    components: byComponent.size,
    largestComponent,
    lpSolves,
    milpSolves,
    infeasible,
    broken,
    narrowAfterLp: narrow.length,
    unresolved,
    outsideFocus,
    solvedComponents,
    lpMillis,
    millis: performance.now() - started,
  };
}
