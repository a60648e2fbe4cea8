import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/graphql/global-id.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { RELEVANCE_CASES, type RelevanceCase, type SeedOffer } from './helpers/relevance-cases.js';

/**
 * Recall@10 and precision@10 of the offer search on the demo data, as the public sees it. Recall: of the
 * offers a query must find, the share in the first 10 (of at most 10 of them). Precision: of the first
 * 10 returned, the share that is a fair answer. Nonsense queries must return nothing at all.
 */

let t: TestHub;
let offers: SeedOffer[];

beforeAll(async () => {
  t = await startTestHub('search_relevance');
  const db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
  try {
    offers = (
      await db.query(
        `select o.id, o.title, o.description, o.kind, o.languages, o.required_german_level as level,
                g.name as organisation, l.name as location, l.district
           from offer o join organisation g on g.id = o.organisation_id join location l on l.id = o.location_id
          where o.active and g.active`,
      )
    ).rows;
  } finally {
    await db.end();
  }
});

afterAll(async () => {
  await t?.stop();
});

interface Outcome {
  testCase: RelevanceCase;
  found: string[];
  recall?: number;
  precision?: number;
  forbidden: string[];
}

async function run(testCase: RelevanceCase): Promise<Outcome> {
  const res = await t.gql<any>('query($f: OfferFilter) { offers(first: 10, filter: $f) { nodes { id } } }', {
    f: { ...testCase.filter, search: testCase.query },
  });
  expect(res.errors, testCase.query).toBeUndefined();
  const found = res.data.offers.nodes.map((n: { id: string }) => fromGlobalId(n.id).id) as string[];
  const byId = new Map(offers.map((o) => [o.id, o]));
  const must = offers.filter((o) => testCase.must(o)).map((o) => o.id);
  const relevant = new Set(offers.filter((o) => testCase.must(o) || testCase.relevant?.(o)).map((o) => o.id));
  const forbidden = found.filter((id) => testCase.mustNot?.(byId.get(id)!));
  const outcome: Outcome = { testCase, found, forbidden };
  if (must.length > 0) {
    outcome.recall = found.filter((id) => must.includes(id)).length / Math.min(10, must.length);
    outcome.precision = found.length ? found.filter((id) => relevant.has(id)).length / found.length : 0;
  }
  return outcome;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('search relevance on the demo data', () => {
  it(`has at least 60 queries`, () => {
    expect(RELEVANCE_CASES.length).toBeGreaterThanOrEqual(60);
  });

  it('finds what must be found in the first 10, and nothing for nonsense', async () => {
    const outcomes: Outcome[] = [];
    for (const testCase of RELEVANCE_CASES) outcomes.push(await run(testCase));
    const scored = outcomes.filter((o) => o.recall !== undefined);
    const recall = mean(scored.map((o) => o.recall!));
    const precision = mean(scored.map((o) => o.precision!));
    const nonsense = outcomes.filter((o) => o.testCase.group === 'nonsense');
    const groups = [...new Set(scored.map((o) => o.testCase.group))].map(
      (g) => `${g} ${mean(scored.filter((o) => o.testCase.group === g).map((o) => o.recall!)).toFixed(3)}`,
    );
    const misses = scored
      .filter((o) => o.recall! < 1)
      .map(
        (o) => `  ${o.testCase.query}: recall ${o.recall!.toFixed(2)}, precision ${o.precision!.toFixed(2)}`,
      );
    console.log(
      [
        `relevance: ${scored.length} queries, recall@10 ${recall.toFixed(3)}, precision@10 ${precision.toFixed(3)}`,
        `  nonsense answered empty: ${nonsense.filter((o) => o.found.length === 0).length}/${nonsense.length}`,
        `  recall by group: ${groups.join(', ')}`,
        ...misses,
      ].join('\n'),
    );
    expect(nonsense.filter((o) => o.found.length > 0).map((o) => o.testCase.query)).toEqual([]);
    expect(outcomes.filter((o) => o.forbidden.length > 0).map((o) => o.testCase.query)).toEqual([]);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.8);
  });
});
