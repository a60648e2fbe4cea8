import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/domain/enums.js';
import { EXPORT_COLUMNS } from '../src/modules/search/offer-export.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

/**
 * /export/angebote.csv|.xlsx: the offer list as the requester may read it, through the same query and
 * policy as /graphql. The public gets bands and "nicht freigegeben", partners the numbers.
 */
let t: TestHub;
let partner: string;

beforeAll(async () => {
  t = await startTestHub('offer-export');
  partner = (await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF])).token;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const download = (format: 'csv' | 'xlsx', body: object, token?: string) =>
  fetch(`${t.origin}/export/angebote.${format}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

/** A semicolon CSV with quotes, as the hub writes it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell.replace(/\r$/, '')), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  return rows;
}

const FILTER = { filter: { kinds: ['JOB_LANGUAGE_COURSE'] }, orderBy: { field: 'TITLE', direction: 'ASC' } };
const col = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);

describe('offer export', () => {
  it('writes CSV with German columns: bands for the public, numbers for partners, in the list’s order', async () => {
    const expected = await t.gql<any>(
      'query($f: OfferFilter, $o: OfferOrder) { offers(first: 100, filter: $f, orderBy: $o) { totalCount nodes { title currentCapacityPeriod { available total } } } }',
      { f: FILTER.filter, o: FILTER.orderBy },
      { token: partner },
    );
    const nodes = expected.data.offers.nodes;
    expect(nodes.length).toBeGreaterThan(1);

    const publicAnswer = await download('csv', FILTER);
    expect(publicAnswer.status).toBe(200);
    expect(publicAnswer.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(publicAnswer.headers.get('content-disposition')).toContain('angebote.csv');
    const bytes = new Uint8Array(await publicAnswer.arrayBuffer());
    // With a byte-order mark, so that German Excel reads UTF-8 (fetch's text() would drop it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const publicRows = parseCsv(new TextDecoder().decode(bytes));
    expect(publicRows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(publicRows.slice(1).map((r) => r[0])).toEqual(nodes.map((n: any) => n.title));
    for (const row of publicRows.slice(1)) {
      expect(row[col('Angebotsart')]).toBe('Berufssprachkurs');
      expect(row[col('Freie Plätze (Stufe)')]).toMatch(/frei/);
      if (row[col('Beginn')]) {
        expect(row[col('Freie Plätze')]).toBe('nicht freigegeben');
        expect(row[col('Plätze gesamt')]).toBe('nicht freigegeben');
      }
    }

    const partnerRows = parseCsv(await (await download('csv', FILTER, partner)).text());
    nodes.forEach((node: any, i: number) => {
      const row = partnerRows[i + 1]!;
      expect(row[0]).toBe(node.title);
      if (node.currentCapacityPeriod) {
        expect(row[col('Freie Plätze')]).toBe(String(node.currentCapacityPeriod.available));
        expect(row[col('Plätze gesamt')]).toBe(String(node.currentCapacityPeriod.total));
      }
    });
  });

  it('writes XLSX with the same cells, numbers as numbers for partners', async () => {
    const read = async (token?: string) => {
      const answer = await download('xlsx', FILTER, token);
      expect(answer.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await answer.arrayBuffer());
      const sheet = workbook.getWorksheet('Angebote')!;
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const publicRows = await read();
    const partnerRows = await read(partner);
    expect(publicRows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(partnerRows.length).toBe(publicRows.length);
    const withPeriod = partnerRows.slice(1).filter((r) => typeof r[col('Plätze gesamt')] === 'number');
    expect(withPeriod.length).toBeGreaterThan(0);
    for (const row of publicRows.slice(1)) {
      expect(typeof row[col('Plätze gesamt')]).not.toBe('number');
      expect(typeof row[col('Freie Plätze')]).not.toBe('number');
    }
  });

  it('refuses a wrong filter as bad input and a bad token as unauthenticated', async () => {
    const bad = await download('csv', { filter: { kinds: ['NO_SUCH_KIND'] } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    const unauthenticated = await download('csv', {}, 'not.a.token');
    expect(unauthenticated.status).toBe(401);
  });
});
