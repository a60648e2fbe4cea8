/**
 * The informed outsider's harvest (issue 18, point 4): every statistics table one tier may ask, fetched
 * over HTTP GraphQL like any client would, each cell mapped to the quantity it stands for, and the
 * linear relations an attacker can read off the tables (children add up to their margin, months to
 * quarters to years for flows). Nothing here reads the service's internals except `truth()`, which the
 * test uses to score the attack, never to mount it.
 */
import { statisticsAudienceOf } from '../../src/auth/access-control.js';
import { STATISTICS_TIERS, type StatisticsTier } from '../../src/auth/policy.js';
import type { Viewer } from '../../src/auth/viewer.js';
import { GRANULARITY_LEVEL, StatisticsAudience, StatisticsMeasure } from '../../src/domain/statistics.js';
import type { CaseStatisticsArgs } from '../../src/modules/statistics/statistics.types.js';
import type { Relation } from './attack.js';
import type { TestHub } from './hub.js';

export const FILTER_FIELD: Record<string, string> = {
  STAGE: 'stage',
  RESIDENCE_STATUS: 'residenceStatus',
  AGE_BAND: 'ageBand',
  GENDER: 'gender',
  NATIONALITY_GROUP: 'nationalityGroup',
  SCHOOL_LEVEL: 'schoolLevel',
  GERMAN_LEVEL: 'germanLevel',
  ORGANISATION_KIND: 'organisationKind',
};

/** Statuses that carry a figure; anything else (SUPPRESSED, or today's two labels) hides the cell. */
export const isShown = (status: string) => status === 'PUBLISHED' || status === 'ROUNDED';

export interface TableSpec {
  measure: string;
  stage?: string;
  dimensions: string[];
  filter?: Record<string, string>;
  period: { year: number; quarter?: number; month?: number; granularity?: string };
}

export interface Cell {
  key: string[];
  value: number | null;
  status: string;
}

export interface Table {
  spec: TableSpec;
  minimumCellSize: number;
  roundingBase: number | null;
  closed: boolean;
  asOf: string | null;
  categories: { dimension: string; values: string[] }[];
  cells: Cell[];
}

/** One harvested cell, under the quantity it counts. */
export interface Observation {
  /** Canonical variable: `${group}|${time}|${coords}`. */
  variable: string;
  /** The independent population it belongs to: `${year}|CASES` or `${year}|T:${stage}` (medians: their flow). */
  group: string;
  /** MEDIAN_DAYS_TO_STAGE cells only tell whether their flow is zero, positive or hidden. */
  median: boolean;
  /** Dimensions fixed by the cell (filters and keys). */
  fixed: Record<string, string>;
  value: number | null;
  status: string;
  /** The cell's k and rounding base, from its table. */
  k: number;
  roundingBase: number | null;
  table: number;
  /** 2-dimension year table without filters (information loss is measured on these). */
  twoDimensional: boolean;
}

