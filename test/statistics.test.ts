import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { today } from '../src/domain/calendar.js';
import { Role } from '../src/domain/enums.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { feasibleRanges, type Relation } from './helpers/attack.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

let t: TestHub;
let partner: string;
let coordinator: string;
let caseManager: string;
let db: pg.Client;

/** The statistics' clock: today, until a test moves it into the next release period. */
let clock = new Date();

beforeAll(async () => {
  // The demo seed: 207 cases, reference date 2026-11-01.
  t = await startTestHub('statistics', {
    env: { STATISTICS_UPDATE_INTERVAL_MS: '400' },
    now: () => clock,
  });
  partner = (await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF])).token;
  coordinator = (await tokenFor(t.hub.database.orm, [Role.COORDINATOR])).token;
  caseManager = (await tokenFor(t.hub.database.orm, [Role.CASE_MANAGER])).token;
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

const TABLE = `query($m: StatisticsMeasure!, $s: PathwayStage, $d: [StatisticsDimension!]!, $f: StatisticsFilter, $p: StatisticsPeriod!) {
  caseStatistics(measure: $m, stage: $s, dimensions: $d, filter: $f, period: $p) {
    audience minimumCellSize roundingBase period granularity closed asOf
    suppressedCells
    categories { dimension values }
    total { key value status }
    cells { key value status }
  }
}`;

interface Cell {
  key: string[];
  value: number | null;
  status: string;
}
interface Query {
  m: string;
  s?: string;
  d: string[];
  f?: Record<string, string>;
  p: { year: number; quarter?: number; month?: number; granularity?: string };
}

async function table(q: Query, token?: string) {
  const res = await t.gql<any>(TABLE, q as never, { token });
  if (res.errors) throw Object.assign(new Error(res.errors[0].message), { errors: res.errors });
  return res.data.caseStatistics as { cells: Cell[]; [k: string]: any };
}

async function errorOf(q: Query, token?: string) {
  const res = await t.gql<any>(TABLE, q as never, { token });
  expect(res.data?.caseStatistics ?? null).toBeNull();
  return res.errors![0] as { message: string; extensions: { code: string } };
}

const FILTER_FIELD: Record<string, string> = {
  STAGE: 'stage',
  RESIDENCE_STATUS: 'residenceStatus',
  AGE_BAND: 'ageBand',
  GENDER: 'gender',
  NATIONALITY_GROUP: 'nationalityGroup',
};

/**
 * A cell's identity independent of the query that showed it: measure, period unit and the value of
 * every fixed dimension (asked or filtered). The attacker collects cells from many queries under it.
 */
function canonicalCells(q: Query, result: { cells: Cell[] }) {
  const out = new Map<string, Cell>();
  for (const cell of result.cells) {
    const fixed: Record<string, string> = {};
    for (const [dim, field] of Object.entries(FILTER_FIELD)) if (q.f?.[field]) fixed[dim] = q.f[field];
    let unit = q.p.month
      ? `${q.p.year}-${String(q.p.month).padStart(2, '0')}`
      : q.p.quarter
        ? `${q.p.year}-Q${q.p.quarter}`
        : `${q.p.year}`;
    q.d.forEach((dim, i) => {
      if (dim === 'PERIOD') {
        if (cell.key[i] !== '*') unit = cell.key[i];
      } else if (cell.key[i] !== '*') fixed[dim] = cell.key[i];
    });
    const coords = Object.keys(fixed)
      .sort()
      .map((d) => `${d}=${fixed[d]}`)
      .join(';');
    out.set(`${q.m}:${q.s ?? ''}|${unit}|${coords}`, cell);
  }
  return out;
}

