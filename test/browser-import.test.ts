import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  type Browser,
  CHROMIUM,
  cspViolations,
  DEMO_PASSWORD,
  openBrowser,
  pageOverflow,
  text,
} from './helpers/browser.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * The import section of /verwaltung as an editor uses it: a CSV with a new, a changed and a bad row is
 * checked (the dry run as tables, the problem by row and column), applied without the bad row (the
 * result, and the new offer through the API); an XLSX dry run; a wrong file type; once by keyboard
 * alone; axe and page width in every state.
 */
const EDITOR = 'editor@vhs-leverkusen.example';
const HEADER = ['Externe ID', 'Titel', 'Art', 'Beschreibung', 'Standort', 'Beginn', 'Ende', 'Plätze gesamt'];

describe.skipIf(!CHROMIUM)('import in the browser (/verwaltung)', () => {
  let t: TestHub;
  let browser: Browser;
  let page: Page;
  let token: string;
  let organisationId: string;
  let location: string;
  let dir: string;

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await t.gql<T>(query, variables, { token });
    expect(response.errors).toBeUndefined();
    return response.data!;
  };
  const csv = (rows: string[][]) => [HEADER, ...rows].map((r) => r.join(';')).join('\n');
  const file = (name: string, content: string | Buffer) => {
    const target = path.join(dir, name);
    writeFileSync(target, content);
    return target;
  };
  const titles = async () =>
    (
      await gql<{ me: { organisation: { offers: { nodes: { title: string }[] } } } }>(
        '{ me { organisation { offers(first: 100) { nodes { title } } } } }',
      )
    ).me.organisation.offers.nodes.map((o) => o.title);

  /** A file imported through the route, as a script or another tab would (dry run, then apply). */
  async function importViaApi(body: string) {
    const url = `${t.origin}/import/offers?organisationId=${encodeURIComponent(organisationId)}`;
    const headers = { 'content-type': 'text/csv', authorization: `Bearer ${token}` };
    const dry = (await (await fetch(url, { method: 'POST', headers, body })).json()) as { digest: string };
    const applied = (await (
      await fetch(`${url}&apply=true&digest=${dry.digest}`, { method: 'POST', headers, body })
    ).json()) as { applied: boolean };
    expect(applied.applied).toBe(true);
  }

  /** axe and no sideways scrolling of the page at phone, tablet and desktop widths. */
  async function checkLayouts(state: string) {
    for (const width of [390, 1024, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page), `${state} at ${width}px`).toEqual([]);
      expect(await pageOverflow(page), `${state} at ${width}px`).toBe(0);
    }
    await browser.shot(`verwaltung-import-${state}`, true);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    t = await startTestHub('browser_import');
    dir = mkdtempSync(path.join(tmpdir(), 'hub-import-'));
    const login = await t.gql<{ login: { token: string } }>(
      'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      { email: EDITOR, password: DEMO_PASSWORD },
    );
    token = login.data!.login.token;
    const me = await gql<{ me: { organisation: { id: string; locations: { name: string }[] } } }>(
      '{ me { organisation { id locations { name } } } }',
    );
    organisationId = me.me.organisation.id;
    location = me.me.organisation.locations[0]!.name;
    // The offer the browser's file changes, as an earlier import left it.
    await importViaApi(
      csv([
        [
          'BI-1',
          'Sprachcafé am Morgen',
          'Beratung',
          'Offen für alle',
          location,
          '01.09.2026',
          '28.02.2027',
          '10',
        ],
      ]),
    );

    browser = await openBrowser();
    page = browser.page;
    await page.goto(`${t.origin}/verwaltung`);
    await browser.signIn(EDITOR);
    await page.getByRole('tab', { name: 'Import' }).click();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('checks a CSV, shows every action and problem, and applies the good rows', async () => {
    const section = page.getByRole('region', { name: 'Angebote importieren' });
    await section.waitFor();
    await checkLayouts('empty');

    const upload = file(
      'angebote.csv',
      csv([
        [
          'BI-1',
          'Sprachcafé am Abend',
          'Beratung',
          'Offen für alle',
          location,
          '01.09.2026',
          '28.02.2027',
          '12',
        ],
        ['BI-2', 'Bewerbungstraining im Browser', 'Beratung', 'Jeden Mittwoch', location, '', '', ''],
        ['BI-3', 'Kurs ohne Art', 'Zauberei', 'Falsch', location, '', '', ''],
      ]),
    );
    await section.getByLabel('Datei mit Angeboten').setInputFiles(upload);
    await section.getByRole('button', { name: 'Datei prüfen' }).click();
    const report = section.getByRole('heading', { name: 'Probe: angebote.csv' });
    await report.waitFor();
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('import-report-heading');

    const actions = section.getByRole('table', { name: 'Angebote aus der Datei' });
    const changed = actions.getByRole('row').filter({ hasText: 'BI-1' });
    expect(await text(changed)).toContain('Geändert');
    expect(await text(changed)).toContain('Titel: „Sprachcafé am Morgen“ → „Sprachcafé am Abend“');
    expect(await text(changed)).toContain(
      'Zeitraum ab 01.09.2026: bis 28.02.2027, 10 Plätze, 0 belegt → bis 28.02.2027, 12 Plätze, 0 belegt',
    );
    expect(await text(actions.getByRole('row').filter({ hasText: 'BI-2' }))).toContain('Neu');

    const problems = section.getByRole('table', { name: /Probleme in der Datei/ });
    const problem = problems.getByRole('row').filter({ hasText: 'Zauberei' });
    expect(await problem.getByRole('cell').allTextContents()).toEqual([
      '4',
      'Art',
      '„Zauberei“ ist keine bekannte Angebotsart (z. B. Integrationskurs, EQ, Ausbildung, Beratung).',
    ]);
    expect(await text(section)).toContain('Externe ID: BI-3');
    await checkLayouts('dry-run');

    await section.getByRole('button', { name: 'Übernehmen (ohne 1 Angebot mit Problemen)' }).click();
    const result = section.getByRole('heading', { name: 'Übernommen: angebote.csv' });
    await result.waitFor();
    const summary = await text(section.locator('.import-result'));
    expect(summary).toContain('Angebote1 neu, 1 geändert');
    expect(summary).toContain('Ausgelassen (Probleme)1');
    expect(await section.getByRole('link', { name: 'Zu den Angeboten' }).getAttribute('href')).toBe(
      '#angebote',
    );
    await checkLayouts('applied');

    const now = await titles();
    expect(now).toContain('Bewerbungstraining im Browser');
    expect(now).toContain('Sprachcafé am Abend');
    expect(now).not.toContain('Kurs ohne Art');
  });

  it('checks an XLSX built like a partner’s sheet', async () => {
    const section = page.getByRole('region', { name: 'Angebote importieren' });
    await section.getByRole('button', { name: 'Weitere Datei importieren' }).click();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Angebote');
    sheet.addRow(HEADER);
    sheet.addRow([
      'BI-4',
      'EQ Lager und Logistik',
      'EQ',
      'Sechs bis zwölf Monate im Betrieb',
      location,
      new Date(Date.UTC(2026, 9, 1)),
      new Date(Date.UTC(2027, 6, 31)),
      4,
    ]);
    const upload = file('angebote.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    await section.getByLabel('Datei mit Angeboten').setInputFiles(upload);
    await section.getByRole('button', { name: 'Datei prüfen' }).click();
    await section.getByRole('heading', { name: 'Probe: angebote.xlsx' }).waitFor();
    expect(await text(section.locator('.import-report'))).toContain('Excel (.xlsx), 1 Datenzeilen');
    const row = section
      .getByRole('table', { name: 'Angebote aus der Datei' })
      .getByRole('row')
      .filter({ hasText: 'BI-4' });
    expect(await text(row)).toContain('Neu');
    expect(await text(row)).toContain('1 neu');
    expect(await section.getByRole('table', { name: /Probleme/ }).count()).toBe(0);
    await checkLayouts('xlsx');
    expect(await titles()).not.toContain('EQ Lager und Logistik');

    // Meanwhile the same offer arrives another way: applying the dry run would no longer do what it showed.
    await importViaApi(
      csv([
        [
          'BI-4',
          'EQ Lager und Logistik',
          'EQ',
          'Sechs bis zwölf Monate im Betrieb',
          location,
          '01.10.2026',
          '31.07.2027',
          '4',
        ],
      ]),
    );
    await section.getByRole('button', { name: 'Übernehmen', exact: true }).click();
    const notice = section.getByRole('alert');
    await notice.waitFor();
    expect(await text(notice)).toContain(
      'Nicht übernommen. Die Angebote im Hub haben sich seit der Probe geändert',
    );
    await expect.poll(() => notice.evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
    await checkLayouts('stale');
    await section.getByRole('button', { name: 'Erneut prüfen' }).click();
    await expect
      .poll(() =>
        text(
          section
            .getByRole('table', { name: 'Angebote aus der Datei' })
            .getByRole('row')
            .filter({ hasText: 'BI-4' }),
        ),
      )
      .toContain('Unverändert');
    expect(await text(section)).toContain('Nichts zu übernehmen');
  });

  it('explains a wrong file type in German at the field', async () => {
    const section = page.getByRole('region', { name: 'Angebote importieren' });
    const input = section.getByLabel('Datei mit Angeboten');
    await input.setInputFiles(file('bericht.pdf', '%PDF-1.4'));
    const alert = section.getByRole('alert');
    await alert.waitFor();
    expect(await text(alert)).toContain('„bericht.pdf“ ist keine Tabelle, die der Hub liest');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toContain((await alert.getAttribute('id'))!);
    await section.getByRole('button', { name: 'Datei prüfen' }).click();
    await expect.poll(() => input.evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
    await input.setInputFiles(file('leer.csv', ''));
    await expect.poll(() => text(section.getByRole('alert'))).toContain('Die Datei „leer.csv“ ist leer.');
    // Above the hub's limit (from /import/limits): refused before a byte is sent.
    const large = file('gross.csv', '');
    truncateSync(large, 61 * 1024 * 1024);
    await input.setInputFiles(large);
    await expect
      .poll(() => text(section.getByRole('alert')))
      .toContain('ist zu groß (61 MB): Der Hub nimmt Dateien bis 60 MB an. Bitte die Datei aufteilen');
    await checkLayouts('wrong-type');
  });

  it('shows the upload’s progress and lets it be cancelled', async () => {
    const section = page.getByRole('region', { name: 'Angebote importieren' });
    const rows = Array.from({ length: 20_000 }, (_, i) => [
      `BG-${i}`,
      `Kurs Nummer ${i} mit einem längeren Titel`,
      'Beratung',
      'Eine Beschreibung, damit die Datei groß genug für eine sichtbare Übertragung ist.',
      location,
      '',
      '',
      '',
    ]);
    await section.getByLabel('Datei mit Angeboten').setInputFiles(file('viele.csv', csv(rows)));
    // A slow line (about 200 KB/s up), so the upload takes a few seconds.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: 10_000_000,
      uploadThroughput: 200_000,
    });
    try {
      await section.getByRole('button', { name: 'Datei prüfen' }).click();
      const progress = section.getByRole('progressbar', { name: /Probe: .* von .* MB hochgeladen/ });
      await progress.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(await pageOverflow(page)).toBe(0);
      await browser.shot('verwaltung-import-progress');
      await section.getByRole('button', { name: 'Hochladen abbrechen' }).click();
      await expect.poll(() => text(section.getByRole('status'))).toBe('Das Hochladen wurde abgebrochen.');
      expect(await progress.count()).toBe(0);
    } finally {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await cdp.detach();
    }
    expect((await titles()).filter((title) => title.startsWith('Kurs Nummer'))).toEqual([]);
  });

  it('works by keyboard alone', async () => {
    await page.reload();
    await page.getByText('Angemeldet als').first().waitFor();
    const section = page.getByRole('region', { name: 'Angebote importieren' });
    const upload = file(
      'tastatur.csv',
      csv([['BI-5', 'Sprachcafé per Tastatur', 'Beratung', 'Offen für alle', location, '', '', '']]),
    );
    const input = section.getByLabel('Datei mit Angeboten');
    // Tab until the file input has focus; Space opens the file chooser, as for a person.
    for (let i = 0; i < 40 && !(await input.evaluate((el) => el.ownerDocument.activeElement === el)); i++)
      await page.keyboard.press('Tab');
    expect(await input.evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles(upload);
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Datei prüfen');
    await page.keyboard.press('Enter');
    await section.getByRole('heading', { name: 'Probe: tastatur.csv' }).waitFor();
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('import-report-heading');
    const apply = section.getByRole('button', { name: 'Übernehmen', exact: true });
    for (let i = 0; i < 20 && !(await apply.evaluate((el) => el.ownerDocument.activeElement === el)); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await section.getByRole('heading', { name: 'Übernommen: tastatur.csv' }).waitFor();
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('import-result-heading');
    expect(await titles()).toContain('Sprachcafé per Tastatur');
    expect(cspViolations(browser)).toEqual([]);
    expect(browser.outside).toEqual([]);
  });
});
