import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../src/db/sql.js';
import { Role } from '../src/domain/enums.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { float4AsPrinted } from '../src/modules/search/cache.js';
import { searchText } from '../src/modules/search/search-text.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

/**
 * Counts and RELEVANCE rankings are reused while the search generation stays
 * (src/modules/offer/search/cache.ts): these tests pin that a reused result is what PostgreSQL would
 * answer now, whoever wrote in between.
 */

let t: TestHub;
let db: pg.Client;
let partner: string;

beforeAll(async () => {
  t = await startTestHub('offers_search_cache');
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
  partner = (await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF])).token;
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

const QUERY = `query($f: OfferFilter, $o: OfferOrder, $n: Int, $a: String, $l: Int, $b: String) {
  offers(first: $n, after: $a, last: $l, before: $b, filter: $f, orderBy: $o) {
    totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`;

async function offers(variables: Record<string, unknown>) {
  t.statements.length = 0;
  const res = await t.gql<any>(QUERY, variables, { token: partner });
  expect(res.errors).toBeUndefined();
  const o = res.data.offers;
  return {
    total: o.totalCount as number,
    ids: o.edges.map((e: any) => e.node.id) as string[],
    cursors: o.edges.map((e: any) => e.cursor) as string[],
    pageInfo: o.pageInfo,
    /** What the request ran besides the page: counts and full rankings. */
    counted: t.statements.filter((s) => s.includes('count(*)::int as n')).length,
    ranked: t.statements.filter((s) => s.includes('string_agg(uuid_send')).length,
  };
}

const total = async (f: Record<string, unknown>) => (await offers({ f, n: 1 })).total;

const cursorOf = (field: string, descending: boolean, key: unknown, id: string) =>
  Buffer.from(JSON.stringify(['offers', field, descending ? 1 : 0, key, id]), 'utf8').toString('base64url');

/** PostgreSQL's own RELEVANCE order and sort keys (float4 rank as the driver parses it) for a search. */
async function sqlRanking(search: string) {
  // The hub's own query expressions for the text, ranked by SQL alone (no page, no cache).
  const text = searchText(search);
  const query = sql`select o.id, (case when o.search_vector @@ (${text.exact}) then 1 + ts_rank_cd(o.search_vector, (${text.exact}), 32)
        else ts_rank_cd(o.search_vector, (${text.loose}), 32) end)::float4 as rank
       from offer o join organisation org on org.id = o.organisation_id
      where o.active and org.active and o.search_vector @@ (${text.loose})
      order by rank desc, o.id desc`;
  const { rows } = await db.query<{ id: string; rank: number }>(query.text, query.values);
  return rows;
}

describe('RELEVANCE pages cut from the ranked list', () => {
  const search = 'Ausbildung';

  it('walk forwards and backwards through exactly PostgreSQL’s order, with the same cursors', async () => {
    const expected = await sqlRanking(search);
    expect(expected.length).toBeGreaterThan(5);
    expect(new Set(expected.map((r) => r.rank)).size).toBeGreaterThan(1);
    for (const descending of [true, false]) {
      const order = descending ? expected : [...expected].reverse();
      const o = { field: 'RELEVANCE', direction: descending ? 'DESC' : 'ASC' };
      const seen: string[] = [];
      const cursors: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 50; i++) {
        const page = await offers({ f: { search }, o, n: 2, a: after });
        expect(page.total).toBe(expected.length);
        seen.push(...page.ids);
        cursors.push(...page.cursors);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(order.map((r) => toGlobalId('Offer', r.id)));
      expect(cursors).toEqual(order.map((r) => cursorOf('RELEVANCE', descending, r.rank, r.id)));
      // Backwards from the end: the last 3 before the last one.
      const back = await offers({ f: { search }, o, l: 3, b: cursors.at(-1) });
      expect(back.ids).toEqual(seen.slice(-4, -1));
      expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    }
  });

  it('ranks once per generation: later pages and counts run no ranking or count statement', async () => {
    const o = { field: 'RELEVANCE', direction: 'DESC' };
    const first = await offers({ f: { search: 'Sprachkurs' }, o, n: 3 });
    const again = await offers({ f: { search: 'Sprachkurs' }, o, n: 3, a: first.cursors.at(-1) });
    expect(again.ranked + again.counted).toBe(0);
    expect(again.total).toBe(first.total);
  });

  it('a cursor rank from the SQL text is found in the list (float4 printed as PostgreSQL prints it)', () => {
    for (const value of [0.1, 1.4, 0.0333, 2.2, 1 / 3, 123.456, 1e-7]) {
      const f = Math.fround(value);
      const printed = float4AsPrinted(f);
      expect(Math.fround(printed)).toBe(f);
      expect(printed.toString().length).toBeLessThanOrEqual(f.toString().length);
    }
    expect(float4AsPrinted(Math.fround(1.4))).toBe(1.4);
    expect(float4AsPrinted(Math.fround(0.1))).toBe(0.1);
  });
});