/** The relations an attacker knows between collected cells: children add up to their margin. */
function relationsBetween(cells: Map<string, Cell>, categories: Record<string, string[]>): Relation[] {
  const relations: Relation[] = [];
  for (const id of cells.keys()) {
    const [measure, unit, coords] = id.split('|');
    const fixed = coords ? coords.split(';') : [];
    // along every attribute dimension not yet fixed
    for (const [dim, values] of Object.entries(categories)) {
      if (fixed.some((f) => f.startsWith(`${dim}=`))) continue;
      const children = values.map(
        (v) =>
          `${measure}|${unit}|${[...fixed, `${dim}=${v}`]
            .sort((a, b) => a.split('=')[0].localeCompare(b.split('=')[0]))
            .join(';')}`,
      );
      if (children.some((c) => cells.has(c))) relations.push({ parent: id, children });
    }
    // a flow's year is the sum of its quarters, a quarter of its months
    if (!measure.startsWith('TRANSITIONS')) continue;
    const sub = /^\d{4}$/.test(unit)
      ? [1, 2, 3, 4].map((q) => `${unit}-Q${q}`)
      : /Q\d$/.test(unit)
        ? [0, 1, 2].map(
            (i) => `${unit.slice(0, 4)}-${String((Number(unit.at(-1)) - 1) * 3 + 1 + i).padStart(2, '0')}`,
          )
        : [];
    if (sub.some((u) => cells.has(`${measure}|${u}|${coords}`)))
      relations.push({ parent: id, children: sub.map((u) => `${measure}|${u}|${coords}`) });
  }
  return relations;
}

/** Every hidden cell the collected figures pin to a positive count: must be none. */
async function recovered(cells: Map<string, Cell>, categories: Record<string, string[]>) {
  const known = new Map<string, number | { min: number; max: number }>();
  const hidden: string[] = [];
  for (const [id, cell] of cells) {
    if (cell.status === 'ROUNDED' && cell.value !== null)
      known.set(id, { min: cell.value - 2, max: cell.value + 2 });
    else if (cell.value !== null) known.set(id, cell.value);
    else hidden.push(id);
  }
  const ranges = await feasibleRanges(relationsBetween(cells, categories), known, hidden);
  const pinned = [...ranges].filter(([, r]) => Math.floor(r.max + 1e-6) <= Math.ceil(r.min - 1e-6));
  return {
    hidden: hidden.length,
    recovered: pinned.filter(([, r]) => r.min >= 1 - 1e-6).map(([id, r]) => `${id}=${r.min}`),
  };
}

