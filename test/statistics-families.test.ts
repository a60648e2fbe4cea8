import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  AgeBand,
  Gender,
  GermanLevel,
  OrganisationKind,
  PathwayStage,
  ResidenceStatus,
  Role,
  SchoolLevel,
} from '../src/domain/enums.js';
import { StatisticsDimension, StatisticsMeasure } from '../src/domain/statistics.js';
import {
  type CubeRequest,
  freezeYear,
  type PeriodUnit,
  queryCube,
  queryCubeFamily,
} from '../src/modules/statistics/population.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

let t: TestHub;
let partner: string;
let caseManager: string;
let db: pg.Client;

beforeAll(async () => {
  // The demo seed: 207 cases, reference date 2026-11-01; 2025 is a closed year.
  t = await startTestHub('statistics-families', { env: { STATISTICS_UPDATE_INTERVAL_MS: '400' } });
  partner = (await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF])).token;
  caseManager = (await tokenFor(t.hub.database.orm, [Role.CASE_MANAGER])).token;
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

/** The definition case_state_span replaces: the last event on or before the day that set the state. */
const SPANS_DIFFER_FROM_EVENTS = `
  with day(d) as (select generate_series('2023-06-01'::date, current_date + 30, '23 days')::date),
  by_events as (
    select c.id, day.d,
      coalesce((select e.to_stage from case_event e where e.case_id = c.id and e.to_stage is not null
                and e.occurred_on <= day.d order by e.occurred_on desc, e.seq desc limit 1), c.stage) as stage,
      coalesce((select e.to_status from case_event e where e.case_id = c.id and e.to_status is not null
                and e.occurred_on <= day.d order by e.occurred_on desc, e.seq desc limit 1), c.residence_status) as status
    from case_record c cross join day),
  by_spans as (
    select c.id, day.d, coalesce(s.stage, c.stage) as stage, coalesce(s.residence_status, c.residence_status) as status
    from case_record c cross join day
    left join case_state_span s on s.case_id = c.id and s.valid_from <= day.d and (s.valid_to is null or s.valid_to > day.d))
  select count(*)::int as n from ((select * from by_events except select * from by_spans)
                                  union all (select * from by_spans except select * from by_events)) x`;

describe('case_state_span', () => {
  it('gives every case the stage and status of its events as of any day, through inserts, updates and deletes', async () => {
    const differences = async () => (await db.query(SPANS_DIFFER_FROM_EVENTS)).rows[0].n as number;
    expect((await db.query('select count(*)::int as n from case_state_span')).rows[0].n).toBeGreaterThan(200);
    expect(await differences()).toBe(0);

    const { rows } = await db.query(
      `select c.id, min(e.occurred_on)::text as intake from case_record c join case_event e on e.case_id = c.id
       group by c.id order by c.id limit 2`,
    );
    const [a, b] = rows as { id: string; intake: string }[];
    // Same-day events: a stage change, then a status change — the day's state is both (the later
    // event alone must not lose the stage); then a back-dated event between existing ones.
    await db.query(
      `insert into case_event (case_id, kind, occurred_on, from_stage, to_stage) values ($1, 'STAGE_CHANGE', $2::date + 40, 'INTAKE', 'LANGUAGE')`,
      [a.id, a.intake],
    );
    await db.query(
      `insert into case_event (case_id, kind, occurred_on, from_status, to_status) values ($1, 'STATUS_CHANGE', $2::date + 40, 'GESTATTUNG', 'DULDUNG')`,
      [a.id, a.intake],
    );
    await db.query(
      `insert into case_event (case_id, kind, occurred_on, from_stage, to_stage) values
         ($1, 'STAGE_CHANGE', $2::date + 10, 'INTAKE', 'ORIENTATION'), ($3, 'STAGE_CHANGE', $4::date + 5, 'INTAKE', 'EQ')`,
      [a.id, a.intake, b.id, b.intake],
    );
    expect(await differences()).toBe(0);
    const asOf = await db.query(
      `select stage, residence_status from case_state_span where case_id = $1 and valid_from = $2::date + 40`,
      [a.id, a.intake],
    );
    expect(asOf.rows).toEqual([{ stage: 'LANGUAGE', residence_status: 'DULDUNG' }]);

    await db.query(
      `update case_event set occurred_on = occurred_on + 3 where case_id = $1 and to_stage = 'ORIENTATION'`,
      [a.id],
    );
    expect(await differences()).toBe(0);
    await db.query(`delete from case_event where case_id = $1 and to_stage = 'EQ'`, [b.id]);
    expect(await differences()).toBe(0);
    await db.query(
      `delete from case_event where case_id = $1 and kind in ('STAGE_CHANGE', 'STATUS_CHANGE')`,
      [a.id],
    );
    expect(await differences()).toBe(0);
  });
});