export interface Harvest {
  audience: StatisticsAudience;
  tier: StatisticsTier;
  tables: Table[];
  requests: number;
  /** Aliases that came back with an error (a spec the tier should have allowed, or a contract change). */
  errors: { spec: TableSpec; message: string }[];
  observations: Observation[];
  relations: Relation[];
  /** The `asOf` of each open year's tables, when the schema has it. */
  asOf: Map<number, string | null>;
  millis: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number) =>
  `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;

/** The time unit a table (or a PERIOD key) stands for: "2026", "2026-Q3", "2026-07". */
function unitOf(spec: TableSpec): string {
  const { year, quarter, month } = spec.period;
  if (month) return `${year}-${pad(month)}`;
  if (quarter) return `${year}-Q${quarter}`;
  return `${year}`;
}

function lastDayOfUnit(unit: string): string {
  const year = Number(unit.slice(0, 4));
  if (unit.length === 4) return `${year}-12-31`;
  if (unit[5] === 'Q') return lastDayOfMonth(year, Number(unit.slice(6)) * 3);
  return lastDayOfMonth(year, Number(unit.slice(5, 7)));
}

/**
 * CASES is a snapshot: a unit stands for its last day (the year ≡ its Q4 ≡ its December), and a dated
 * release of the open year stands on its asOf day for every unit ending later. Flows keep their unit.
 */
function canonicalTime(measure: string, unit: string, asOf: string | null): string {
  if (measure !== StatisticsMeasure.CASES) return unit;
  const day = lastDayOfUnit(unit);
  return asOf && day > asOf ? asOf : day;
}

export function populationOf(measure: string, stage: string | undefined, year: number) {
  return measure === StatisticsMeasure.CASES ? `${year}|CASES` : `${year}|T:${stage}`;
}

export const variableOf = (group: string, time: string, fixed: Record<string, string>) =>
  `${group}|${time}|${Object.keys(fixed)
    .sort()
    .map((d) => `${d}=${fixed[d]}`)
    .join(';')}`;

/** Every subset of `items` with at most `max` members. */
function subsets<T>(items: readonly T[], max: number): T[][] {
  let out: T[][] = [[]];
  for (const item of items) out = [...out, ...out.filter((s) => s.length < max).map((s) => [...s, item])];
  return out;
}

export interface HarvestOptions {
  years: number[];
  /** Cap on dimensions per table below the tier's own (today's partner tier allows 3). */
  maxDimensions?: number;
  /** Measures to harvest (default: the tier's). */
  measures?: string[];
  /** Stages for flows (default: every stage). */
  stages?: string[];
  /** Aliases per request (≤ GRAPHQL_MAX_ALIASES). */
  batch?: number;
}

const STAGES = [
  'INTAKE',
  'ORIENTATION',
  'LANGUAGE',
  'PREPARATION',
  'EQ',
  'AUSBILDUNG',
  'WORK',
  'SCHOOL',
  'ENDED_OTHER',
];

/**
 * The tables of one tier, in two rounds: first those without filters (they name every category, which
 * the filters of the second round need), then one filter variant per (asked dimension, filtered
 * dimension) pair — slices add no equations beyond the 2-dimension tables, but they prove that a cell
 * gets the same answer in every query.
 */
export function tableSpecs(
  tier: StatisticsTier,
  options: HarvestOptions,
  categories?: Map<string, string[]>,
): TableSpec[] {
  const max = Math.min(tier.maxDimensions, options.maxDimensions ?? tier.maxDimensions);
  const attributes = tier.dimensions.filter((d) => d !== 'PERIOD');
  const byPeriod = tier.dimensions.includes('PERIOD' as never);
  const finest = GRANULARITY_LEVEL[tier.minimumGranularity];
  const measures = (options.measures ?? tier.measures).filter((m) => tier.measures.includes(m as never));
  const specs: TableSpec[] = [];
  for (const year of options.years)
    for (const measure of measures) {
      const stages = measure === StatisticsMeasure.CASES ? [undefined] : (options.stages ?? STAGES);
      for (const stage of stages) {
        const base = { measure, ...(stage ? { stage } : {}) };
        const sets = subsets(attributes, max);
        if (!categories) {
          // Medians only tell which flows are zero or positive: their year tables suffice.
          for (const dims of sets) specs.push({ ...base, dimensions: dims, period: { year } });
          if (measure === StatisticsMeasure.MEDIAN_DAYS_TO_STAGE) continue;
          const below = sets.filter((s) => s.length <= max - 1);
          const units: { quarter?: number; month?: number }[] = [];
          if (finest >= 1) for (let q = 1; q <= 4; q++) units.push({ quarter: q });
          if (finest >= 2) for (let m = 1; m <= 12; m++) units.push({ month: m });
          for (const u of units)
            for (const dims of below) specs.push({ ...base, dimensions: dims, period: { year, ...u } });
          if (byPeriod)
            for (const granularity of ['QUARTER', 'MONTH'].filter(
              (g) => GRANULARITY_LEVEL[g as never] <= finest,
            ))
              for (const dims of below)
                specs.push({ ...base, dimensions: ['PERIOD', ...dims], period: { year, granularity } });
          continue;
        }
        if (measure === StatisticsMeasure.MEDIAN_DAYS_TO_STAGE) continue;
        // Round two: filters (one value per pair, rotating through the categories).
        let turn = 0;
        for (const dims of sets.filter((s) => s.length <= max - 1))
          for (const f of attributes.filter((a) => !dims.includes(a))) {
            const values = categories.get(`${year}|${f}`) ?? [];
            if (values.length === 0) continue;
            const value = values[turn++ % values.length];
            specs.push({ ...base, dimensions: dims, filter: { [FILTER_FIELD[f]]: value }, period: { year } });
          }
      }
    }
  return specs;
}

const literal = (spec: TableSpec) => {
  const parts = [`measure: ${spec.measure}`];
  if (spec.stage) parts.push(`stage: ${spec.stage}`);
  parts.push(`dimensions: [${spec.dimensions.join(', ')}]`);
  if (spec.filter)
    parts.push(
      `filter: { ${Object.entries(spec.filter)
        .map(([f, v]) => (f === 'nationalityGroup' ? `${f}: "${v}"` : `${f}: ${v}`))
        .join(', ')} }`,
    );
  const p = Object.entries(spec.period)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  parts.push(`period: { ${p} }`);
  return parts.join(', ');
};

/** Fields of StatisticsTable that exist in this schema (asOf is new; the per-label counts are going). */
async function tableFields(hub: TestHub): Promise<string> {
  const res = await hub.gql<{ __type: { fields: { name: string }[] } }>(
    '{ __type(name: "StatisticsTable") { fields { name } } }',
  );
  const names = new Set(res.data?.__type.fields.map((f) => f.name));
  return [
    'minimumCellSize roundingBase closed suppressedCells',
    names.has('asOf') ? 'asOf' : '',
    'categories { dimension values } cells { key value status }',
  ].join(' ');
}

async function fetchTables(
  hub: TestHub,
  specs: TableSpec[],
  token: string | undefined,
  batch: number,
  fields: string,
) {
  const tables: (Table | undefined)[] = [];
  const errors: { spec: TableSpec; message: string }[] = [];
  let requests = 0;
  for (let i = 0; i < specs.length; i += batch) {
    const chunk = specs.slice(i, i + batch);
    const query = `fragment T on StatisticsTable { ${fields} }\nquery {\n${chunk
      .map((s, j) => ` t${j}: caseStatistics(${literal(s)}) { ...T }`)
      .join('\n')}\n}`;
    requests++;
    const res = await hub.gql<Record<string, Omit<Table, 'spec'> | null>>(query, undefined, { token });
    for (const e of res.errors ?? []) {
      const j = Number(String(e.path?.[0] ?? '').slice(1));
      errors.push({ spec: chunk[j] ?? chunk[0], message: e.message });
    }
    chunk.forEach((spec, j) => {
      const t = res.data?.[`t${j}`];
      tables.push(t ? { ...t, spec, asOf: t.asOf ?? null } : undefined);
    });
  }
  return { tables: tables.filter((t): t is Table => t !== undefined), errors, requests };
}

/** Harvests every table of `audience`'s tier (the one the token gives) and reads it as an attacker would. */
export async function harvest(
  hub: TestHub,
  audience: StatisticsAudience,
  token: string | undefined,
  options: HarvestOptions,
): Promise<Harvest> {
  const started = performance.now();
  const tier = STATISTICS_TIERS[audience];
  const batch = options.batch ?? 30;
  const fields = await tableFields(hub);
  const first = await fetchTables(hub, tableSpecs(tier, options), token, batch, fields);
  const categories = new Map<string, string[]>();
  for (const t of first.tables)
    for (const c of t.categories)
      if (c.dimension !== 'PERIOD') categories.set(`${t.spec.period.year}|${c.dimension}`, c.values);
  const second = await fetchTables(hub, tableSpecs(tier, options, categories), token, batch, fields);
  const tables = [...first.tables, ...second.tables];
  const asOf = new Map<number, string | null>();
  for (const t of tables) if (!t.closed) asOf.set(t.spec.period.year, t.asOf);
  const { observations, relations } = read(tables);
  return {
    audience,
    tier,
    tables,
    requests: first.requests + second.requests,
    errors: [...first.errors, ...second.errors],
    observations,
    relations,
    asOf,
    millis: performance.now() - started,
  };
}

/** Each cell's variable, and the relations the tables state between them. */
export function read(tables: readonly Table[]) {
  const observations: Observation[] = [];
  const relations = new Map<string, Relation>();
  const timeOf = new Map<string, { group: string; unit: string; fixed: Record<string, string> }>();
  tables.forEach((table, index) => {
    const { spec } = table;
    const median = spec.measure === StatisticsMeasure.MEDIAN_DAYS_TO_STAGE;
    const flowMeasure = median ? StatisticsMeasure.TRANSITIONS : spec.measure;
    const group = populationOf(flowMeasure, spec.stage, spec.period.year);
    const filterFixed: Record<string, string> = {};
    for (const [dim, field] of Object.entries(FILTER_FIELD))
      if (spec.filter?.[field] !== undefined) filterFixed[dim] = spec.filter[field];
    const twoDimensional =
      spec.dimensions.length === 2 &&
      !spec.filter &&
      !spec.dimensions.includes('PERIOD') &&
      unitOf(spec).length === 4;
    const varOf = (key: string[]) => {
      let unit = unitOf(spec);
      const fixed = { ...filterFixed };
      spec.dimensions.forEach((d, i) => {
        if (key[i] === '*') return;
        if (d === 'PERIOD') unit = key[i];
        else fixed[d] = key[i];
      });
      const time = canonicalTime(flowMeasure, unit, table.closed ? null : table.asOf);
      const variable = variableOf(group, time, fixed);
      if (flowMeasure !== StatisticsMeasure.CASES) timeOf.set(variable, { group, unit, fixed });
      return { variable, fixed };
    };
    const byKey = new Map<string, string>();
    for (const cell of table.cells) {
      const { variable, fixed } = varOf(cell.key);
      byKey.set(cell.key.join('\u0000'), variable);
      observations.push({
        variable,
        group,
        median,
        fixed,
        value: cell.value,
        status: cell.status,
        k: table.minimumCellSize,
        roundingBase: table.roundingBase,
        table: index,
        twoDimensional,
      });
    }
    if (median) return; // medians add no equations
    // Along each asked dimension the categories add up to the margin — except PERIOD for a snapshot.
    spec.dimensions.forEach((d, i) => {
      if (d === 'PERIOD' && spec.measure === StatisticsMeasure.CASES) return;
      const values = table.categories.find((c) => c.dimension === d)?.values ?? [];
      for (const cell of table.cells) {
        if (cell.key[i] !== '*') continue;
        const children = values.map((v) => {
          const key = [...cell.key];
          key[i] = v;
          return byKey.get(key.join('\u0000'));
        });
        if (children.some((c) => c === undefined)) continue;
        const parent = byKey.get(cell.key.join('\u0000'))!;
        const relation = { parent, children: children as string[] };
        relations.set(`${parent}=${[...relation.children].sort().join('+')}`, relation);
      }
    });
  });
  // Flows: a year is the sum of its quarters, a quarter of its months (where all were harvested).
  for (const [variable, { group, unit, fixed }] of timeOf) {
    const year = unit.slice(0, 4);
    let parts: string[] = [];
    if (unit.length === 4) parts = [1, 2, 3, 4].map((q) => `${year}-Q${q}`);
    else if (unit[5] === 'Q') {
      const q = Number(unit.slice(6));
      parts = [1, 2, 3].map((m) => `${year}-${pad((q - 1) * 3 + m)}`);
    }
    if (parts.length === 0) continue;
    const children = parts.map((u) => variableOf(group, u, fixed));
    if (!children.every((c) => timeOf.has(c))) continue;
    relations.set(`${variable}=${[...children].sort().join('+')}`, { parent: variable, children });
  }
  return { observations, relations: [...relations.values()] };
}

/**
 * Scoring only: the true count of every harvested cell, from the service's own audit() (the counts
 * the published table was cut from). Throws when two tables disagree on a variable's count — the
 * canonical mapping would then be wrong, and so would every figure of the attack.
 */
export async function truth(
  hub: TestHub,
  viewer: Viewer,
  tables: readonly Table[],
  observations: readonly Observation[],
) {
  const counts = new Map<string, number>();
  const conflicts: string[] = [];
  const byTable = new Map<number, Observation[]>();
  for (const o of observations) {
    const list = byTable.get(o.table) ?? [];
    list.push(o);
    byTable.set(o.table, list);
  }
  for (const [index, list] of byTable) {
    const args = tables[index].spec as unknown as CaseStatisticsArgs;
    const audited = await hub.hub.statistics.audit(
      hub.hub.database.orm.em.fork(),
      statisticsAudienceOf(viewer),
      args,
    );
    list.forEach((o, i) => {
      const n = audited[i]?.n;
      if (n === undefined) return;
      if (o.median) return; // an audit of a median table counts its flow; the flow's own tables say it
      const known = counts.get(o.variable);
      if (known !== undefined && known !== n) conflicts.push(`${o.variable}: ${known} vs ${n}`);
      counts.set(o.variable, n);
    });
  }
  return { counts, conflicts };
}

/** Cells of one variable answered differently by two queries (value or status). */
export function inconsistencies(observations: readonly Observation[]) {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const o of observations) {
    const id = `${o.median ? 'M' : 'N'}|${o.variable}`;
    const answer = `${o.status}:${o.value}`;
    const before = seen.get(id);
    if (before === undefined) seen.set(id, answer);
    else if (before !== answer) out.push(`${id}: ${before} vs ${answer}`);
  }
  return out;
}

export const AUDIENCE = StatisticsAudience;

/** k of a cell: the tier's, or more where the cell fixes a sensitive crossing (its home table's k). */
export function kOf(tier: StatisticsTier, fixed: Record<string, string>): number {
  return Math.max(
    tier.minimumCellSize,
    ...tier.sensitiveCrossings
      .filter((s) => s.dimensions.every((d) => fixed[d] !== undefined))
      .map((s) => s.minimumCellSize),
  );
}

/** A count no harvested figure comes near (upper bound of semi-integer variables). */
const LARGE = 100_000;

export interface Knowledge {
  bounds: Map<string, { min: number; max: number }>;
  semi: Map<string, { min: number; max: number }>;
  /** Variables no table of the attacker's own tier shows. */
  hidden: Set<string>;
  fixed: Record<string, Record<string, string>>;
}

/**
 * What the published figures tell about each variable, from one or more harvests (the first is the
 * attacker's own tier; later ones add knowledge, e.g. the public's rounded tables beside a partner's):
 * exact figures; rounded ones as intervals, narrowed by the documented method (a published count is 0
 * or ≥ k); medians (a median exists: its flow is positive); with `labels`, today's hidden-cell labels
 * (PRIMARY: 1 … k−1; SECONDARY: 0 or ≥ k).
 */
export function knowledge(
  sources: readonly {
    harvest: Pick<Harvest, 'observations' | 'tier'>;
    labels?: boolean;
    shift?: Map<string, number>;
  }[],
): Knowledge {
  const bounds = new Map<string, { min: number; max: number }>();
  const semi = new Map<string, { min: number; max: number }>();
  const shown = new Set<string>();
  const hidden = new Set<string>();
  const fixedOf: Record<string, Record<string, string>> = {};
  const narrow = (v: string, min: number, max: number) => {
    const b = bounds.get(v) ?? { min: 0, max: Number.POSITIVE_INFINITY };
    bounds.set(v, { min: Math.max(b.min, min), max: Math.min(b.max, max) });
  };
  sources.forEach(({ harvest, labels, shift }, s) => {
    for (const o of harvest.observations) {
      fixedOf[o.variable] ??= o.fixed;
      // A later harvest seen through known changes: its figure minus what the attacker added.
      const d = shift?.get(o.variable) ?? 0;
      const k = kOf(harvest.tier, o.fixed);
      if (o.median) {
        if (!isShown(o.status)) continue;
        if (o.value === null) narrow(o.variable, d, d);
        else narrow(o.variable, 1 + d, Number.POSITIVE_INFINITY);
        continue;
      }
      if (s === 0) (isShown(o.status) ? shown : hidden).add(o.variable);
      if (o.status === 'PUBLISHED' && o.value !== null) narrow(o.variable, o.value - d, o.value - d);
      else if (o.status === 'ROUNDED' && o.value !== null) {
        const half = Math.floor((o.roundingBase ?? 1) / 2);
        const lo = Math.max(0, o.value - half);
        const hi = o.value + half;
        if (hi < k && lo === 0) narrow(o.variable, -d, -d);
        else if (lo > 0) narrow(o.variable, Math.max(lo, k) - d, hi - d);
        else {
          narrow(o.variable, 0, hi - d);
          if (d === 0) semi.set(o.variable, { min: k, max: hi });
        }
      } else if (labels && o.status === 'PRIMARY_SUPPRESSED') narrow(o.variable, 1 - d, k - 1 - d);
      else if (labels && o.status === 'SECONDARY_SUPPRESSED' && d === 0 && !semi.has(o.variable))
        semi.set(o.variable, { min: k, max: LARGE });
    }
  });
  for (const v of shown) hidden.delete(v);
  return { bounds, semi, hidden, fixed: fixedOf };
}
