import { describe, expect, it } from 'vitest';
import { Lattice, type LatticeSpec, type LatticeUnit } from '../../src/modules/statistics/lattice.js';
import { protect, publishedRanges, verify } from '../../src/modules/statistics/protect.js';
import { feasibleRanges, type Range, type Relation } from '../helpers/attack.js';

/** A small deterministic generator, so that a failing lattice can be reproduced. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);

function flowUnits(finest: 'QUARTER' | 'MONTH'): LatticeUnit[] {
  const units: LatticeUnit[] = [{ id: '2026', twoWay: true }];
  for (let q = 1; q <= 4; q++) units.push({ id: `2026-Q${q}`, parent: '2026', twoWay: false });
  if (finest === 'MONTH')
    for (const m of MONTHS)
      units.push({ id: m, parent: `2026-Q${Math.ceil(Number(m.slice(5)) / 3)}`, twoWay: false });
  return units;
}

function stockUnits(days: number): LatticeUnit[] {
  return Array.from({ length: days }, (_, i) => ({ id: `day${i}`, twoWay: i === days - 1 }));
}

interface Scenario {
  spec: LatticeSpec;
  people: { t: number; v: number[] }[];
}

/** Skewed microdata: a few large categories and long tails, as case data are. */
function scenario(
  seed: number,
  options: { flows: boolean; people: number; dims: number[]; k?: number },
): Scenario {
  const rnd = random(seed);
  const domains = options.dims.map((size, d) => Array.from({ length: size }, (_, v) => `d${d}v${v}`));
  const units = options.flows ? flowUnits('MONTH') : stockUnits(4);
  const spec: LatticeSpec = {
    dimensions: domains.map((_, d) => `D${d}`),
    domains,
    units,
    additiveTime: options.flows,
    months: options.flows ? MONTHS : undefined,
    minimumCellSize: (fixed) =>
      fixed.includes(0) && fixed.includes(1) ? (options.k ?? 3) + 2 : (options.k ?? 3),
  };
  const skewed = (size: number) => Math.min(size - 1, Math.floor(size * rnd() ** 2.2));
  const people = Array.from({ length: options.people }, () => ({
    t: options.flows ? Math.floor(rnd() * 12) : Math.floor(rnd() * 4),
    v: options.dims.map(skewed),
  }));
  return { spec, people };
}

function countsOf(lattice: Lattice, people: Scenario['people']): Int32Array {
  const counts = new Int32Array(lattice.cells.length);
  for (const p of people) {
    // A stock person is in the population of every snapshot from its day on (here: its day only).
    for (const c of lattice.cellsOfProfile(p.t, p.v)) counts[c]++;
  }
  return counts;
}

/** The attacker's equations: every line of the lattice. */
function relationsOf(lattice: Lattice): Relation[] {
  return lattice.lines.map((line) => ({
    parent: lattice.names[line.parent],
    children: line.children.map((c) => lattice.names[c]),
  }));
}

function utility(lattice: Lattice, counts: Int32Array, hidden: Uint8Array) {
  let large = 0;
  let published = 0;
  lattice.cells.forEach((cell, c) => {
    if (cell.d2 < 0 || counts[c] < lattice.k[c]) return;
    large++;
    if (!hidden[c]) published++;
  });
  return published / Math.max(1, large);
}