describe('caseStatistics on the demo data', () => {
  it('answers each audience with its own disclosure rules; the total matches the cases open on the release’s day', async () => {
    const q: Query = { m: 'CASES', d: ['RESIDENCE_STATUS', 'AGE_BAND'], p: { year: 2026 } };
    const pub = await table(q);
    // The open year stands on the last day of the previous month (a monthly release).
    const asOf = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), 0))
      .toISOString()
      .slice(0, 10);
    expect(pub.asOf).toBe(asOf < '2026-12-31' ? asOf : '2026-12-31');
    const open = Number(
      (
        await db.query(
          'select count(*) from case_record where intake_date <= $1 and (closed_on is null or closed_on > $1)',
          [pub.asOf],
        )
      ).rows[0].count,
    );
    const part = await table(q, partner);
    const coord = await table(q, coordinator);
    expect(pub).toMatchObject({ audience: 'PUBLIC', minimumCellSize: 5, roundingBase: 5, period: '2026' });
    expect(part).toMatchObject({ audience: 'PARTNER', minimumCellSize: 3, roundingBase: null });
    expect(coord).toMatchObject({ audience: 'COORDINATOR', minimumCellSize: 3 });
    expect(part.total).toEqual({ key: ['*', '*'], value: open, status: 'PUBLISHED' });
    expect(pub.total).toEqual({ key: ['*', '*'], value: Math.round(open / 5) * 5, status: 'ROUNDED' });
    // 11 statuses × 3 age bands, with margins
    expect(part.cells).toHaveLength(12 * 4);
    expect(part.categories.map((c: any) => c.dimension)).toEqual(['RESIDENCE_STATUS', 'AGE_BAND']);
    for (const table of [pub, part]) {
      const k = table.minimumCellSize;
      for (const cell of table.cells) {
        expect(['PUBLISHED', 'SUPPRESSED', 'ROUNDED']).toContain(cell.status);
        if (cell.status === 'PUBLISHED') expect(cell.value === 0 || (cell.value ?? 0) >= k).toBe(true);
        if (cell.status === 'SUPPRESSED') expect(cell.value).toBeNull();
      }
      expect(table.suppressedCells).toBe(table.cells.filter((c: Cell) => c.status === 'SUPPRESSED').length);
      expect(table.suppressedCells).toBeGreaterThan(0);
    }
    // the partner sees more than the public
    const published = (x: any) => x.cells.filter((c: Cell) => c.value !== null).length;
    expect(published(part)).toBeGreaterThan(published(pub));
  });

  it('counts transitions into a stage, sums them over the year and gives median waiting days to partners', async () => {
    const year = await table(
      { m: 'TRANSITIONS', s: 'AUSBILDUNG', d: ['PERIOD'], p: { year: 2025, granularity: 'QUARTER' } },
      partner,
    );
    const direct = Number(
      (
        await db.query(
          "select count(*) from case_event where kind = 'STAGE_CHANGE' and to_stage = 'AUSBILDUNG' and extract(year from occurred_on) = 2025",
        )
      ).rows[0].count,
    );
    expect(year.total.value ?? direct).toBe(direct);
    expect(year.categories[0].values).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    const median = await table(
      { m: 'MEDIAN_DAYS_TO_STAGE', s: 'AUSBILDUNG', d: [], p: { year: 2025 } },
      partner,
    );
    const expected = Number(
      (
        await db.query(
          `select percentile_disc(0.5) within group (order by e.occurred_on - c.intake_date) as m
           from case_event e join case_record c on c.id = e.case_id
           where e.kind = 'STAGE_CHANGE' and e.to_stage = 'AUSBILDUNG' and extract(year from e.occurred_on) = 2025`,
        )
      ).rows[0].m,
    );
    expect(median.total).toEqual({ key: [], value: Math.round(expected / 7) * 7, status: 'ROUNDED' });
    // the median's cells are hidden exactly where the count's are
    const counts = await table(
      { m: 'TRANSITIONS', s: 'AUSBILDUNG', d: ['AGE_BAND'], p: { year: 2025 } },
      partner,
    );
    const medians = await table(
      { m: 'MEDIAN_DAYS_TO_STAGE', s: 'AUSBILDUNG', d: ['AGE_BAND'], p: { year: 2025 } },
      partner,
    );
    const hidden = (c: Cell) => c.status === 'SUPPRESSED';
    expect(medians.cells.map(hidden)).toEqual(counts.cells.map(hidden));
  });

  it('gives the same cell the same answer whichever filters ask for it', async () => {
    const cross = await table(
      { m: 'CASES', d: ['RESIDENCE_STATUS', 'AGE_BAND'], p: { year: 2026 } },
      partner,
    );
    for (const cell of cross.cells) {
      const [status, age] = cell.key;
      if (status === '*' || age === '*') continue;
      const byFilter = await table(
        { m: 'CASES', d: ['AGE_BAND'], f: { residenceStatus: status }, p: { year: 2026 } },
        partner,
      );
      const same = byFilter.cells.find((c: Cell) => c.key[0] === age)!;
      expect({ value: same.value, status: same.status }).toEqual({ value: cell.value, status: cell.status });
    }
  });

  it('lets no hidden figure be recomputed from everything the partner tier can ask (LP over many tables)', async () => {
    const categories: Record<string, string[]> = {};
    const cells = new Map<string, Cell>();
    const collect = async (q: Query) => {
      const result = await table(q, partner);
      for (const c of result.categories) if (c.dimension !== 'PERIOD') categories[c.dimension] = c.values;
      for (const [id, cell] of canonicalCells(q, result)) {
        const seen = cells.get(id);
        // the same cell must look the same from every query
        if (seen) expect(`${id} ${seen.value} ${seen.status}`).toBe(`${id} ${cell.value} ${cell.status}`);
        cells.set(id, cell);
      }
    };
    const dims = ['RESIDENCE_STATUS', 'AGE_BAND', 'GENDER', 'STAGE'];
    for (const a of dims) {
      await collect({ m: 'CASES', d: [a], p: { year: 2026 } });
      for (const b of dims) if (a < b) await collect({ m: 'CASES', d: [a, b], p: { year: 2026 } });
    }
    // filters as slices of the two-dimension tables
    await collect({ m: 'CASES', d: ['AGE_BAND'], f: { gender: 'F' }, p: { year: 2026 } });
    await collect({ m: 'CASES', d: ['GENDER'], f: { residenceStatus: 'DULDUNG' }, p: { year: 2026 } });
    // flows: the year, its quarters and months (a period minus its sub-periods)
    const flow = { m: 'TRANSITIONS', s: 'AUSBILDUNG' };
    await collect({ ...flow, d: ['AGE_BAND'], p: { year: 2025 } });
    await collect({ ...flow, d: ['PERIOD', 'AGE_BAND'], p: { year: 2025, granularity: 'QUARTER' } });
    await collect({ ...flow, d: ['PERIOD', 'AGE_BAND'], p: { year: 2025, granularity: 'MONTH' } });
    for (const quarter of [1, 2, 3, 4])
      await collect({ ...flow, d: ['AGE_BAND'], p: { year: 2025, quarter } });
    await collect({ ...flow, d: ['PERIOD', 'RESIDENCE_STATUS'], p: { year: 2025, granularity: 'QUARTER' } });

    const { hidden, recovered: leaks } = await recovered(cells, categories);
    console.info(
      `attack: ${cells.size} distinct cells from the partner tier, ${hidden} hidden, 0 recoverable`,
    );
    expect(hidden).toBeGreaterThan(50);
    expect(leaks).toEqual([]);
  });

  it('protects public tables the same way, with k = 10 where residence status meets nationality', async () => {
    const categories: Record<string, string[]> = {};
    const cells = new Map<string, Cell>();
    for (const q of [
      { m: 'CASES', d: ['RESIDENCE_STATUS'], p: { year: 2026 } },
      { m: 'CASES', d: ['NATIONALITY_GROUP'], p: { year: 2026 } },
      { m: 'CASES', d: ['RESIDENCE_STATUS', 'NATIONALITY_GROUP'], p: { year: 2026 } },
      { m: 'CASES', d: ['RESIDENCE_STATUS', 'AGE_BAND'], p: { year: 2026 } },
    ] as Query[]) {
      const result = await table(q);
      for (const c of result.categories) categories[c.dimension] = c.values;
      for (const [id, cell] of canonicalCells(q, result)) cells.set(id, cell);
      if (q.d.length === 2 && q.d.includes('NATIONALITY_GROUP')) {
        expect(result.minimumCellSize).toBe(10);
        const inner = result.cells.filter((c: Cell) => !c.key.includes('*'));
        for (const c of inner) if (c.value !== null) expect(c.value === 0 || c.value >= 10).toBe(true);
      }
    }
    // Public figures are rounded to 5: the attacker knows each one to ±2.
    const { recovered: leaks } = await recovered(cells, categories);
    expect(leaks).toEqual([]);
  });
});

