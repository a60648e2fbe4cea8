import { randomBytes } from 'node:crypto';
import http from 'node:http';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/global-id.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;
let f: PartnerFixture;
let db: pg.Client;
let editor: string;
let staff: string;
let otherEditor: string;
let locationName: string;

beforeAll(async () => {
  t = await startTestHub('import', { seed: false });
  f = await createPartnerFixture(t.database.url, 'import');
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
  editor = await f.token(f.accounts.ownerEditor);
  staff = await f.token(f.accounts.ownerStaff);
  otherEditor = await f.token(f.accounts.otherEditor);
  locationName = (
    await db.query('select name from location where organisation_id = $1 limit 1', [f.ids.ownerOrg])
  ).rows[0].name;
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function post(
  body: Buffer | string,
  type: string,
  options: {
    token?: string;
    apply?: boolean;
    digest?: string;
    plan?: string;
    skipInvalid?: boolean;
    org?: string;
  } = {},
) {
  const query = new URLSearchParams({
    organisationId: options.org ?? toGlobalId('Organisation', f.ids.ownerOrg),
  });
  if (options.skipInvalid) query.set('skipInvalid', 'true');
  if (options.plan) query.set('plan', options.plan);
  if (options.apply) {
    // As the dashboard does: a dry run first, then apply with its digest.
    const digest = options.digest ?? (await post(body, type, { ...options, apply: false })).body.digest;
    query.set('apply', 'true');
    if (digest) query.set('digest', digest);
  }
  const response = await fetch(`${t.origin}/import/offers?${query}`, {
    method: 'POST',
    headers: {
      'content-type': type,
      ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as any };
}

const offersWithKeys = async (prefix: string) =>
  (
    await db.query(
      'select external_key, title, version, location_id from offer where organisation_id = $1 and external_key like $2 order by 1',
      [f.ids.ownerOrg, `${prefix}%`],
    )
  ).rows;

/** A CSV as partners make it: a title row, German headers, German dates, Windows-1252 or UTF-8. */
function csv(prefix: string, delimiter: ';' | ',', rows: string[][]) {
  const head = [
    ['Angebote der Organisation (Stand Herbst)'],
    [
      'Externe ID',
      'Titel',
      'Art',
      'Beschreibung',
      'Standort',
      'Beginn',
      'Ende',
      'Plätze gesamt',
      'Plätze belegt',
    ],
  ];
  const quote = (v: string) => (v.includes(delimiter) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v);
  return [...head, ...rows.map((r) => [r[0] ? `${prefix}${r[0]}` : '', ...r.slice(1)])]
    .map((r) => r.map(quote).join(delimiter))
    .join('\r\n');
}

describe('import: CSV', () => {
  it('reads Windows-1252 with semicolons and a title row; a dry run writes nothing; apply writes all; re-import changes nothing', async () => {
    const rows = [
      [
        '1',
        'Integrationskurs für Frauen',
        'Integrationskurs',
        'Mit Kinderbetreuung; vormittags',
        locationName,
        '01.09.2026',
        '28.02.2027',
        '20',
        '5',
      ],
      [
        '1',
        'Integrationskurs für Frauen',
        'Integrationskurs',
        'Mit Kinderbetreuung; vormittags',
        locationName,
        '01.03.2027',
        '31.08.2027',
        '18',
        '0',
      ],
      ['', '', '', '', '', '', '', '', ''],
      [
        '2',
        'Ausbildung Fachkraft Lagerlogistik',
        'Ausbildung',
        'Drei Jahre, Berufsschule in Opladen',
        locationName,
        '01.08.2027',
        '31.07.2030',
        '3',
        '0',
      ],
    ];
    const text = csv('W-', ';', rows);
    const latin = Buffer.from(
      [...text].map((ch) => {
        const code = ch.charCodeAt(0);
        if (code < 256) return code;
        throw new Error(`not in Windows-1252: ${ch}`);
      }),
    );
    const dry = await post(latin, 'text/csv', { token: editor });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      format: 'csv',
      encoding: 'Windows-1252',
      delimiter: ';',
      headerRow: 2,
      dataRows: 3,
      emptyRows: 1,
      offers: { create: 2, update: 0, unchanged: 0 },
      periods: { create: 3, update: 0, unchanged: 0 },
      problemCount: 0,
      applied: false,
    });
    expect(await offersWithKeys('W-')).toEqual([]);

    const applied = await post(latin, 'text/csv', { token: editor, apply: true, digest: dry.body.digest });
    expect(applied.body).toMatchObject({ applied: true, offers: { create: 2 }, periods: { create: 3 } });
    const created = await offersWithKeys('W-');
    expect(created.map((o) => o.title)).toEqual([
      'Integrationskurs für Frauen',
      'Ausbildung Fachkraft Lagerlogistik',
    ]);
    const periods = await db.query(
      `select p.starts_on::text, p.total, p.occupied from capacity_period p join offer o on o.id = p.offer_id
       where o.external_key = 'W-1' order by 1`,
    );
    expect(periods.rows).toEqual([
      { starts_on: '2026-09-01', total: 20, occupied: 5 },
      { starts_on: '2027-03-01', total: 18, occupied: 0 },
    ]);

    const again = await post(latin, 'text/csv', { token: editor, apply: true });
    expect(again.body).toMatchObject({
      applied: true,
      offers: { create: 0, update: 0, unchanged: 2 },
      periods: { create: 0, update: 0, unchanged: 3 },
    });
    expect(await offersWithKeys('W-')).toEqual(created);
  });

  it('updates a changed row with its history, audit trail and a places event; UTF-8 with commas works too', async () => {
    const base = [
      [
        '1',
        'Berufssprachkurs B2',
        'Berufssprachkurs',
        'Pflege, Handwerk',
        locationName,
        '2026-10-01',
        '2027-03-31',
        '15',
        '10',
      ],
    ];
    const first = await post(csv('U-', ',', base), 'text/csv', { token: editor, apply: true });
    expect(first.body).toMatchObject({
      encoding: 'UTF-8',
      delimiter: ',',
      applied: true,
      offers: { create: 1 },
    });
    const [before] = await offersWithKeys('U-');

    const changed = [
      [
        '1',
        'Berufssprachkurs B2 (Pflege)',
        'Berufssprachkurs',
        'Pflege, Handwerk',
        locationName,
        '2026-10-01',
        '2027-03-31',
        '15',
        '4',
      ],
    ];
    const second = await post(csv('U-', ',', changed), 'text/csv', { token: editor, apply: true });
    expect(second.body).toMatchObject({ applied: true, offers: { update: 1 }, periods: { update: 1 } });
    const [after] = await offersWithKeys('U-');
    expect(after.title).toBe('Berufssprachkurs B2 (Pflege)');
    expect(after.version).toBe(before.version + 1);
    const audit = await db.query(
      `select action, details from audit_entry where entity_type = 'Offer' and details->>'externalKey' = 'U-1' order by id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['offer.created', 'offer.updated']);
    expect(audit.rows[1].details).toMatchObject({
      source: 'import',
      before: { title: 'Berufssprachkurs B2' },
      after: { title: 'Berufssprachkurs B2 (Pflege)' },
    });
    // 6 places became free by the import: subscribers hear of it as from the API
    const events = await db.query(
      `select payload from domain_event where type = 'places.changed' and payload->>'reason' = 'imported' and payload->>'offerId' = (select id::text from offer where external_key = 'U-1')`,
    );
    expect(events.rows.map((r) => [r.payload.previousAvailable, r.payload.available])).toEqual([
      [0, 5],
      [5, 11],
    ]);
  });

  it('reports every row problem in German and writes nothing when one row is wrong (all or nothing)', async () => {
    const rows = [
      [
        '1',
        'Gute Zeile',
        'EQ',
        'Einstiegsqualifizierung im Handwerk',
        locationName,
        '01.08.2026',
        '31.07.2027',
        '4',
        '0',
      ],
      ['2', 'Ab', 'Kochkurs', '', locationName, '31.02.2026', '01.01.2026', 'zehn', '3'],
      ['3', 'Neuer Ort ohne Adresse', 'Beratung', 'Sprechstunde', 'Unbekannter Treff', '', '', '', ''],
      [
        '4',
        'Zu viele belegt',
        'Beratung',
        'Sprechstunde',
        locationName,
        '01.01.2027',
        '31.12.2027',
        '2',
        '5',
      ],
    ];
    const dry = await post(csv('P-', ';', rows), 'text/csv', { token: editor, apply: true });
    expect(dry.body.applied).toBe(false);
    const messages = dry.body.problems.map((p: any) => `${p.row}|${p.column}|${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^4\|Titel\|ist zu kurz/),
        expect.stringMatching(/^4\|Art\|„Kochkurs“ ist keine bekannte Angebotsart/),
        expect.stringMatching(/^4\|Beschreibung\|fehlt/),
        expect.stringMatching(/^4\|Beginn\|„31\.02\.2026“ ist kein Datum/),
        expect.stringMatching(/^4\|Plätze gesamt\|„zehn“ ist keine ganze Zahl/),
        expect.stringMatching(/^5\|Standort\|Standort „Unbekannter Treff“ gibt es noch nicht/),
        expect.stringMatching(/^6\|Plätze belegt\|5 belegte Plätze sind mehr als 2/),
      ]),
    );
    expect(await offersWithKeys('P-')).toEqual([]);
  });
});

