import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_LABELS } from '../src/domain/labels.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/** The German search's parts beyond ranking: highlights, suggestions, bad input, the triggers behind it. */

let t: TestHub;
let db: pg.Client;

beforeAll(async () => {
  t = await startTestHub('search_german');
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

const SEARCH = `query($f: OfferFilter, $n: Int) { offers(first: $n, filter: $f) {
  searchSuggestions
  edges { node { title } searchHighlights { field fragments { text matched } } } } }`;

async function search(filter: Record<string, unknown>, n = 10) {
  const res = await t.gql<any>(SEARCH, { f: filter, n });
  return res;
}

const titles = async (text: string) =>
  ((await search({ search: text }, 50)).data.offers.edges as any[]).map((e) => e.node.title as string);

describe('highlights', () => {
  it('mark the matched words of title and description, forms and compound parts included', async () => {
    const res = await search({ search: 'Sprachkurse' });
    expect(res.errors).toBeUndefined();
    const edges = res.data.offers.edges as any[];
    expect(edges.length).toBeGreaterThan(0);
    for (const edge of edges) {
      const marked = (edge.searchHighlights as any[]).flatMap((h) =>
        h.fragments.filter((f: any) => f.matched).map((f: any) => f.text as string),
      );
      expect(marked.length, edge.node.title).toBeGreaterThan(0);
      for (const word of marked) expect(word.toLowerCase()).toMatch(/sprach|kurs/);
      const title = (edge.searchHighlights as any[]).find((h) => h.field === 'TITLE');
      if (title) expect(title.fragments.map((f: any) => f.text).join('')).toBe(edge.node.title);
    }
  });

  it('are null without a search, and a provider match is marked in the organisation', async () => {
    const none = await search({ kinds: ['EQ'] }, 3);
    expect(none.data.offers.edges[0].searchHighlights).toBeNull();
    expect(none.data.offers.searchSuggestions).toBeNull();
    const vhs = await search({ search: 'Volkshochschule' }, 3);
    const fields = (vhs.data.offers.edges[0].searchHighlights as any[]).map((h) => h.field);
    expect(fields).toContain('ORGANISATION');
  });

  it('cost one statement for the page, whatever its size', async () => {
    for (const n of [3, 20]) {
      await search({ search: 'Beratung', kinds: ['COUNSELLING'] }, n);
      t.statements.length = 0;
      await search({ search: 'Beratung', kinds: ['COUNSELLING'] }, n);
      // The ranked list is cached: the generation, the page's rows, the highlights.
      expect(t.statements.filter((s) => s.includes('search_highlight(')).length).toBe(1);
      expect(t.statements.length).toBe(3);
    }
  });
});

describe('suggestions', () => {
  it('name known terms near the words typed when nothing is found, each of which finds offers', async () => {
    const res = await search({ search: 'Kolpingg Zahnarzt' });
    expect(res.errors).toBeUndefined();
    expect(res.data.offers.edges).toEqual([]);
    const suggestions = res.data.offers.searchSuggestions as string[];
    expect(suggestions).toContain('Kolping');
    for (const s of suggestions) expect((await titles(s)).length, s).toBeGreaterThan(0);
  });

  it('respect the filters, and are empty when something was found', async () => {
    const filtered = await search({ search: 'Kolpingg Zahnarzt', districts: ['Hitdorf'] });
    expect(filtered.data.offers.searchSuggestions).not.toContain('Kolping');
    const found = await search({ search: 'Kolping' });
    expect(found.data.offers.searchSuggestions).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers stop words and operators with a result, never a PostgreSQL error', async () => {
    for (const text of ['und der die', 'a & b | !c <-> d:*', "Ausbildung'", '(((Kurs)))', 'Kurs -']) {
      const res = await search({ search: text });
      expect(res.errors, text).toBeUndefined();
    }
    expect((await search({ search: 'und der die' })).data.offers.edges).toEqual([]);
    expect((await titles('(((Sprachkurs))) & !')).length).toBeGreaterThan(0);
  });

  it('answers no words, too many words or a too long text with BAD_USER_INPUT', async () => {
    for (const text of [
      '!!! ((( &&& |||',
      '-',
      '"',
      'or or',
      'a b c d e f g h i j k l m n o p q',
      'x'.repeat(2000),
    ]) {
      const res = await search({ search: text });
      expect(res.errors?.[0]?.extensions?.code, text).toBe('BAD_USER_INPUT');
    }
  });
});

describe('the search document', () => {
  it('follows writes to the offer, its organisation and its location', async () => {
    const { rows } = await db.query(
      `select o.id, o.organisation_id, o.location_id from offer o join organisation g on g.id = o.organisation_id
        where o.active and g.active and o.title = 'Produktionsschule'`,
    );
    const offer = rows[0];
    await db.query(`update organisation set name = 'Zukunftswerkstatt Rheinufer gGmbH' where id = $1`, [
      offer.organisation_id,
    ]);
    expect(await titles('Zukunftswerkstatt')).toContain('Produktionsschule');
    expect(await titles('Zukunftswerkstat')).toContain('Produktionsschule');
    await db.query(`update location set district = 'Bergisch Neukirchen' where id = $1`, [offer.location_id]);
    expect(await titles('Neukirchen')).toContain('Produktionsschule');
    await db.query(`update offer set title = 'Produktionsschule Fahrradmanufaktur' where id = $1`, [
      offer.id,
    ]);
    expect(await titles('Fahrradmanufaktur')).toContain('Produktionsschule Fahrradmanufaktur');
  });

  it('corrects typos towards what visible offers hold: an archived offer changes no answer', async () => {
    const { rows } = await db.query(
      `select o.id, o.organisation_id, o.location_id from offer o join organisation g on g.id = o.organisation_id
        where o.active and g.active order by o.id limit 1`,
    );
    const [live] = rows;
    const copy = `insert into offer (organisation_id, location_id, kind, title, description, languages, required_german_level, cost_cents, active)
      select organisation_id, location_id, kind, $2, 'x', languages, required_german_level, 0, $3 from offer where id = $1`;
    await db.query(copy, [live.id, 'Kupferdrachenwerkstatt', true]);
    const typo = async () => {
      const res = await search({ search: 'Kupferdrachenwerkstadt' });
      return {
        titles: (res.data.offers.edges as any[]).map((e) => e.node.title),
        suggestions: res.data.offers.searchSuggestions,
      };
    };
    const before = await typo();
    expect(before.titles).toContain('Kupferdrachenwerkstatt');
    // An archived offer holding exactly the typed word: its word is in the vocabulary, not in a visible offer.
    await db.query(copy, [live.id, 'Kupferdrachenwerkstadt', false]);
    expect(await typo()).toEqual(before);
    // Nor is an archived offer's word offered as a correction.
    await db.query(`update offer set active = false where title = 'Kupferdrachenwerkstatt'`);
    const gone = await typo();
    expect(gone.titles).toEqual([]);
    expect(gone.suggestions ?? []).not.toContain('Kupferdrachenwerkstatt');
    expect(gone.suggestions ?? []).not.toContain('Kupferdrachenwerkstadt');
  });

  it('names kinds by the labels the hub uses everywhere else', async () => {
    for (const [kind, label] of Object.entries(KIND_LABELS)) {
      const { rows } = await db.query('select search_kind_label($1) as label', [kind]);
      expect(rows[0].label).toBe(label);
    }
  });
});