describe('caseStatistics: what each audience may ask', () => {
  it('refuses the public what the policy keeps for partners', async () => {
    const cases = [
      [{ m: 'MEDIAN_DAYS_TO_STAGE', s: 'WORK', d: [], p: { year: 2026 } }, /measure MEDIAN_DAYS_TO_STAGE/],
      [{ m: 'CASES', d: ['ORGANISATION_KIND'], p: { year: 2026 } }, /dimension ORGANISATION_KIND/],
      [{ m: 'CASES', d: [], p: { year: 2026, month: 3 } }, /finer than QUARTER/],
      [{ m: 'CASES', d: ['PERIOD'], p: { year: 2026, granularity: 'MONTH' } }, /finer than QUARTER/],
      [
        { m: 'CASES', d: ['AGE_BAND', 'GENDER'], f: { stage: 'EQ' }, p: { year: 2026 } },
        /at most 2 dimensions/,
      ],
      [{ m: 'CASES', d: ['AGE_BAND', 'GENDER'], p: { year: 2026, quarter: 2 } }, /at most 2 dimensions/],
    ] as const;
    for (const [q, message] of cases) {
      const error = await errorOf(q as unknown as Query);
      expect(error.extensions.code).toBe('FORBIDDEN');
      expect(error.message).toMatch(message);
    }
    // …which partners may use
    await table({ m: 'CASES', d: ['AGE_BAND'], f: { stage: 'EQ' }, p: { year: 2026 } }, partner);
    await table({ m: 'CASES', d: ['ORGANISATION_KIND'], p: { year: 2026, month: 3 } }, partner);
    // Partners too combine two dimensions at most: every table of a tier is protected together.
    const three = await errorOf(
      { m: 'CASES', d: ['AGE_BAND', 'GENDER'], f: { residenceStatus: 'DULDUNG' }, p: { year: 2026 } },
      partner,
    );
    expect(three.extensions.code).toBe('FORBIDDEN');
    expect(three.message).toMatch(/at most 2 dimensions/);
  });

  it('answers bad requests with BAD_USER_INPUT naming the field', async () => {
    const bad: [Query, string][] = [
      [{ m: 'TRANSITIONS', d: [], p: { year: 2026 } }, 'stage'],
      [{ m: 'CASES', s: 'EQ', d: [], p: { year: 2026 } }, 'stage'],
      [{ m: 'CASES', d: ['AGE_BAND', 'AGE_BAND'], p: { year: 2026 } }, 'dimensions'],
      [{ m: 'CASES', d: ['AGE_BAND'], f: { ageBand: 'AGE_18_20' }, p: { year: 2026 } }, 'filter.ageBand'],
      [{ m: 'CASES', d: [], f: { nationalityGroup: 'XX' }, p: { year: 2026 } }, 'filter.nationalityGroup'],
      [{ m: 'CASES', d: [], f: { nationalityGroup: 'syria' }, p: { year: 2026 } }, 'nationalityGroup'],
      [{ m: 'CASES', d: [], p: { year: 2026, quarter: 1, month: 2 } }, 'period'],
      [{ m: 'CASES', d: [], p: { year: 2026, quarter: 5 } }, 'quarter'],
      [{ m: 'CASES', d: [], p: { year: 2999 } }, 'year'],
      [{ m: 'CASES', d: ['PERIOD'], p: { year: 2026, quarter: 1 } }, 'period'],
      [{ m: 'CASES', d: [], p: { year: 2026, granularity: 'QUARTER' } }, 'period.granularity'],
    ];
    for (const [q, field] of bad) {
      const error = await errorOf(q, partner);
      expect(error.extensions.code, JSON.stringify(q)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(error)).toContain(field);
      expect(JSON.stringify(error)).not.toMatch(/select|stack|case_record/i);
    }
  });

  it('never exposes a case: the statistics types lead nowhere near one, and SQL returns aggregates only', async () => {
    const res = await t.gql<any>(
      `{ __type(name: "StatisticsTable") { fields { name type { name ofType { name ofType { name ofType { name } } } } } } }`,
    );
    const types = JSON.stringify(res.data.__type.fields);
    expect(types).not.toMatch(/Case"|CaseEvent/);
    t.statements.length = 0;
    await table({ m: 'CASES', d: ['GENDER', 'GERMAN_LEVEL'], p: { year: 2024 } }, coordinator);
    const statistics = t.statements.filter((s) => /case_record/.test(s));
    expect(statistics.length).toBeGreaterThan(0);
    // aggregates (counts of changed cases), or freezing a release's rows inside the database
    for (const s of statistics)
      expect(s).toMatch(/group by|count\(\*\)|insert into statistics_snapshot_row/i);
    // …and the table itself came from an aggregate over the release's rows (grouping sets).
    expect(t.statements.some((s) => /group by .*grouping sets\s*\(/is.test(s))).toBe(true);
  });
});

describe('caseStatistics: releases of the open year', () => {
  const createCase = async () => {
    const res = await t.gql<any>(
      'mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }',
      {
        i: {
          intakeDate: today(),
          ageBand: 'AGE_21_24',
          gender: 'F',
          nationalityGroup: 'ER',
          residenceStatus: 'GESTATTUNG',
          schoolLevel: 'LOWER_SECONDARY',
          germanLevel: 'A1',
        },
      } as never,
      { token: caseManager },
    );
    expect(res.errors).toBeUndefined();
  };

  it('changes no figure with single cases; a new release once the period ended and enough changed, signalled once', async () => {
    const client: Client = createClient({
      url: t.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
    });
    const signals: unknown[] = [];
    client.subscribe(
      { query: 'subscription { statisticsUpdated { changedAt statistics } }' },
      { next: (v) => signals.push(v), error: () => undefined, complete: () => undefined },
    );
    await new Promise((r) => setTimeout(r, 300));
    const year = clock.getUTCFullYear();
    const q: Query = { m: 'CASES', d: ['AGE_BAND'], p: { year } };
    const before = await table(q, partner);
    for (let i = 0; i < 5; i++) await createCase();
    await new Promise((r) => setTimeout(r, 900));
    // Within the release period: the same release, to the cell.
    expect((await table(q, partner)).cells).toEqual(before.cells);

    // The next month: five changes are too few for a release of their own (they would show themselves).
    clock = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth() + 1, 1, 12));
    await createCase();
    await new Promise((r) => setTimeout(r, 900));
    const kept = await table(q, partner);
    expect(kept.asOf).toBe(before.asOf);
    expect(kept.cells).toEqual(before.cells);
    expect(signals).toHaveLength(0);

    // Ten changes: a new release, standing on the last day of the month that ended, signalled once.
    for (let i = 0; i < 4; i++) await createCase();
    const start = Date.now();
    while (signals.length === 0 && Date.now() - start < 5_000) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 900)); // two more intervals: no second signal for the same release
    await client.dispose();
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ data: { statisticsUpdated: { statistics: ['cases'] } } });
    const after = await table(q, partner);
    expect(after.asOf > before.asOf).toBe(true);
    expect(after.total.value).toBe((before.total.value as number) + 10);
    const releases = await db.query('select count(*) from statistics_release where year = $1', [year]);
    expect(Number(releases.rows[0].count)).toBeLessThanOrEqual(2); // older releases are dropped
  });
});

