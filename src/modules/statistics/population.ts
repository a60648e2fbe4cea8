import type { EntityManager } from '@mikro-orm/postgresql';
import { StatisticsDimension, StatisticsMeasure } from '../../domain/statistics.js';
import { emitEvent, STATISTICS_RELEASED, type StatisticsReleased } from '../../events/emit.js';
import { cellKey, MARGIN } from './lattice.js';

/**
 * The statistics' only contact with cases. A release (statistics-snapshot.entity.ts) freezes a year's
 * anonymised rows as of a day — stage and residence status as they were then (from the dated case
 * events), the other attributes as recorded, no case id — and tables are counted from those rows by
 * one aggregate statement (GROUPING SETS over the dimensions, per period) that returns counts per
 * cell, never a row.
 */
export interface PeriodUnit {
  id: string;
  level: number;
  parent?: string;
  start: string;
  end: string;
}

type AttributeDimension = Exclude<StatisticsDimension, StatisticsDimension.PERIOD>;

/** Column of each dimension in every source below. */
const COLUMN: Record<AttributeDimension, string> = {
  STAGE: 'stage',
  RESIDENCE_STATUS: 'residence_status',
  AGE_BAND: 'age_band',
  GENDER: 'gender',
  NATIONALITY_GROUP: 'nationality', // folded: see queryCube
  SCHOOL_LEVEL: 'school_level',
  GERMAN_LEVEL: 'german_level',
  ORGANISATION_KIND: 'organisation_kind',
};
const ATTRIBUTES = 'age_band, gender, nationality_group, school_level, german_level, organisation_kind';

type Param = (value: unknown) => string;

/**
 * Stage and residence status as they stood on `day`, from the case's state spans (kept by triggers on
 * case_event, see case-state-span.entity.ts); before any event set them, the case's own values.
 */
const stateAsOf = (caseId: string, day: string) =>
  `left join case_state_span s on s.case_id = ${caseId} and s.valid_from <= ${day}
      and (s.valid_to is null or s.valid_to > ${day})`;

/**
 * Stocks, live: one row per case open on a unit's last day, as it stood then. A snapshot, not "open at
 * any time in the unit": then a year minus its last quarter would count the cases closed before it.
 */
function liveCases(units: readonly PeriodUnit[], param: Param): string {
  const values = units.map((u) => `(${param(u.id)}::text, ${param(u.start)}::date, ${param(u.end)}::date)`);
  return `
    with unit(id, start_d, end_d) as (values ${values.join(', ')})
    select unit.id as unit, c.age_band, c.gender, c.nationality_group, c.school_level, c.german_level,
           o.kind as organisation_kind,
           coalesce(s.stage, c.stage) as stage,
           coalesce(s.residence_status, c.residence_status) as residence_status,
           null::int as days
    from case_record c
    join organisation o on o.id = c.managing_organisation_id
    join unit on c.intake_date <= unit.end_d and (c.closed_on is null or c.closed_on > unit.end_d)
    ${stateAsOf('c.id', 'unit.end_d')}`;
}

/** Flows, live: one row per stage change in the year (into `stage`, or into any stage with `target`). */
function liveTransitions(year: PeriodUnit, stage: string | null, param: Param): string {
  return `
    select to_char(e.occurred_on, 'YYYY-MM') as unit, e.to_stage as target,
           e.from_stage as stage, coalesce(s.residence_status, c.residence_status) as residence_status,
           c.age_band, c.gender, c.nationality_group, c.school_level, c.german_level,
           o.kind as organisation_kind, (e.occurred_on - c.intake_date) as days
    from case_event e
    join case_record c on c.id = e.case_id
    join organisation o on o.id = c.managing_organisation_id
    ${stateAsOf('c.id', 'e.occurred_on')}
    where e.kind = 'STAGE_CHANGE' and e.occurred_on between ${param(year.start)}::date and ${param(year.end)}::date
      ${stage ? `and e.to_stage = ${param(stage)}` : ''}`;
}

/**
 * Cuts a release of `year` as of `asOf` (the last day its figures cover): one row per case open on
 * each month's last day (or on `asOf` for months after it) and one per stage change up to `asOf`.
 * Instances serialise on an advisory lock; `decide` runs under it with the year's latest release and
 * returns false when that one is to be kept (another instance cut it meanwhile, or too little changed).
 */