const ENUMS: Record<string, string[]> = {
  STAGE: Object.values(PathwayStage),
  RESIDENCE_STATUS: Object.values(ResidenceStatus),
  AGE_BAND: Object.values(AgeBand),
  GENDER: Object.values(Gender),
  SCHOOL_LEVEL: Object.values(SchoolLevel),
  GERMAN_LEVEL: Object.values(GermanLevel),
  ORGANISATION_KIND: Object.values(OrganisationKind),
};
const ATTRIBUTES = Object.values(StatisticsDimension).filter(
  (d) => d !== StatisticsDimension.PERIOD,
) as Exclude<StatisticsDimension, StatisticsDimension.PERIOD>[];

function units(year: number, level: number): PeriodUnit[] {
  const result: PeriodUnit[] = [{ id: `${year}`, level: 0, start: `${year}-01-01`, end: `${year}-12-31` }];
  if (level >= 1)
    for (let q = 1; q <= 4; q++) {
      const last = new Date(Date.UTC(year, q * 3, 0)).toISOString().slice(0, 10);
      const first = `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`;
      result.push({ id: `${year}-Q${q}`, level: 1, parent: `${year}`, start: first, end: last });
    }
  return result;
}

const sorted = (map: Map<string, number>) => [...map].sort(([a], [b]) => a.localeCompare(b));

describe('cube families', () => {
  it('hold for every cube of up to two dimensions exactly what its own statement returns', async () => {
    const em = t.hub.database.orm.em.fork();
    const nationalities = [
      ...(
        await db.query(
          `select nationality_group as g from case_record group by 1 having count(*) >= 10 order by 1`,
        )
      ).rows.map((r) => r.g as string),
      'OTHER',
    ];
    const domains = ATTRIBUTES.map((d) => (d === 'NATIONALITY_GROUP' ? nationalities : ENUMS[d]));
    await freezeYear(em.fork(), 2025, [...units(2025, 1)]);
    const cases: [string, Partial<CubeRequest>][] = [
      ['stocks, live, year and quarters', { measure: StatisticsMeasure.CASES, units: units(2026, 1) }],
      ['stocks, frozen', { measure: StatisticsMeasure.CASES, units: units(2025, 0), frozenYear: 2025 }],
      [
        'flows, live, quarters',
        { measure: StatisticsMeasure.TRANSITIONS, stage: 'AUSBILDUNG', units: units(2026, 1) },
      ],
      [
        'flows, frozen, year',
        {
          measure: StatisticsMeasure.TRANSITIONS,
          stage: 'AUSBILDUNG',
          units: units(2025, 0),
          frozenYear: 2025,
        },
      ],
    ];
    for (const [label, partial] of cases) {
      const request = {
        stage: null,
        nationalityGroups: nationalities,
        dimensions: ATTRIBUTES,
        domains,
        ...partial,
      } as CubeRequest;
      const family = await queryCubeFamily(em, request, 2);
      expect(family.size, label).toBe(1 + 8 + 28);
      let cells = 0;
      for (const [member, cube] of family) {
        const dimensions = member ? (member.split(',') as typeof ATTRIBUTES) : [];
        const alone = await queryCube(em, {
          ...request,
          dimensions,
          domains: dimensions.map((d) => domains[ATTRIBUTES.indexOf(d)]),
        });
        expect(sorted(cube.counts), `${label}: ${member}`).toEqual(sorted(alone.counts));
        expect(sorted(cube.medians), `${label}: ${member}`).toEqual(sorted(alone.medians));
        cells += cube.counts.size;
      }
      expect(cells, label).toBeGreaterThan(100);
    }
  });
});