describe('a write is reflected by the next search, whoever wrote it', () => {
  it('counts: offer added, archived, organisation deactivated, location moved, rule changed', async () => {
    const eq = { kinds: ['EQ'] };
    const before = await total(eq);
    const reused = await offers({ f: eq, n: 1 });
    expect(reused.counted).toBe(0);
    expect(reused.total).toBe(before);

    // Raw SQL stands for any writer: another instance, the import, psql.
    const { rows } = await db.query(
      `select o.id, o.organisation_id, o.location_id from offer o join organisation g on g.id = o.organisation_id
        where o.kind = 'EQ' and o.active and g.active limit 1`,
    );
    const some = rows[0];
    const added = (
      await db.query(
        `insert into offer (organisation_id, location_id, kind, title, description) values ($1, $2, 'EQ', 'EQ neu', 'x') returning id`,
        [some.organisation_id, some.location_id],
      )
    ).rows[0].id;
    const afterInsert = await offers({ f: eq, n: 1 });
    expect(afterInsert.total).toBe(before + 1);
    expect(afterInsert.counted).toBe(1);

    await db.query('update offer set active = false where id = $1', [added]);
    expect(await total(eq)).toBe(before);

    const ofOrg = Number(
      (
        await db.query(`select count(*) from offer where kind = 'EQ' and active and organisation_id = $1`, [
          some.organisation_id,
        ])
      ).rows[0].count,
    );
    expect(ofOrg).toBeGreaterThan(0);
    await db.query('update organisation set active = false where id = $1', [some.organisation_id]);
    expect(await total(eq)).toBe(before - ofOrg);
    await db.query('update organisation set active = true where id = $1', [some.organisation_id]);
    expect(await total(eq)).toBe(before);

    const { district } = (await db.query('select district from location where id = $1', [some.location_id]))
      .rows[0];
    const inDistrict = await total({ districts: [district] });
    await db.query(`update location set district = 'Nirgendwo' where id = $1`, [some.location_id]);
    expect(await total({ districts: [district] })).toBeLessThan(inDistrict);
    await db.query('update location set district = $2 where id = $1', [some.location_id, district]);
    expect(await total({ districts: [district] })).toBe(inDistrict);

    const profile = { eligibleFor: { residenceStatus: 'AE_OTHER', age: 30, germanLevel: 'C2' } };
    const eligible = await total(profile);
    await db.query(
      `update eligibility_rule set residence_statuses = array['AE_OTHER'], min_age = 14, max_age = 99, min_german_level = null
        where offer_id in (select id from offer where active and required_german_level <= 'C2')
          and not ('AE_OTHER' = any(residence_statuses) and 30 between min_age and max_age)`,
    );
    expect(await total(profile)).toBeGreaterThan(eligible);
  });

  it('RELEVANCE: an offer renamed to match is found at once', async () => {
    const o = { field: 'RELEVANCE', direction: 'DESC' };
    const word = 'Quantenchromodynamik';
    expect((await offers({ f: { search: word }, o, n: 5 })).total).toBe(0);
    const { id } = (await db.query(`select id from offer where active order by title limit 1`)).rows[0];
    await db.query(`update offer set title = $2 where id = $1`, [id, `${word} für Einsteiger`]);
    const found = await offers({ f: { search: word }, o, n: 5 });
    expect(found.ids).toEqual([toGlobalId('Offer', id)]);
    expect(found.total).toBe(1);
  });

  it('an uncommitted write never leaves a stale count behind once it commits', async () => {
    const f = { kinds: ['COUNSELLING'] };
    const before = await total(f);
    const other = new pg.Client({ connectionString: t.database.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`update offer set active = false where id = (
        select id from offer where kind = 'COUNSELLING' and active order by id limit 1)`);
      // Counted (and cached) while the change is uncommitted: the old number, correctly.
      expect(await total(f)).toBe(before);
      await other.query('commit');
      expect(await total(f)).toBe(before - 1);
    } finally {
      await other.end();
    }
  });

  it('searches on capacity (free places now) are never reused', async () => {
    const f = { hasFreePlaces: true };
    const current = `(select p.id, p.total - p.occupied - p.reserved as free from capacity_period p
      where p.offer_id = o.id and p.ends_on >= (now() at time zone 'Europe/Berlin')::date order by p.starts_on > (now() at time zone 'Europe/Berlin')::date, p.starts_on, p.id limit 1)`;
    const freeNow = `from offer o join organisation g on g.id = o.organisation_id
      join lateral ${current} c on true where o.active and g.active and c.free > 0`;
    const sqlCount = async () => Number((await db.query(`select count(*) ${freeNow}`)).rows[0].count);
    const before = await offers({ f, n: 1 });
    expect(before.total).toBe(await sqlCount());
    expect((await offers({ f, n: 1 })).counted).toBe(1);
    // A period fills up (as reservations do, without touching the tables behind the generation).
    await db.query(
      `update capacity_period set occupied = total - reserved where id = (select c.id ${freeNow} limit 1)`,
    );
    const after = await offers({ f, n: 1 });
    expect(after.total).toBe(before.total - 1);
    expect(after.total).toBe(await sqlCount());
  });

  it('folding the change rows keeps the generation, and with it the cached results', async () => {
    const f = { kinds: ['ASSESSMENT'] };
    await total(f);
    // Many writing transactions' rows (keys far from real transaction ids): a new generation.
    await db.query(
      'insert into offer_search_change (txid) select -g from generate_series(1, 600) g on conflict do nothing',
    );
    const recount = await offers({ f, n: 1 });
    expect(recount.counted).toBe(1);
    // That read saw > 500 rows and folded them in the background into one row of the same sum.
    for (let i = 0; i < 100; i++) {
      const { rows } = await db.query('select count(*)::int as n from offer_search_change');
      if (rows[0].n === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await db.query('select count(*)::int as n from offer_search_change')).rows[0].n).toBe(1);
    const reused = await offers({ f, n: 1 });
    expect(reused.counted).toBe(0);
    expect(reused.total).toBe(recount.total);
  });
});