export async function cutRelease(
  em: EntityManager,
  year: number,
  asOf: string,
  final: boolean,
  decide: (latest: ReleaseRow | undefined, tx: EntityManager) => Promise<boolean>,
): Promise<ReleaseRow | undefined> {
  return em.transactional(async (tx) => {
    // Every statement on the transaction's own connection: the lock and the check under it hold only there.
    const context = tx.getTransactionContext();
    const connection = {
      execute: <T>(sql: string, params: unknown[] = []) =>
        tx.getConnection().execute(sql, params, 'all', context) as Promise<T>,
    };
    await connection.execute('select pg_advisory_xact_lock(hashtext(?), ?)', ['statistics-release', year]);
    const latest = await latestRelease(tx, year, context);
    if (!(await decide(latest, tx))) return latest;
    const [inserted] = await connection.execute<ReleaseRow[]>(
      `insert into statistics_release (year, as_of, final) values (?, ?, ?)
       returning id, year, to_char(as_of, 'YYYY-MM-DD') as "asOf", cut_at as "cutAt", final`,
      [year, asOf, final],
    );
    const release = asRelease(inserted);
    // Once per release, in its transaction: what webhooks tell partners (never once per changed case).
    const released: StatisticsReleased = {
      releaseId: release.id,
      year: release.year,
      asOf: release.asOf,
      final: release.final,
    };
    emitEvent(tx, STATISTICS_RELEASED, released);
    const params: unknown[] = [];
    const param: Param = (value) => {
      params.push(value);
      return '?';
    };
    const days = snapshotDays(year, asOf).map((day) => ({ id: day, start: day, end: day, level: 0 }));
    const yearUnit = { id: `${year}`, level: 0, start: `${year}-01-01`, end: asOf };
    const columns = `release_id, year, population, target, unit, stage, residence_status, ${ATTRIBUTES}, days`;
    // Placeholders are positional: build the text strictly left to right.
    let sql = `with inserted as (insert into statistics_snapshot_row (${columns}) `;
    // Ordered by unit: a table of one day then reads few pages (the rows are never updated).
    sql += `(select ${param(release.id)}::int, ${param(year)}::int, 'CASES', null, unit, stage, residence_status, ${ATTRIBUTES}, days from (`;
    sql += `${liveCases(days, param)}) cases order by unit) union all `;
    sql += `select ${param(release.id)}::int, ${param(year)}::int, 'TRANSITIONS', target, unit, stage, residence_status, ${ATTRIBUTES}, days from (`;
    sql += `${liveTransitions(yearUnit, null, param)}) transitions returning 1) `;
    sql += `update statistics_release set rows = (select count(*) from inserted) where id = ${param(release.id)}`;
    await connection.execute(sql, params);
    return release;
  });
}

/**
 * Once every population of `release` is protected and stored: the release before it stays (requests
 * may still read it, and a final release keeps it), older ones go. Not earlier — the protection of
 * `release` starts from its predecessor's, and that one's from its own.
 */
export async function dropOlderReleases(em: EntityManager, release: ReleaseRow): Promise<void> {
  await em.getConnection().execute(
    `delete from statistics_release where year = ? and not final and id < (
       select coalesce(max(id), 0) from statistics_release where year = ? and id < ?)`,
    [release.year, release.year, release.id],
  );
}

export interface ReleaseRow {
  id: number;
  year: number;
  asOf: string;
  cutAt: Date;
  final: boolean;
}

export async function latestRelease(
  em: EntityManager,
  year: number,
  context?: unknown,
): Promise<ReleaseRow | undefined> {
  const [row] = await em.getConnection().execute<ReleaseRow[]>(
    `select id, year, to_char(as_of, 'YYYY-MM-DD') as "asOf", cut_at as "cutAt", final
     from statistics_release where year = ? order by final desc, id desc limit 1`,
    [year],
    'all',
    context as never,
  );
  return row && asRelease(row);
}

/** Raw rows carry the time as text: one shape for every caller. */
const asRelease = (row: ReleaseRow): ReleaseRow => ({ ...row, cutAt: new Date(row.cutAt) });

/** The snapshot days of a release: each month's last day, or `asOf` where that lies before it. */
export function snapshotDays(year: number, asOf: string): string[] {
  const days = new Set<string>();
  for (let m = 1; m <= 12; m++) {
    const last = new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
    days.add(last < asOf ? last : asOf);
  }
  return [...days];
}

export interface CubeCounts {
  counts: Map<string, number>;
  medians: Map<string, number>;
}

export interface CubeRequest {
  measure: StatisticsMeasure;
  stage: string | null;
  dimensions: readonly AttributeDimension[];
  domains: readonly (readonly string[])[];
  units: readonly PeriodUnit[];
  /** The release whose rows are counted. */
  release: number;
  /** Groups shown as themselves; others count as OTHER. Validated codes (inlined as literals). */
  nationalityGroups: readonly string[];
}

