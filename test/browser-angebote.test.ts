import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../src/domain/calendar.js';
import { Role } from '../src/domain/enums.js';
import {
  axeViolations,
  type Browser,
  CHROMIUM,
  cspViolations,
  openBrowser,
  pageOverflow,
  SCREENSHOTS,
  text,
} from './helpers/browser.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

/**
 * Finding offers on /angebote in Chromium: filters and order in the address (reload, shared link,
 * back/forward), the Träger filter, the result count, why nothing matches, the offer details (contact
 * persons for partners only), CSV and Excel downloads as the policy gives them, the print layout, rows
 * that follow taken and freed places live (bands for the public, numbers for partners), and /angebote
 * and /sitzung on screens from a phone to a projector.
 */
const PARTNER = 'staff@jobcenter-leverkusen.example';
const VHS = 'Volkshochschule Leverkusen';
const WIDTHS = [390, 768, 1024, 1280, 1920];

interface Target {
  id: string;
  title: string;
  kind: string;
  periodId: string;
  available: number;
  total: number;
}

describe.skipIf(!CHROMIUM)('/angebote: finding, exporting, live rows; /sitzung on every screen', () => {
  let t: TestHub;
  let browser: Browser;
  let page: Page;
  let caseManager: string;
  let target: Target;
  let vhsId: string;
  const liveFrames: string[] = [];

  beforeAll(async () => {
    t = await startTestHub('browser-angebote');
    caseManager = (await tokenFor(t.hub.database.orm, [Role.CASE_MANAGER])).token;
    const orgs = await t.gql<any>('{ organisations(first: 100) { nodes { id name } } }');
    vhsId = orgs.data.organisations.nodes.find((o: any) => o.name === VHS).id;
    target = await findTarget();
    browser = await openBrowser();
    page = browser.page;
    // What the hub said on the live socket when it was not "next" (for a failure's message).
    page.on('websocket', (socket) => {
      const opened = Date.now();
      const at = () => `${((Date.now() - opened) / 1000).toFixed(1)}s`;
      liveFrames.push(`open ${socket.url()}`);
      socket.on('framereceived', ({ payload }) => {
        const frame = String(payload);
        if (!frame.includes('"type":"next"')) liveFrames.push(`${at()} ← ${frame.slice(0, 200)}`);
      });
      socket.on('framesent', ({ payload }) => liveFrames.push(`${at()} → ${String(payload).slice(0, 60)}`));
      socket.on('socketerror', (error) => liveFrames.push(`${at()} error ${error}`));
      socket.on('close', () => liveFrames.push(`${at()} closed`));
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const shot = (name: string, fullPage = false) => browser.shot(name, fullPage);
  const rows = () => page.locator('table.offers tbody tr');
  const count = () => page.locator('.result-count');

  /**
   * An offer whose band changes with one place taken: 4 free (SOME → FEW) or else 1 free (FEW → NONE),
   * in a kind with fewer than 50 offers, so the whole kind fits on the first page.
   */
  async function findTarget(): Promise<Target> {
    const res = await t.gql<any>(
      `{ offers(first: 100, filter: { hasFreePlaces: true }) { nodes {
        id title kind currentCapacityPeriod { id available total } } } }`,
      {},
      { token: caseManager },
    );
    const nodes = res.data.offers.nodes as any[];
    const offer =
      nodes.find((o) => o.currentCapacityPeriod?.available === 4) ??
      nodes.find((o) => o.currentCapacityPeriod?.available === 1);
    if (!offer) throw new Error('the demo data has no offer with 4 or 1 free places');
    return {
      id: offer.id,
      title: offer.title,
      kind: offer.kind,
      periodId: offer.currentCapacityPeriod.id,
      available: offer.currentCapacityPeriod.available,
      total: offer.currentCapacityPeriod.total,
    };
  }

  /** A case manager holds one of the target's places for a new case (through the API). */
  async function reserve(): Promise<string> {
    const created = await t.gql<any>(
      `mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }`,
      {
        i: {
          intakeDate: today(),
          ageBand: 'AGE_21_24',
          gender: 'F',
          nationalityGroup: 'OTHER',
          residenceStatus: 'DULDUNG',
          schoolLevel: 'LOWER_SECONDARY',
          germanLevel: 'B1',
        },
      },
      { token: caseManager },
    );
    expect(created.errors).toBeUndefined();
    const held = await t.gql<any>(
      'mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id } }',
      { i: { capacityPeriodId: target.periodId, caseId: created.data.createCase.id } },
      { token: caseManager },
    );
    expect(held.errors).toBeUndefined();
    return held.data.reservePlace.id;
  }

  async function release(reservationId: string) {
    const released = await t.gql<any>(
      'mutation($id: ID!) { releasePlace(input: { reservationId: $id }) { status } }',
      { id: reservationId },
      { token: caseManager },
    );
    expect(released.data.releasePlace.status).toBe('RELEASED');
  }

  /**
   * Takes a place and waits until the row shows `taken`, then frees it and waits for `freed`. The page's
   * subscription is registered shortly after its socket opens; on a busy machine the first event may
   * come before it, so up to three rounds (no timing is asserted).
   */
  async function takeAndFree(taken: string, freed: string) {
    const row = page.locator(`tr[data-offer-id="${target.id}"]`);
    await page
      .getByText('Live: verbunden')
      .waitFor({ timeout: 15_000 })
      .catch(async (error) => {
        await shot('angebote-live-fehlt', true);
        throw new Error(
          `live status: ${await text(page.locator('.live-status'))}; frames: ${liveFrames.slice(-24).join(' | ')}`,
          { cause: error },
        );
      });
    for (let round = 1; ; round++) {
      const reservation = await reserve();
      try {
        await expect.poll(() => text(row), { timeout: 5_000 }).toContain(taken);
        await expect(row.getAttribute('class')).resolves.toBe('taken');
        await expect(text(row.locator('.badge'))).resolves.toBe('Platz vergeben');
        await release(reservation);
        await expect.poll(() => text(row), { timeout: 5_000 }).toContain(freed);
        return;
      } catch (error) {
        await release(reservation).catch(() => undefined);
        if (round === 3) throw error;
        await page.waitForTimeout(500);
      }
    }
  }

  async function noOverflowAt(name: string) {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      // Charts fit themselves to their box after a resize (a ResizeObserver): wait for that.
      await expect
        .poll(() => pageOverflow(page), { timeout: 3_000 })
        .toBe(0)
        .catch(async (error) => {
          throw new Error(`${name}: page overflow at ${width} px by ${await widest(page)}`, { cause: error });
        });
      if (width === 390 || width === 1024 || width === 1920) {
        expect(await axeViolations(page), `${name}: axe at ${width} px`).toEqual([]);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('filters and order come from a shared address, survive a reload, and back/forward step through them', async () => {
    await page.goto(`${t.origin}/angebote?art=JOB_LANGUAGE_COURSE&sortierung=titel-absteigend`);
    await rows().first().waitFor();
    await expect(page.getByLabel('Angebotsart').inputValue()).resolves.toBe('JOB_LANGUAGE_COURSE');
    await expect(page.getByLabel('Sortierung').inputValue()).resolves.toBe('titel-absteigend');
    const titles = async () => rows().locator('.offer-title').allTextContents();
    const sorted = await titles();
    expect(sorted.length).toBeGreaterThan(1);
    expect(sorted).toEqual([...sorted].sort((a, b) => b.localeCompare(a, 'de')));
    expect(await text(rows().first())).toContain('Berufssprachkurs');

    await page.reload();
    await rows().first().waitFor();
    await expect(page.getByLabel('Sortierung').inputValue()).resolves.toBe('titel-absteigend');
    await expect.poll(titles).toEqual(sorted);

    // A new filter is a new entry in the history; back restores the list before it.
    await page.getByLabel('Sortierung').selectOption('titel');
    await page.getByRole('button', { name: 'Angebote anzeigen' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sortierung')).toBe('titel');
    await expect.poll(titles).toEqual([...sorted].reverse());
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('sortierung')).toBe('titel-absteigend');
    await expect(page.getByLabel('Sortierung').inputValue()).resolves.toBe('titel-absteigend');
    await expect.poll(titles).toEqual(sorted);
    await page.goForward();
    await expect(page.getByLabel('Sortierung').inputValue()).resolves.toBe('titel');
  });

  it('counts "50 von 119 Angeboten", and the Träger filter finds the VHS offers', async () => {
    await page.getByRole('button', { name: 'Filter zurücksetzen' }).click();
    const all = await t.gql<any>('{ offers { totalCount } }');
    const total = all.data.offers.totalCount;
    expect(total).toBeGreaterThan(50);
    await expect.poll(() => text(count())).toBe(`50 von ${total} Angeboten`);
    expect(new URL(page.url()).search).toBe('');

    await page.getByLabel('Träger', { exact: true }).selectOption({ label: VHS });
    await page.getByRole('button', { name: 'Angebote anzeigen' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('traeger')).toBe(vhsId);
    const vhs = await t.gql<any>(
      'query($o: [ID!]) { offers(filter: { organisationIds: $o }) { totalCount } }',
      {
        o: [vhsId],
      },
    );
    const vhsCount = vhs.data.offers.totalCount;
    expect(vhsCount).toBeGreaterThan(0);
    await expect.poll(() => text(count())).toBe(vhsCount === 1 ? '1 Angebot' : `${vhsCount} Angebote`);
    const providers = await rows().locator('td:nth-of-type(1)').allTextContents();
    expect(providers.length).toBe(vhsCount);
    expect(providers.every((p) => p === VHS)).toBe(true);
    // The search covers the Träger's name too.
    await page.getByRole('button', { name: 'Filter zurücksetzen' }).click();
    await page.getByLabel(/^Suche in Titel/).fill('Volkshochschule');
    await page.getByRole('button', { name: 'Angebote anzeigen' }).click();
    await expect.poll(() => rows().locator('td:nth-of-type(1)').allTextContents()).toContain(VHS);
    await shot('angebote-traeger');
  });

  it('says which criterion excluded everything and drops it with one click', async () => {
    await page.goto(`${t.origin}/angebote?traeger=${encodeURIComponent(vhsId)}&art=AUSBILDUNG`);
    const explanation = page.locator('.no-results');
    await explanation.getByText('Keine Angebote passen zu diesen Filtern.').waitFor();
    const drop = explanation.getByRole('button', { name: '„Angebotsart: Ausbildungsplatz“ entfernen' });
    await drop.waitFor();
    await expect(text(explanation)).resolves.toMatch(
      /Angebotsart: Ausbildungsplatz – ohne ihn \d+ Angebote?/,
    );
    await expect(text(explanation)).resolves.toMatch(
      /Träger: Volkshochschule Leverkusen – ohne ihn \d+ Angebote/,
    );
    await shot('angebote-nichts-gefunden');
    await noOverflowAt('nothing matches');
    // By keyboard: the button drops the kind and keeps the Träger.
    await drop.focus();
    await page.keyboard.press('Enter');
    await rows().first().waitFor();
    expect(new URL(page.url()).searchParams.get('art')).toBeNull();
    expect(new URL(page.url()).searchParams.get('traeger')).toBe(vhsId);
  });

  it('public: details without contact persons, downloads with bands only, a print layout', async () => {
    await page.goto(`${t.origin}/angebote?traeger=${encodeURIComponent(vhsId)}`);
    const first = rows().first();
    await first.waitFor();
    const title = await text(first.locator('.offer-title'));
    // Keyboard only: the row's Details button opens the dialog, Escape closes it and focus returns.
    const details = first.getByRole('button', { name: `Details zu ${title}` });
    await details.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.waitFor();
    await dialog.getByRole('heading', { name: 'Zeiträume und Plätze' }).waitFor();
    await expect(text(dialog)).resolves.toContain('Ansprechpersonen sehen nur angemeldete Bündnispartner');
    await expect(text(dialog.locator('table.periods'))).resolves.toContain('nicht freigegeben');
    await expect(text(dialog)).resolves.toContain('Ort');
    await shot('angebote-details-oeffentlich');
    expect(await axeViolations(page), 'axe with the detail dialog').toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.evaluate<string>(FOCUSED_TEXT)).toBe(`Details zu ${title}`);

    const csv = await downloadByKeyboard('Liste als CSV herunterladen');
    expect(csv.name).toBe('angebote.csv');
    const table = parseCsv(csv.body.toString('utf8').replace(/^\ufeff/, ''));
    expect(table[0]).toEqual(
      expect.arrayContaining(['Angebot', 'Träger', 'Freie Plätze (Stufe)', 'Plätze gesamt']),
    );
    const listed = await rows().locator('.offer-title').allTextContents();
    expect(table.slice(1).map((r) => r[0])).toEqual(listed);
    const free = table[0]!.indexOf('Freie Plätze');
    const band = table[0]!.indexOf('Freie Plätze (Stufe)');
    for (const row of table.slice(1)) {
      expect(row[free]).toMatch(/^(nicht freigegeben|)$/);
      expect(row[band]).toMatch(/frei/);
    }
    const xlsx = await downloadByKeyboard('Liste als Excel (.xlsx) herunterladen');
    expect(xlsx.name).toBe('angebote.xlsx');
    const sheet = await readSheet(xlsx.body);
    expect(sheet[0]).toEqual(table[0]);
    expect(sheet.slice(1).some((r) => typeof r[free] === 'number')).toBe(false);

    // Print: no navigation, filters or buttons; the table fits A4 (794 px at 96 dpi).
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.site-nav', 'form.filters', '.export', '.sign-in']) {
      await expect(page.locator(hidden).first().isVisible(), hidden).resolves.toBe(false);
    }
    await expect(page.locator('table.offers').isVisible()).resolves.toBe(true);
    await expect(text(page.locator('.print-only'))).resolves.toContain(`Filter: Träger: ${VHS}`);
    expect(await pageOverflow(page)).toBe(0);
    const tableWidth = await page.locator('table.offers').evaluate((el) => el.getBoundingClientRect().width);
    expect(tableWidth).toBeLessThanOrEqual(794);
    await shot('angebote-druck', true);
    await page.pdf({ path: path.join(SCREENSHOTS, 'angebote.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('public: a taken place lowers the band live, a freed one raises it again', async () => {
    await page.goto(`${t.origin}/angebote?art=${target.kind}`);
    const row = page.locator(`tr[data-offer-id="${target.id}"]`);
    await row.waitFor();
    const before = target.available === 4 ? 'Plätze frei (mehr als 3)' : 'wenige Plätze frei (1–3)';
    const after = target.available === 4 ? 'wenige Plätze frei (1–3)' : 'kein Platz frei';
    await expect(text(row)).resolves.toContain(before);
    await takeAndFree(after, before);
    await expect(text(row)).resolves.not.toContain(' von ');
    await noOverflowAt('public list');
  });

  it('partner: numbers change live both ways; details with contact persons; downloads with numbers', async () => {
    await browser.signIn(PARTNER);
    const row = page.locator(`tr[data-offer-id="${target.id}"]`);
    await expect.poll(() => text(row)).toContain(`${target.available} von ${target.total} frei`);
    await takeAndFree(
      `${target.available - 1} von ${target.total} frei`,
      `${target.available} von ${target.total} frei`,
    );
    await shot('angebote-live-partner');

    await page.goto(`${t.origin}/angebote?traeger=${encodeURIComponent(vhsId)}`);
    const first = rows().first();
    await first.waitFor();
    const title = await text(first.locator('.offer-title'));
    await first.getByRole('button', { name: `Details zu ${title}` }).click();
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.getByRole('heading', { name: 'Ansprechpersonen' }).waitFor();
    await dialog.locator('.contacts li').first().waitFor();
    await expect(text(dialog)).resolves.not.toContain('Ansprechpersonen sehen nur');
    await expect(text(dialog.locator('.contacts'))).resolves.toMatch(/@/);
    await shot('angebote-details-partner');
    expect(await axeViolations(page), 'axe with the partner’s detail dialog').toEqual([]);
    await dialog.getByRole('button', { name: 'Schließen' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const expected = await t.gql<any>(
      'query($o: [ID!]) { offers(first: 100, filter: { organisationIds: $o }) { nodes { title currentCapacityPeriod { available total } } } }',
      { o: [vhsId] },
      { token: (await tokenFor(t.hub.database.orm, [Role.PARTNER_STAFF])).token },
    );
    const csv = parseCsv(
      (await downloadByKeyboard('Liste als CSV herunterladen')).body.toString('utf8').replace(/^\ufeff/, ''),
    );
    const free = csv[0]!.indexOf('Freie Plätze');
    const total = csv[0]!.indexOf('Plätze gesamt');
    for (const node of expected.data.offers.nodes) {
      const line = csv.find((r) => r[0] === node.title)!;
      expect(line, node.title).toBeDefined();
      if (node.currentCapacityPeriod) {
        expect(line[free]).toBe(String(node.currentCapacityPeriod.available));
        expect(line[total]).toBe(String(node.currentCapacityPeriod.total));
      }
    }
    const sheet = await readSheet((await downloadByKeyboard('Liste als Excel (.xlsx) herunterladen')).body);
    expect(sheet.slice(1).some((r) => typeof r[total] === 'number')).toBe(true);
    await noOverflowAt('partner list');
  });

  it('Sitzung: a chart on the first screen at 1280×720, large lettering at 1920×1080, no overflow', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${t.origin}/sitzung`);
    await page.locator('table.figures').first().waitFor();
    const firstChart = page.locator('.chart').first();
    const box = (await firstChart.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height, 'the first chart ends within 720 px').toBeLessThanOrEqual(720);
    await shot('sitzung-1280x720');

    await page.setViewportSize({ width: 1920, height: 1080 });
    await expect.poll(() => firstChart.getAttribute('data-font-size')).not.toBeNull();
    const smallest = await page.evaluate<number>(SMALLEST_TEXT);
    expect(smallest, 'smallest text on /sitzung at 1920×1080').toBeGreaterThanOrEqual(18);
    const chartFonts = await page
      .locator('.chart')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-font-size'))));
    expect(chartFonts.every((size) => size >= 18)).toBe(true);
    await shot('sitzung-1920x1080');

    // The same German names in charts and tables: every chart category is a row header of its table.
    const names = await page.locator('.figure').evaluateAll((figures) =>
      figures.map((f) => ({
        chart: (f.querySelector('.chart')?.getAttribute('data-categories') ?? '').split('|'),
        table: [...f.querySelectorAll('table.figures tbody th')].map((th) => th.textContent ?? ''),
      })),
    );
    for (const { chart, table } of names) expect(table).toEqual(expect.arrayContaining(chart));

    await noOverflowAt('sitzung');
    // A phone: chart labels wrap inside the chart instead of being cut.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => firstChart.getAttribute('data-font-size')).toBe('13');
    await expect
      .poll(() =>
        page.locator('.chart').evaluateAll((els) => els.map((el) => el.getAttribute('data-labels-fit'))),
      )
      .toEqual(['true', 'true', 'true']);
    expect(await pageOverflow(page)).toBe(0);
    await shot('sitzung-390', true);
  });

  it('loads nothing from outside the hub and breaks no content-security rule', () => {
    expect(browser.outside).toEqual([]);
    expect(cspViolations(browser)).toEqual([]);
  });

  /** Presses a download button by keyboard and returns the file the page saved. */
  async function downloadByKeyboard(name: string) {
    const button = page.getByRole('button', { name });
    await button.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const file = await download.path();
    await page.locator('.export [role="status"]').getByText('heruntergeladen').waitFor();
    return { name: download.suggestedFilename(), body: readFileSync(file) };
  }
});

// Scripts run in the page (as text: this file is compiled without the DOM's types).

/** The text of the element with the keyboard focus. */
const FOCUSED_TEXT = `document.activeElement?.textContent ?? ''`;

/** The smallest font size (px) of visible text in <main>, hidden helper texts and closed details aside. */
const SMALLEST_TEXT = `(() => {
  let min = Infinity;
  for (const el of document.querySelectorAll('main *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const hidden = el.closest('.visually-hidden, details:not([open]) > :not(summary)');
    if (!own || hidden || !el.offsetParent) continue;
    min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
  }
  return min;
})()`;

/** The elements that reach past the window's right edge, outside boxes that scroll sideways. */
const WIDEST = `[...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return false;
    }
    return true;
  })
  .slice(0, 6)
  .map((el) => el.tagName.toLowerCase() + '.' + el.className + ' → ' + Math.round(el.getBoundingClientRect().right))
  .join(', ')`;

const widest = (page: Page) => page.evaluate<string>(WIDEST);

async function readSheet(body: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.getWorksheet('Angebote')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** A semicolon CSV with quotes, as the hub writes it. */
function parseCsv(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}