describe('caseStatistics: closed years', () => {
  it('computes a closed year from a final release frozen once, so later edits of a case change nothing in it', async () => {
    const q: Query = { m: 'CASES', d: ['GERMAN_LEVEL'], p: { year: 2025 } };
    const before = await table(q, partner);
    expect(before.closed).toBe(true);
    const frozen = await db.query('select id, rows from statistics_release where year = 2025 and final');
    expect(frozen.rows).toHaveLength(1);
    expect(frozen.rows[0].rows).toBeGreaterThan(0);
    expect(before.asOf).toBe('2025-12-31');

    // A case of this case manager's organisation that was open in 2025 learns German.
    const { rows } = await db.query(
      `select c.id, c.version, c.german_level from case_record c join account a on a.organisation_id = c.managing_organisation_id
       where a.id = $1 and c.intake_date <= '2025-12-31' and (c.closed_on is null) and c.german_level <> 'C2' limit 1`,
      [(await tokenFor(t.hub.database.orm, [Role.CASE_MANAGER])).accountId],
    );
    expect(rows).toHaveLength(1);
    const levels = ['A0', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'];
    const next = levels[levels.indexOf(rows[0].german_level) + 1];
    const updated = await t.gql<any>(
      'mutation($i: UpdateCaseInput!) { updateCase(input: $i) { germanLevel } }',
      { i: { id: toGlobalId('Case', rows[0].id), version: rows[0].version, germanLevel: next } } as never,
      { token: caseManager },
    );
    expect(updated.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300)); // the change event reaches the cache

    const after = await table(q, partner);
    expect(after.cells).toEqual(before.cells);
    // …while the live tables already count the case at its new level
    const count = async (from: string) => Number((await db.query(from, [next])).rows[0].count);
    const live = await count(
      `select count(*) from case_record where german_level = $1 and intake_date <= '2025-12-31' and (closed_on is null or closed_on > '2025-12-31')`,
    );
    const kept = await count(
      `select count(*) from statistics_snapshot_row where year = 2025 and population = 'CASES' and unit = '2025-12-31' and german_level = $1`,
    );
    expect(live).toBe(kept + 1);
  });
});