/** One aggregate statement over a release's rows, grouped by unit and `grouping(columns)`. */
async function aggregate(
  em: EntityManager,
  request: CubeRequest,
  grouping: (columns: readonly string[]) => string,
): Promise<Record<string, unknown>[]> {
  const { dimensions, units, release } = request;
  const columns = dimensions.map((d) => COLUMN[d]);
  const params: unknown[] = [];
  const param: Param = (value) => {
    params.push(value);
    return '?';
  };
  const sets = columns.length > 0 ? grouping(columns) : '';
  let source: string;
  let groupBy: string;
  let unitSelect: string;
  const rows = (population: string, extra: () => string) => `
    select unit, target, stage, residence_status, ${ATTRIBUTES}, days
    from statistics_snapshot_row
    where release_id = ${param(release)} and population = ${param(population)} ${extra()}`;

  if (request.measure === StatisticsMeasure.CASES) {
    // A stock: each snapshot day counts the cases open on it.
    source = rows('CASES', () => `and unit in (${units.map((u) => param(u.id)).join(', ')})`);
    groupBy = ['unit', sets].filter(Boolean).join(', ');
    unitSelect = 'unit';
  } else {
    // A flow: stage changes into the asked stage, summed over months → quarters → the year.
    const maxLevel = Math.max(...units.map((u) => u.level));
    source = `
      select left(unit, 4) as y, left(unit, 4) || '-Q' || ((substr(unit, 6, 2)::int + 2) / 3) as q,
             unit as m, s.*
      from (${rows('TRANSITIONS', () => `and target = ${param(request.stage)}`)}) s`;
    const rollup = maxLevel === 0 ? '' : maxLevel === 1 ? 'rollup(q)' : 'rollup(q, m)';
    groupBy = [sets, rollup].filter(Boolean).join(', ') || '()';
    unitSelect =
      maxLevel === 0
        ? 'min(y)'
        : maxLevel === 1
          ? 'case when grouping(q) = 1 then min(y) else q end'
          : 'case when grouping(q) = 1 then min(y) when grouping(m) = 1 then q else m end';
  }

  const groups = request.nationalityGroups
    .filter((g) => /^([A-Z]{2}|OTHER)$/.test(g))
    .map((g) => `'${g}'`)
    .join(', ');
  // Stocks have no waiting days; without the ordered-set aggregate PostgreSQL may hash the groups.
  const median =
    request.measure === StatisticsMeasure.CASES
      ? ''
      : ',\n           percentile_disc(0.5) within group (order by days) as median';
  const dimensionSelect = columns.map((c) => `${c}::text as ${c}, grouping(${c}) as g_${c},`).join(' ');
  const sql = `
    select ${unitSelect} as unit, ${dimensionSelect}
           count(*)::int as n${median}
    from (select s0.*, case when s0.nationality_group in (${groups}) then s0.nationality_group else 'OTHER' end as nationality
          from (${source}) s0) source
    group by ${groupBy}`;
  return em.getConnection().execute(sql, params);
}

/** A row's coordinate on each dimension: its category's index, or MARGIN where it is grouped away. */
function coordinates(request: CubeRequest, row: Record<string, unknown>): number[] {
  return request.dimensions.map((d, i) => {
    const c = COLUMN[d];
    if (row[`g_${c}`] === 1) return MARGIN;
    const index = request.domains[i].indexOf(String(row[c]));
    if (index < 0) throw new Error(`statistics: ${c} value outside its domain`);
    return index;
  });
}

function addCell(cube: CubeCounts, unit: string, coords: readonly number[], row: Record<string, unknown>) {
  const key = cellKey(unit, coords);
  cube.counts.set(key, Number(row.n));
  if (row.median != null) cube.medians.set(key, Number(row.median));
}

/** Dimension subsets of at most `size` members, as sorted index lists. */
function subsets(count: number, size: number): number[][] {
  let result: number[][] = [[]];
  const all: number[][] = [[]];
  for (let k = 1; k <= size; k++) {
    result = result.flatMap((s) =>
      Array.from({ length: count }, (_, i) => i)
        .filter((i) => i > (s.at(-1) ?? -1))
        .map((i) => [...s, i]),
    );
    all.push(...result);
  }
  return all;
}

/** Family key of a cube: its dimensions in the family's order. */
export const familyMember = (dimensions: readonly StatisticsDimension[]) => dimensions.join(',');

/**
 * Every cube of at most `size` of the request's dimensions, from one statement: the population is
 * read once for all of them (GROUPING SETS), where a statement per cube reads it once each. Each
 * cube holds exactly what queryCube returns for its dimensions (a grouping set of the family is a
 * grouping set of every cube whose dimensions contain it). Keys: familyMember(dimensions).
 */
export async function queryCubeFamily(
  em: EntityManager,
  request: CubeRequest,
  size: number,
): Promise<Map<string, CubeCounts>> {
  const members = subsets(request.dimensions.length, size);
  const rows = await aggregate(
    em,
    request,
    (columns) =>
      `grouping sets (${members.map((m) => `(${m.map((i) => columns[i]).join(', ')})`).join(', ')})`,
  );
  const cubes = new Map<string, CubeCounts>();
  const cubeOf = members.map((m) => {
    const cube: CubeCounts = { counts: new Map(), medians: new Map() };
    cubes.set(familyMember(m.map((i) => request.dimensions[i])), cube);
    return cube;
  });
  for (const row of rows) {
    if (row.unit == null) continue;
    const coords = coordinates(request, row);
    members.forEach((member, m) => {
      // The row belongs to every cube whose dimensions include the ones it fixes.
      if (!coords.every((c, i) => c === MARGIN || member.includes(i))) return;
      addCell(
        cubeOf[m],
        String(row.unit),
        member.map((i) => coords[i]),
        row,
      );
    });
  }
  return cubes;
}
