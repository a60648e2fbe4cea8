import { describe, expect, it } from 'vitest';
import {
  type CubeSpec,
  cellKey,
  homeTables,
  MARGIN,
  protect,
  type TimeUnit,
} from '../../src/modules/statistics/cube.js';
import { determinedUnknowns } from '../../src/modules/statistics/linear.js';
import { feasibleRanges, type Relation, recomputable } from '../helpers/attack.js';

/** A small deterministic generator, so that a failing cube can be reproduced. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const YEAR: TimeUnit[] = [
  { id: 'Y', level: 0 },
  ...[1, 2, 3, 4].map((q) => ({ id: `Q${q}`, level: 1, parent: 'Y' })),
];

/** Microdata → counts for every cell of the cube (margins included), as GROUP BY CUBE would give. */
function countCube(spec: CubeSpec, records: { coords: number[]; unit: string }[]) {
  const counts = new Map<string, number>();
  const units = new Map(spec.units.map((u) => [u.id, u]));
  for (const r of records) {
    const chain: string[] = [];
    for (let u: TimeUnit | undefined = units.get(r.unit); u; u = u.parent ? units.get(u.parent) : undefined)
      chain.push(u.id);
    for (let mask = 0; mask < 1 << spec.domains.length; mask++) {
      const coords = r.coords.map((c, d) => (mask & (1 << d) ? c : MARGIN));
      for (const unit of chain) {
        const key = cellKey(unit, coords);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return counts;
}

/** Every relation of the cube: what all possible queries together reveal. */
function allRelations(spec: CubeSpec): Relation[] {
  const relations: Relation[] = [];
  for (const table of homeTables(spec)) {
    let combos: number[][] = [[]];
    spec.domains.forEach((domain, d) => {
      const options = table.mask & (1 << d) ? domain.map((_, i) => i) : [MARGIN];
      combos = combos.flatMap((p) => options.map((i) => [...p, i]));
    });
    for (const unit of table.units) {
      spec.domains.forEach((domain, d) => {
        if (!(table.mask & (1 << d))) return;
        for (const combo of combos.filter((c) => c[d] === 0))
          relations.push({
            parent: cellKey(
              unit.id,
              combo.map((c, i) => (i === d ? MARGIN : c)),
            ),
            children: domain.map((_, v) =>
              cellKey(
                unit.id,
                combo.map((c, i) => (i === d ? v : c)),
              ),
            ),
          });
      });
    }
    if (spec.additiveTime && table.units[0]?.parent)
      for (const combo of combos)
        relations.push({
          parent: cellKey(table.units[0].parent, combo),
          children: table.units.map((u) => cellKey(u.id, combo)),
        });
  }
  return relations;
}

async function attack(spec: CubeSpec, counts: Map<string, number>, statusAware = false) {
  const { status, groupHidden } = protect(spec, counts);
  // A status-aware attacker also knows what the labels say: primary 1…k−1, a positive secondary ≥ k.
  const known = new Map<string, number | { min: number; max: number }>();
  const hidden: string[] = [];
  const kOf = (cell: string) =>
    spec.minimumCellSize(
      cell
        .split('|')[1]
        .split(',')
        .reduce((m, c, i) => (c !== '' && Number(c) >= 0 ? m | (1 << i) : m), 0),
    );
  for (const [cell, s] of status) {
    if (s === 'PUBLISHED') known.set(cell, counts.get(cell) ?? 0);
    else {
      hidden.push(cell);
      if (!statusAware) continue;
      if (s === 'PRIMARY_SUPPRESSED') known.set(cell, { min: 1, max: kOf(cell) - 1 });
      else if ((counts.get(cell) ?? 0) > 0) known.set(cell, { min: kOf(cell), max: 1e9 });
    }
  }
  const ranges = await feasibleRanges(allRelations(spec), known, hidden);
  const pinned = recomputable(ranges);
  // A hidden zero that the figures pin to 0 says what a published zero says — unless it hides that a
  // whole group shares one category.
  const revealing = pinned.filter((c) => (counts.get(c) ?? 0) > 0 || groupHidden.has(c));
  return { status, hidden, ranges, pinned, revealing, groupHidden };
}

describe('determinedUnknowns', () => {
  it('finds what a system pins down and what it leaves free', () => {
    // a + b = 5 (known), b + c = 4, c = d  → nothing pinned; add c = 1 → all pinned
    const free = determinedUnknowns([
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
      new Map([
        ['b', 1],
        ['c', 1],
      ]),
      new Map([
        ['c', 1],
        ['d', -1],
      ]),
    ]);
    expect([...free]).toEqual([]);
    const pinned = determinedUnknowns([
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
      new Map([
        ['b', 1],
        ['c', 1],
      ]),
      new Map([['c', 1]]),
    ]);
    expect([...pinned].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('protect (disclosure control on a cube)', () => {
  it('suppresses 0 < n < k, keeps zeros and big cells, and hides a partner for every hidden cell', async () => {
    const spec: CubeSpec = {
      domains: [
        ['A', 'B', 'C'],
        ['x', 'y', 'z'],
      ],
      units: [{ id: 'Y', level: 0 }],
      additiveTime: false,
      minimumCellSize: () => 3,
    };
    // rows A: 10 2 7 | B: 6 8 9 | C: 0 5 4
    const grid = [
      [10, 2, 7],
      [6, 8, 9],
      [0, 5, 4],
    ];
    const records = grid.flatMap((row, a) =>
      row.flatMap((count, b) => Array.from({ length: count }, () => ({ coords: [a, b], unit: 'Y' }))),
    );
    const counts = countCube(spec, records);
    const { status, revealing, ranges } = await attack(spec, counts);
    expect(status.get(cellKey('Y', [0, 1]))).toBe('PRIMARY_SUPPRESSED');
    expect(status.get(cellKey('Y', [2, 0]))).toBe('PUBLISHED'); // a zero describes nobody
    expect(status.get(cellKey('Y', [MARGIN, MARGIN]))).toBe('PUBLISHED');
    const secondary = [...status].filter(([, s]) => s === 'SECONDARY_SUPPRESSED');
    expect(secondary.length).toBeGreaterThanOrEqual(3); // a 2×2 rectangle at least
    expect(revealing).toEqual([]);
    const cell = ranges.get(cellKey('Y', [0, 1]))!;
    expect(cell.max - cell.min).toBeGreaterThanOrEqual(2);
  });

  it('hides a line where everybody falls into one category (group disclosure)', async () => {
    const spec: CubeSpec = {
      domains: [
        ['GN', 'SY'],
        ['DULDUNG', 'GESTATTUNG', 'AE'],
      ],
      units: [{ id: 'Y', level: 0 }],
      additiveTime: false,
      minimumCellSize: () => 3,
    };
    const grid = [
      [9, 0, 0], // all nine GN are geduldet
      [4, 6, 5],
    ];
    const records = grid.flatMap((row, a) =>
      row.flatMap((count, b) => Array.from({ length: count }, () => ({ coords: [a, b], unit: 'Y' }))),
    );
    const counts = countCube(spec, records);
    const { status, revealing } = await attack(spec, counts);
    expect(revealing).toEqual([]);
    expect(status.get(cellKey('Y', [0, 0]))).toBe('SECONDARY_SUPPRESSED');
    expect(status.get(cellKey('Y', [0, 1]))).toBe('SECONDARY_SUPPRESSED');
    expect(status.get(cellKey('Y', [0, MARGIN]))).toBe('PUBLISHED');
  });

  it('leaves no hidden cell recomputable across all tables of random cubes (2 and 3 dimensions, periods)', async () => {
    let cubes = 0;
    let hiddenCells = 0;
    const failures: string[] = [];
    let groupZeros = 0;
    let awarePinned = 0;
    let hiddenPositive = 0;
    let groupZerosPinned = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const next = random(seed);
      const dims = seed % 3 === 0 ? 3 : 2;
      const domains = Array.from({ length: dims }, (_, d) =>
        Array.from({ length: 2 + ((seed + d) % 4) }, (_, i) => `v${i}`),
      );
      const additive = seed % 2 === 0;
      const spec: CubeSpec = {
        domains,
        units: additive ? YEAR : [{ id: 'Y', level: 0 }],
        additiveTime: additive,
        minimumCellSize: (mask) => (mask === 3 ? 5 : 3),
      };
      const size = 20 + Math.floor(next() * 120);
      const records = Array.from({ length: size }, () => ({
        // skewed, so that small cells are common
        coords: domains.map((d) => Math.floor(next() ** 2 * d.length)),
        unit: additive ? `Q${1 + Math.floor(next() * 4)}` : 'Y',
      }));
      const counts = countCube(spec, records);
      const { hidden, revealing, groupHidden } = await attack(spec, counts);
      const aware = await attack(spec, counts, true);
      awarePinned += aware.revealing.filter((c) => (counts.get(c) ?? 0) > 0).length;
      hiddenPositive += hidden.filter((c) => (counts.get(c) ?? 0) > 0).length;
      for (const c of revealing)
        if ((counts.get(c) ?? 0) > 0) failures.push(`seed ${seed}: ${c}=${counts.get(c)}`);
        else groupZerosPinned++;
      groupZeros += [...groupHidden].filter((c) => (counts.get(c) ?? 0) === 0).length;
      cubes++;
      hiddenCells += hidden.length;
    }
    // No person-count is ever recomputable. The group rule's hidden zeros are best effort: the proof
    // step's linear algebra does not see bounds that non-negativity gives across several tables
    // (a known limit, measured and printed here: 1 of 22 in these cubes).
    expect(failures).toEqual([]);
    // Known limit (README): the PRIMARY/SECONDARY labels (a contract of the API) add bounds — primary
    // 1…k−1, secondary 0 or ≥ k — under which some hidden counts become exact. Measured, not hidden.
    console.info(
      `status-aware attacker: ${awarePinned} of ${hiddenPositive} hidden positive counts pinned in these cubes`,
    );
    console.info(`group-disclosure zeros pinned by non-negativity: ${groupZerosPinned} of ${groupZeros}`);
    expect(groupZeros).toBeGreaterThan(0);
    expect(cubes).toBe(8);
    expect(hiddenCells).toBeGreaterThan(50);
  });
});