describe('import: XLSX and HSDS', () => {
  it('reads an XLSX with a merged title, a two-row header, formulas, date cells and empty rows', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Kurse 2026');
    sheet.addRow(['Kursübersicht 2026']);
    sheet.mergeCells('A1:H1');
    sheet.addRow(['Externe ID', 'Titel', 'Art', 'Beschreibung', 'Standort', 'Beginn', 'Plätze', '', 'Ende']);
    sheet.addRow(['', '', '', '', '', '', 'gesamt', 'belegt', '']);
    sheet.mergeCells('G2:H2');
    sheet.addRow([
      'X-1',
      'Alphabetisierungskurs',
      'Integrationskurs',
      'Lesen und Schreiben',
      locationName,
      new Date(Date.UTC(2026, 8, 1)),
      { formula: '10+6', result: 16 },
      2,
      new Date(Date.UTC(2027, 1, 28)),
    ]);
    sheet.addRow([]);
    sheet.addRow(['X-2', 'Bewerbungstraining', 'Beratung', 'Unterlagen und Gespräch', locationName]);
    sheet.getColumn(6).numFmt = 'dd.mm.yyyy';
    sheet.getColumn(9).numFmt = 'dd.mm.yyyy';
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const result = await post(file, XLSX, { token: editor, apply: true });
    expect(result.body).toMatchObject({
      format: 'xlsx',
      headerRow: 3,
      dataRows: 2,
      problemCount: 0,
      applied: true,
      offers: { create: 2 },
      periods: { create: 1 },
    });
    const period = await db.query(
      `select p.starts_on::text, p.ends_on::text, p.total, p.occupied from capacity_period p join offer o on o.id = p.offer_id where o.external_key = 'X-1'`,
    );
    expect(period.rows).toEqual([{ starts_on: '2026-09-01', ends_on: '2027-02-28', total: 16, occupied: 2 }]);
  });

  it('imports HSDS 3.0 JSON (as the hub exports it) with its kind attribute and a new location', async () => {
    const exported = await fetch(`${t.origin}/hsds/services?per_page=1`).then((r) => r.json() as any);
    const service = structuredClone(exported.contents[0]);
    service.id = 'H-1';
    service.name = 'Offene Jobcenter-Sprechstunde';
    service.service_at_locations[0].location.name = 'Stadtteilbüro Nord';
    const result = await post(JSON.stringify({ ...exported, contents: [service] }), 'application/json', {
      token: editor,
      apply: true,
    });
    expect(result.body).toMatchObject({
      format: 'hsds-json',
      problemCount: 0,
      applied: true,
      locationsCreated: 1,
    });
    const [offer] = (
      await db.query(
        `select o.kind, o.title, l.name as location from offer o join location l on l.id = o.location_id where o.external_key = 'H-1'`,
      )
    ).rows;
    expect(offer).toEqual({
      kind: exported.contents[0].attributes[0].value,
      title: 'Offene Jobcenter-Sprechstunde',
      location: 'Stadtteilbüro Nord',
    });
  });
});