describe('whole-lattice protection', () => {
  const cases = [
    { name: 'flows, months, sparse', seed: 1, flows: true, people: 60, dims: [5, 4, 3] },
    { name: 'flows, months, denser', seed: 2, flows: true, people: 400, dims: [6, 5, 3, 4] },
    { name: 'stocks, four snapshots', seed: 3, flows: false, people: 120, dims: [6, 4, 3] },
    { name: 'stocks, many categories', seed: 4, flows: false, people: 300, dims: [9, 11, 3, 4] },
    { name: 'tiny population', seed: 5, flows: true, people: 4, dims: [3, 3] },
  ];

  for (const c of cases)
    it(`${c.name}: every certificate holds in whole numbers`, () => {
      const { spec, people } = scenario(c.seed, c);
      const lattice = new Lattice(spec);
      const counts = countsOf(lattice, people);
      const protection = protect(lattice, counts);
      const check = verify(lattice, counts, protection);
      expect(check.problems.slice(0, 5)).toEqual([]);
      expect(protection.fallback).toBe(false);
    });

  for (const c of cases.slice(0, 3))
    it(`${c.name}: an LP attacker with every table narrows no small hidden cell below k`, async () => {
      const { spec, people } = scenario(c.seed, c);
      const lattice = new Lattice(spec);
      const counts = countsOf(lattice, people);
      const protection = protect(lattice, counts);
      const known = new Map<string, number | Range>();
      lattice.names.forEach((name, i) => {
        if (!protection.hidden[i]) known.set(name, counts[i]);
      });
      const targets = lattice.names.filter((_, i) => protection.hidden[i] && counts[i] > 0);
      const ranges = await feasibleRanges(relationsOf(lattice), known, targets);
      let narrowest = Number.POSITIVE_INFINITY;
      const narrow: string[] = [];
      for (const name of targets) {
        const i = lattice.cellByName(name)!;
        const r = ranges.get(name)!;
        const width = r.max - r.min;
        if (counts[i] < lattice.k[i]) narrowest = Math.min(narrowest, width);
        const required = protection.need[i];
        if (width < required - 1e-6) narrow.push(`${name}: n ${counts[i]}, ${r.min}…${r.max}`);
      }
      console.log(
        `${c.name}: ${lattice.cells.length} cells, ${targets.length} hidden positive, narrowest small ${narrowest}, ` +
          `2-dim cells n ≥ k published ${(utility(lattice, counts, protection.hidden) * 100).toFixed(1)} %`,
      );
      expect(narrow).toEqual([]);
    });

  it('rounded figures: moves may pass through them within their rounding, and an interval attacker still narrows nothing below k', async () => {
    const { spec, people } = scenario(8, { flows: true, people: 150, dims: [5, 4, 3], k: 5 });
    const lattice = new Lattice(spec);
    const counts = countsOf(lattice, people);
    const protection = protect(lattice, counts, [], { roundingBase: 5 });
    expect(verify(lattice, counts, protection).problems.slice(0, 5)).toEqual([]);
    const { lo, hi } = publishedRanges(lattice, counts, 5);
    const known = new Map<string, number | Range>();
    lattice.names.forEach((name, i) => {
      if (!protection.hidden[i]) known.set(name, lo[i] === hi[i] ? counts[i] : { min: lo[i], max: hi[i] });
    });
    const targets = lattice.names.filter((_, i) => protection.hidden[i] && counts[i] > 0);
    const ranges = await feasibleRanges(relationsOf(lattice), known, targets);
    const narrow = targets.filter((name) => {
      const i = lattice.cellByName(name)!;
      const r = ranges.get(name)!;
      return r.max - r.min < protection.need[i] - 1e-6;
    });
    expect(narrow).toEqual([]);
  });

  it('a forced pattern (the partner tier’s hidden cells) stays hidden and is protected too', () => {
    const { spec, people } = scenario(7, { flows: true, people: 200, dims: [5, 4, 3] });
    const lattice = new Lattice(spec);
    const counts = countsOf(lattice, people);
    const forced = [lattice.find(0, [[0, 0]])!, lattice.find(0, [[1, 1]])!];
    const protection = protect(lattice, counts, forced);
    for (const f of forced) expect(protection.hidden[f]).toBe(1);
    expect(verify(lattice, counts, protection).problems.slice(0, 5)).toEqual([]);
  });

  it('the verifier rejects a certificate that changes a published cell or breaks a line', () => {
    const { spec, people } = scenario(1, { flows: true, people: 60, dims: [5, 4, 3] });
    const lattice = new Lattice(spec);
    const counts = countsOf(lattice, people);
    const protection = protect(lattice, counts);
    const published = protection.hidden.indexOf(0);
    const tampered = { ...protection, moves: [...protection.moves, new Map([[published, 1]])] };
    const problems = verify(lattice, counts, tampered).problems.join('\n');
    expect(problems).toMatch(/changes published/);
    expect(problems).toMatch(/breaks the line/);
  });
});