const TABLE = `query($d: [StatisticsDimension!]!, $y: Int!) {
  caseStatistics(measure: CASES, dimensions: $d, period: { year: $y }) { total { value } cells { key value status } }
}`;

async function table(dimensions: string[], year: number) {
  const res = await t.gql<any>(TABLE, { d: dimensions, y: year } as never, { token: partner });
  expect(res.errors).toBeUndefined();
  return res.data.caseStatistics as { total: { value: number }; cells: { key: string[]; value: number }[] };
}

/** Statements that aggregate cases or frozen rows (not the nationality groups' list). */
const aggregates = () => t.statements.filter((s) => /group by (unit|min|\(\)|cube|grouping)/i.test(s));

async function until(condition: () => boolean, what: string) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('cube families in the service', () => {
  it('answers sibling tables from one statement, and after a change of cases from a recomputed family that counts it', async () => {
    t.statements.length = 0;
    await table(['GENDER', 'AGE_BAND'], 2026);
    // The first table of a population computes its whole family in one statement (and nothing else).
    expect(aggregates().filter((s) => /grouping sets/i.test(s))).toHaveLength(1);
    expect(aggregates().filter((s) => /cube\(/i.test(s))).toHaveLength(0);
    t.statements.length = 0;
    const before = await table(['AGE_BAND', 'NATIONALITY_GROUP'], 2026);
    const closedBefore = await table(['GENDER', 'GERMAN_LEVEL'], 2025);
    await until(
      () => aggregates().some((s) => /grouping sets/i.test(s) && /statistics_snapshot_row/.test(s)),
      'the frozen family',
    );
    t.statements.length = 0;
    const genderBefore = await table(['GENDER'], 2026);
    expect(aggregates()).toEqual([]); // a sibling of the live family: no statement

    const signals: unknown[] = [];
    const client: Client = createClient({
      url: t.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
    });
    client.subscribe(
      { query: 'subscription { statisticsUpdated { changedAt } }' },
      { next: (v) => signals.push(v), error: () => undefined, complete: () => undefined },
    );
    await new Promise((r) => setTimeout(r, 300));
    const today = new Date().toISOString().slice(0, 10);
    const created = await t.gql<any>(
      `mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }`,
      {
        i: {
          intakeDate: today,
          ageBand: 'AGE_21_24',
          gender: 'F',
          nationalityGroup: 'SY',
          residenceStatus: 'GESTATTUNG',
          schoolLevel: 'LOWER_SECONDARY',
          germanLevel: 'A1',
        },
      } as never,
      { token: caseManager },
    );
    expect(created.errors).toBeUndefined();
    await until(() => signals.length > 0, 'statisticsUpdated');
    await client.dispose();
    const year = Number(today.slice(0, 4));
    if (year !== 2026) return; // the demo data's open year

    // The signal comes after the live family was recomputed: screens asking then find it warm.
    t.statements.length = 0;
    const after = await table(['AGE_BAND', 'NATIONALITY_GROUP'], 2026);
    const genderAfter = await table(['GENDER'], 2026);
    expect(aggregates()).toEqual([]);
    expect(after.total.value).toBe(before.total.value + 1);
    expect(genderAfter.total.value).toBe(genderBefore.total.value + 1);
    const female = (x: typeof genderAfter) => x.cells.find((c) => c.key[0] === 'F')!.value;
    expect(female(genderAfter)).toBe(female(genderBefore) + 1);
    // A closed year's family was kept and never changes.
    expect((await table(['GENDER', 'GERMAN_LEVEL'], 2025)).cells).toEqual(closedBefore.cells);
    expect(aggregates()).toEqual([]);
  });
});