describe('import: bad files and permissions', () => {
  it('answers every bad file with a clear report, never a crash or a partial write', async () => {
    const cases: [Buffer | string, string, RegExp][] = [
      [
        randomBytes(200_000),
        'application/octet-stream',
        // Sniffed by its first bytes: random ones may begin like JSON ("{", "[") about once in a hundred runs.
        /keine Tabelle|keine lesbare Excel-Datei|CSV-Datei ist fehlerhaft|Kopfzeile|kein gültiges JSON/,
      ],
      [Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(5000)]), XLSX, /keine lesbare Excel-Datei/],
      [
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]),
        'application/octet-stream',
        /\.xls/,
      ],
      ['', 'text/csv', /leer/],
      ['{"contents": [', 'application/json', /kein gültiges JSON/],
      ['Name;Alter\nAnna;30\n', 'text/csv', /Keine Kopfzeile gefunden/],
      [
        Buffer.concat([
          Buffer.from(csv('M-', ';', [['1', 'Straße', 'EQ', 'x', 'y', '', '', '', '']])),
          Buffer.alloc(70_000, 0x61),
          Buffer.from([0xe4, 0x0a]),
        ]),
        'text/csv',
        /mischt Zeichenkodierungen/,
      ],
    ];
    for (const [body, type, message] of cases) {
      const { status, body: report } = await post(body, type, { token: editor });
      expect(status, String(message)).toBe(200);
      expect(report.applied).toBe(false);
      expect(report.problems.map((p: any) => p.message).join(' '), String(message)).toMatch(message);
      expect(JSON.stringify(report)).not.toMatch(/at .*\.js|stack|select /i);
    }
    // A file announced above the limit is refused before a byte is read.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(
        `${t.origin}/import/offers?organisationId=${toGlobalId('Organisation', f.ids.ownerOrg)}`,
      );
      const request = http.request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'text/csv',
            'content-length': String(61 * 1024 * 1024),
            authorization: `Bearer ${editor}`,
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
          request.destroy();
        },
      );
      request.on('error', reject);
      request.write('Externe ID;Titel\n');
    });
    expect(status).toBe(413);
  });

  it('survives an upload that breaks off mid-file, and refuses apply without the dry run’s digest', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Angebote');
    sheet.addRow(['Externe ID', 'Titel', 'Art', 'Beschreibung', 'Standort']);
    for (let i = 0; i < 3000; i++)
      sheet.addRow([`A-${i}`, `Kurs ${i} ${randomBytes(20).toString('hex')}`, 'Beratung', 'x', locationName]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    for (const cut of [Math.floor(file.length / 3), file.length - 10]) {
      await new Promise<void>((resolve) => {
        const url = new URL(
          `${t.origin}/import/offers?organisationId=${toGlobalId('Organisation', f.ids.ownerOrg)}`,
        );
        const request = http.request(url, {
          method: 'POST',
          headers: {
            'content-type': XLSX,
            'content-length': String(file.length),
            authorization: `Bearer ${editor}`,
          },
        });
        request.on('error', () => resolve());
        request.on('response', (r) => {
          r.resume();
          resolve();
        });
        request.write(file.subarray(0, cut), () => setTimeout(() => request.destroy(), 50));
        setTimeout(resolve, 2_000);
      });
    }
    expect((await fetch(`${t.origin}/healthz`)).status).toBe(200);
    const noDigest = await fetch(
      `${t.origin}/import/offers?organisationId=${toGlobalId('Organisation', f.ids.ownerOrg)}&apply=true`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${editor}` },
        body: 'x',
      },
    );
    expect(noDigest.status).toBe(400);
    expect((await offersWithKeys('A-')).length).toBe(0);
  });

  it('keeps what a file has no column for, reads Windows-1252 after a long ASCII start, and JSON with a BOM', async () => {
    const table = (rows: string[][]) => rows.map((r) => r.join(';')).join('\n');
    const withSchedule = table([
      ['Externe ID', 'Titel', 'Art', 'Beschreibung', 'Standort', 'Zeiten', 'Sprachen'],
      ['K-1', 'Sprachcafé am Abend', 'Beratung', 'Offenes Angebot', locationName, 'Di 18–20 Uhr', 'de, ar'],
    ]);
    expect((await post(withSchedule, 'text/csv', { token: editor, apply: true })).body.applied).toBe(true);
    const withoutColumns = table([
      ['Externe ID', 'Titel', 'Art', 'Beschreibung', 'Standort'],
      ['K-1', 'Sprachcafé am Abend', 'Beratung', 'Offenes Angebot', locationName],
    ]);
    const again = await post(withoutColumns, 'text/csv', { token: editor, apply: true });
    expect(again.body.offers).toEqual({ create: 0, update: 0, unchanged: 1 });
    const row = (await db.query(`select schedule, languages from offer where external_key = 'K-1'`)).rows[0];
    expect(row).toEqual({ schedule: 'Di 18–20 Uhr', languages: ['de', 'ar'] });

    const lines = Array.from(
      { length: 2000 },
      (_, i) => `L-${i};Kurs Nummer ${i};Beratung;Beschreibung ohne Umlaute;${locationName}`,
    );
    const asciiStart = `Externe ID;Titel;Art;Beschreibung;Standort\n${lines.join('\n')}\nL-x;Kurs für Mütter;Beratung;Grüße;${locationName}\n`;
    const report = (await post(Buffer.from(asciiStart, 'latin1'), 'text/csv', { token: editor })).body;
    expect(report).toMatchObject({ problemCount: 0, dataRows: 2001 });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify([]))]);
    expect((await post(bom, 'application/json', { token: editor })).body.format).toBe('hsds-json');
  });

  it('takes the target group (Zielgruppe, Alter von/bis) as the offer’s eligibility rule, versioned', async () => {
    const file = (audience: string, from = '18', to = '25') =>
      [
        ['Externe ID', 'Titel', 'Art', 'Beschreibung', 'Standort', 'Zielgruppe', 'Alter von', 'Alter bis'],
        [
          'E-1',
          'Einstiegsqualifizierung Lager',
          'EQ',
          'Sechs Monate im Betrieb',
          locationName,
          audience,
          from,
          to,
        ],
      ]
        .map((r) => r.join(';'))
        .join('\n');
    const created = await post(file('Gestattung, geduldet'), 'text/csv', { token: editor, apply: true });
    expect(created.body).toMatchObject({ applied: true, offers: { create: 1 } });
    const rule = async () =>
      (
        await db.query(
          `select r.version, r.residence_statuses, r.min_age, r.max_age, r.valid_to from eligibility_rule r
           join offer o on o.id = r.offer_id where o.external_key = 'E-1' order by r.version`,
        )
      ).rows;
    expect(await rule()).toEqual([
      {
        version: 1,
        residence_statuses: [
          'DULDUNG',
          'DULDUNG_AUSBILDUNG',
          'DULDUNG_BESCHAEFTIGUNG',
          'DULDUNG_UNGEKLAERTE_IDENTITAET',
          'GESTATTUNG',
        ],
        min_age: 18,
        max_age: 25,
        valid_to: null,
      },
    ]);
    const same = await post(
      file('Duldung, Gestattung, § 60b, Ausbildungsduldung, Beschäftigungsduldung'),
      'text/csv',
      {
        token: editor,
      },
    );
    expect(same.body.offers).toEqual({ create: 0, update: 0, unchanged: 1 });
    // A second change on the day the rule started: reported, nothing written.
    const again = await post(file('alle'), 'text/csv', { token: editor, apply: true });
    expect(again.body.applied).toBe(false);
    expect(again.body.problems[0]).toMatchObject({ column: 'Zielgruppe' });
    const bad = await post(file('Touristenvisum', '30', '20'), 'text/csv', { token: editor });
    expect(bad.body.problems.map((p: any) => p.column).sort()).toEqual(['Alter bis', 'Zielgruppe']);
    expect((await rule()).length).toBe(1);
  });

  it('lets only the organisation’s editors (and admins) import', async () => {
    const file = csv('Z-', ';', [
      ['1', 'Sprachcafé', 'Beratung', 'Jeden Dienstag', locationName, '', '', '', ''],
    ]);
    expect((await post(file, 'text/csv')).status).toBe(401);
    expect((await post(file, 'text/csv', { token: staff })).status).toBe(403);
    expect((await post(file, 'text/csv', { token: otherEditor })).status).toBe(403);
    expect((await post(file, 'text/plain', { token: editor })).status).toBe(415);
    expect((await offersWithKeys('Z-')).length).toBe(0);
  });

  it('publishes the template as CSV and XLSX, and the template imports cleanly', async () => {
    const csvTemplate = await fetch(`${t.origin}/import/vorlage.csv`);
    expect(csvTemplate.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await csvTemplate.text();
    expect(text.split('\r\n')[0]).toContain('Externe ID;Titel;Art;Beschreibung;Standort');
    const xlsx = Buffer.from(await (await fetch(`${t.origin}/import/vorlage.xlsx`)).arrayBuffer());
    const dry = await post(xlsx, XLSX, { token: editor });
    expect(dry.body).toMatchObject({
      format: 'xlsx',
      dataRows: 1,
      problemCount: 0,
      offers: { create: 1 },
      locationsCreated: 1,
    });
  });
});

describe('import: for the dashboard', () => {
  it('writes the good rows alone with skipInvalid, and shows what an update changes', async () => {
    const first = csv('S-', ';', [
      [
        '1',
        'Sprachcafé am Morgen',
        'Beratung',
        'Offen für alle',
        locationName,
        '01.09.2026',
        '28.02.2027',
        '10',
        '2',
      ],
    ]);
    expect((await post(first, 'text/csv', { token: editor, apply: true })).body.applied).toBe(true);
    const file = csv('S-', ';', [
      [
        '1',
        'Sprachcafé am Abend',
        'Beratung',
        'Offen für alle',
        locationName,
        '01.09.2026',
        '28.02.2027',
        '12',
        '2',
      ],
      ['2', 'Bewerbungstraining', 'Beratung', 'Jeden Mittwoch', locationName, '', '', '', ''],
      ['3', 'Ku', 'Zauberei', 'x', locationName, '', '', '', ''],
    ]);
    // Without skipInvalid any problem stops the whole file.
    const strict = await post(file, 'text/csv', { token: editor });
    expect(strict.body).toMatchObject({ skipInvalid: false, problemCount: 2 });
    expect(strict.body.blockingProblems).toBe(strict.body.problemCount);

    const dry = await post(file, 'text/csv', { token: editor, skipInvalid: true });
    expect(dry.body).toMatchObject({
      skipInvalid: true,
      blockingProblems: 0,
      skipped: ['S-3'],
      offers: { create: 1, update: 1, unchanged: 0 },
      periods: { create: 0, update: 1, unchanged: 0 },
    });
    expect(dry.body.problems.map((p: any) => `${p.row}|${p.column}`)).toEqual(['5|Titel', '5|Art']);
    const update = dry.body.actions.find((a: any) => a.externalKey === 'S-1');
    expect(update).toMatchObject({ action: 'update', title: 'Sprachcafé am Abend' });
    expect(update.changes).toEqual([
      { field: 'title', column: 'Titel', before: 'Sprachcafé am Morgen', after: 'Sprachcafé am Abend' },
      {
        field: 'period',
        column: 'Zeitraum ab 01.09.2026',
        before: { endsOn: '2027-02-28', total: 10, occupied: 2 },
        after: { endsOn: '2027-02-28', total: 12, occupied: 2 },
      },
    ]);
    expect(dry.body.actions.find((a: any) => a.externalKey === 'S-2').changes).toEqual([]);

    const applied = await post(file, 'text/csv', {
      token: editor,
      apply: true,
      skipInvalid: true,
      digest: dry.body.digest,
      plan: dry.body.planDigest,
    });
    expect(applied.body).toMatchObject({ applied: true, offers: { create: 1, update: 1 } });
    expect((await offersWithKeys('S-')).map((o) => [o.external_key, o.title])).toEqual([
      ['S-1', 'Sprachcafé am Abend'],
      ['S-2', 'Bewerbungstraining'],
    ]);
  });

  it('refuses to apply when the hub’s data changed since the dry run (plan digest)', async () => {
    const file = csv('P-', ';', [
      ['1', 'Deutsch im Beruf', 'Berufssprachkurs', 'B1 bis B2', locationName, '', '', '', ''],
    ]);
    expect((await post(file, 'text/csv', { token: editor, apply: true })).body.applied).toBe(true);
    const changed = csv('P-', ';', [
      ['1', 'Deutsch im Beruf (Abendkurs)', 'Berufssprachkurs', 'B1 bis B2', locationName, '', '', '', ''],
    ]);
    const dry = await post(changed, 'text/csv', { token: editor, skipInvalid: true });
    expect(dry.body.offers.update).toBe(1);
    // Meanwhile someone edits the offer's description.
    await db.query("update offer set description = 'Neu beschrieben' where external_key = 'P-1'");
    const refused = await post(changed, 'text/csv', {
      token: editor,
      apply: true,
      skipInvalid: true,
      digest: dry.body.digest,
      plan: dry.body.planDigest,
    });
    expect(refused.body.applied).toBe(false);
    expect(refused.body.problems).toContainEqual(
      expect.objectContaining({
        row: 0,
        column: 'Daten',
        message: expect.stringMatching(/seit der Probe geändert/),
      }),
    );
    expect((await offersWithKeys('P-'))[0].title).toBe('Deutsch im Beruf');
  });

  it('refuses in German and publishes its limits', async () => {
    const refused = await post('x', 'text/plain', { token: editor });
    expect(refused.body.errors[0].message).toMatch(/Dateityp wird nicht angenommen/);
    const forbidden = await post('x', 'text/csv', { token: staff });
    expect(forbidden.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/^Keine Berechtigung/),
      extensions: { code: 'FORBIDDEN' },
    });
    const limits = (await (await fetch(`${t.origin}/import/limits`)).json()) as any;
    expect(limits.maxBytes).toBe(60 * 1024 * 1024);
  });
});

describe('import: rate limits', () => {
  it('counts an import against the mutation budget of the account (429 with Retry-After)', async () => {
    const limited = await startTestHub('import_limits', {
      seed: false,
      env: { RATE_LIMIT_MUTATIONS_PER_VIEWER: '2' },
    });
    try {
      const fixture = await createPartnerFixture(limited.database.url, 'import_limits');
      const token = await fixture.token(fixture.accounts.ownerEditor);
      const url = `${limited.origin}/import/offers?organisationId=${toGlobalId('Organisation', fixture.ids.ownerOrg)}`;
      const send = () =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
          body: 'Externe ID;Titel;Art;Beschreibung;Standort\n',
        });
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(200);
      const third = await send();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await third.json()) as any).errors[0]).toMatchObject({
        message: expect.stringMatching(/^Zu viele Änderungen/),
        extensions: { code: 'RATE_LIMITED' },
      });
    } finally {
      await limited.stop();
    }
  });
});
