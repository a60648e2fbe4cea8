import path from 'node:path';
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
  DEMO_PASSWORD as PASSWORD,
  SCREENSHOTS,
  text,
} from './helpers/browser.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

/**
 * The pages as people use them, in Debian's Chromium driven by playwright-core: a partner signs in and
 * filters offers, sees a place freed through the API appear without reloading, the meeting page draws
 * its charts with suppressed cells marked, and the playground runs an example and a subscription.
 * Screenshots go to test/artifacts/screenshots/.
 */
const PARTNER = 'staff@jobcenter-leverkusen.example';
const PROFILE = { residenceStatus: 'DULDUNG', age: 21, germanLevel: 'B1' } as const;
// The playground's live example listens to these kinds; the offer the test frees a place in is one of them.
const LIVE_KINDS = ['JOB_LANGUAGE_COURSE', 'INTEGRATION_COURSE', 'EQ', 'AUSBILDUNG'];

interface Target {
  id: string;
  title: string;
  kind: string;
  district: string;
  periodId: string;
  available: number;
  total: number;
}

describe.skipIf(!CHROMIUM)('pages in a real browser (Chromium)', () => {
  let t: TestHub;
  let browser: Browser;
  let page: Page;
  let caseManager: string;
  let target: Target;
  let clock = new Date();

  beforeAll(async () => {
    // Daily releases of one change each, and a clock the meeting-screen step moves to the next day.
    t = await startTestHub('browser', {
      env: {
        STATISTICS_UPDATE_INTERVAL_MS: '300',
        STATISTICS_RELEASE_PERIOD: 'day',
        STATISTICS_RELEASE_MIN_CHANGES: '1',
      },
      now: () => clock,
    });
    caseManager = (await tokenFor(t.hub.database.orm, [Role.CASE_MANAGER])).token;
    target = await findTarget();
    browser = await openBrowser();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /**
   * Frees a place through the API until the page shows `seen`. The page's subscription is registered on
   * the hub shortly after the socket opens; on a busy machine a first event may come before it, so up to
   * three rounds (no timing is asserted).
   */
  async function releaseUntil(seen: () => Promise<unknown>) {
    for (let round = 1; ; round++) {
      await holdAndRelease();
      try {
        await seen();
        return;
      } catch (error) {
        if (round === 3) throw error;
      }
    }
  }

  const shot = (name: string, fullPage = false) => browser.shot(name, fullPage);

  /** An offer a partner finds with the test's profile that has a free place now (demo data). */
  async function findTarget(): Promise<Target> {
    const res = await t.gql<any>(
      `query($f: OfferFilter) { offers(first: 100, filter: $f) { nodes {
        id title kind location { district } currentCapacityPeriod { id available total } } } }`,
      { f: { kinds: LIVE_KINDS, eligibleFor: PROFILE, hasFreePlaces: true } },
      { token: caseManager },
    );
    const offer = res.data.offers.nodes.find((o: any) => o.currentCapacityPeriod?.available >= 1);
    if (!offer) throw new Error('the demo data has no offer with a free place for the test profile');
    return {
      id: offer.id,
      title: offer.title,
      kind: offer.kind,
      district: offer.location.district,
      periodId: offer.currentCapacityPeriod.id,
      available: offer.currentCapacityPeriod.available,
      total: offer.currentCapacityPeriod.total,
    };
  }

  /** A case manager holds the target's place for a new case and frees it again, all through the API. */
  async function holdAndRelease() {
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
    const released = await t.gql<any>(
      'mutation($id: ID!) { releasePlace(input: { reservationId: $id }) { status } }',
      { id: held.data.reservePlace.id },
      { token: caseManager },
    );
    expect(released.data.releasePlace.status).toBe('RELEASED');
  }

  it('Angebote: a partner signs in and filters offers by kind, district, profile and free places', async () => {
    await page.goto(`${t.origin}/angebote`);
    await expect(page.getByRole('heading', { name: 'Angebote & Plätze' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('E-Mail').fill(PARTNER);
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Angemeldet als').waitFor();

    await page.getByLabel('Angebotsart').selectOption(target.kind);
    await page.getByLabel('Stadtteil').selectOption(target.district);
    const profile = page.getByRole('group', { name: /Passt zu einer Person/ });
    await profile.getByLabel('Aufenthaltsstatus').selectOption(PROFILE.residenceStatus);
    await profile.getByLabel('Alter (Jahre)').fill(String(PROFILE.age));
    await profile.getByLabel('Deutschniveau').selectOption(PROFILE.germanLevel);
    await page.getByLabel('Nur Angebote mit freien Plätzen').check();
    await page.getByRole('button', { name: 'Angebote anzeigen' }).click();

    const row = page.locator(`tr[data-offer-id="${target.id}"]`);
    await row.waitFor();
    // Partners see numbers, not bands.
    await expect(text(row)).resolves.toContain(`${target.available} von ${target.total} frei`);
    const count = await page.locator('.result-count').textContent();
    expect(count).toMatch(/^(\d+ von \d+ Angeboten|\d+ Angebote?)$/);
    // Every row matches the filter's district, once the filtered answer is in (the row may be
    // in the unfiltered list of the sign-in too, and that answer must never win).
    const districtCells = page.locator('table.offers tbody tr td:nth-of-type(2)');
    await expect
      .poll(async () => (await districtCells.allTextContents()).every((c) => c.includes(target.district)), {
        timeout: 10_000,
      })
      .toBe(true);
    await page.getByText('Live: verbunden').waitFor();
    await shot('angebote-gefiltert');
  });

  it('Angebote: a place released through the API appears live, highlighted and announced', async () => {
    await page.evaluate(() => {
      (globalThis as any).__notReloaded = true;
    });
    const row = page.locator(`tr[data-offer-id="${target.id}"]`);
    await releaseUntil(() =>
      row.locator('.badge', { hasText: 'Platz frei geworden' }).waitFor({ timeout: 8_000 }),
    );
    await expect(row.getAttribute('class')).resolves.toContain('freed');
    await expect(page.locator('.live-announcement').textContent()).resolves.toContain(
      `Ein Platz ist frei geworden: ${target.title}`,
    );
    await expect(text(row)).resolves.toContain(`${target.available} von ${target.total} frei`);
    await expect(page.evaluate(() => (globalThis as any).__notReloaded)).resolves.toBe(true);
    await shot('angebote-platz-frei');
  });

  it('Angebote: a search marks its matches, and an empty one offers terms that find something', async () => {
    await page.getByRole('button', { name: 'Filter zurücksetzen' }).click();
    const search = page.getByLabel(/^Suche in Titel/);
    await search.fill('Sprachkurse');
    await page.getByRole('button', { name: 'Angebote anzeigen' }).click();
    const marks = page.locator('table.offers mark');
    await marks.first().waitFor();
    const marked = await marks.allTextContents();
    expect(marked.length).toBeGreaterThan(0);
    for (const word of marked) expect(word.toLowerCase()).toMatch(/sprach|kurs/);
    await shot('angebote-suche-markiert');
    // Marked matches stay WCAG 2.1 AA on a phone, a projector and a desktop.
    for (const width of [390, 1024, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page), `axe at ${width} px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await search.fill('Kolpingg Zahnarzt');
    await page.getByRole('button', { name: 'Angebote anzeigen' }).click();
    const suggestion = page.getByRole('navigation', { name: 'Suchvorschläge' }).getByRole('button', {
      name: 'Nach „Kolping“ suchen',
    });
    await suggestion.waitFor();
    await expect(page.getByText('Keine Angebote passen zu diesen Filtern.').isVisible()).resolves.toBe(true);
    await shot('angebote-suche-vorschlaege');
    expect(await axeViolations(page), 'axe with suggestions').toEqual([]);
    // The suggestion is a button reached and pressed by keyboard alone.
    await suggestion.focus();
    await page.keyboard.press('Enter');
    await page.locator('table.offers tbody tr').first().waitFor();
    await expect(search.inputValue()).resolves.toBe('Kolping');
    await expect(marks.first().textContent()).resolves.toMatch(/Kolping/);
  });

  it('Sitzung: charts with suppressed cells marked, audience and period shown, refreshed live', async () => {
    await page.goto(`${t.origin}/sitzung`);
    await page.locator('table.figures').first().waitFor();
    // Signed in as a partner (the session lives in this tab): k = 3, exact figures.
    await expect(page.locator('.facts').textContent()).resolves.toMatch(/Bündnispartner.*Werte unter 3/);
    await expect(page.locator('.facts').textContent()).resolves.toMatch(/Jahr \d{4}/);
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    const drawn = await page
      .locator('canvas')
      .first()
      .evaluate((canvas: any) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
        return painted;
      });
    expect(drawn).toBeGreaterThan(1_000);
    const suppressed = await page.locator('table.figures .suppressed').allTextContents();
    // One word for every hidden cell: which ones are small is not said.
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((text) => text.startsWith('unterdrückt'))).toBe(true);
    expect(suppressed.some((text) => /< \d|sekundär|geheim/.test(text))).toBe(false);
    await page.getByRole('heading', { name: 'Warum manche Zahlen fehlen' }).waitFor();
    await shot('sitzung-partner', true);

    // statisticsUpdated: the next day a new case makes a new release, the page fetches it by itself.
    const before = await page.locator('.facts dd').nth(2).textContent();
    await page.waitForTimeout(1_100); // the time shown has seconds; let one pass
    clock = new Date(clock.getTime() + 86_400_000);
    await releaseUntil(() =>
      expect.poll(() => page.locator('.facts dd').nth(2).textContent(), { timeout: 8_000 }).not.toBe(before),
    );

    // The public view of the same page: k = 5, rounded figures.
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await expect
      .poll(async () => page.locator('.facts').textContent(), { timeout: 10_000 })
      .toMatch(/Öffentlichkeit.*auf 5 gerundet/);
    expect(await page.locator('table.figures .suppressed').count()).toBeGreaterThan(0);
    await shot('sitzung-oeffentlich', true);

    // For the minutes: the print stylesheet drops navigation and controls (screenshot at A4 width).
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.site-nav').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Drucken / PDF' }).isVisible()).resolves.toBe(false);
    await shot('sitzung-druck', true);
    await page.pdf({ path: path.join(SCREENSHOTS, 'sitzung.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('Playground: GraphiQL from the hub, examples load with one click, queries and subscriptions run', async () => {
    await page.goto(`${t.origin}/playground`);
    await page.locator('.graphiql-container').waitFor();
    await page.getByLabel('E-Mail').fill(PARTNER);
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Angemeldet als').waitFor();

    // The statistics example: one click opens it in a new tab; run it.
    await page.getByRole('button', { name: /Statistik-Tabelle/ }).click();
    await page.locator('.graphiql-tab-active', { hasText: 'FaelleNachStatusUndAlter' }).waitFor();
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await expect.poll(() => text(response), { timeout: 15_000 }).toContain('"audience": "PARTNER"');

    // The live example over graphql-ws: run it, free a place through the API, see the event arrive.
    await page.getByRole('button', { name: /Live: freie Plätze/ }).click();
    await page.locator('.graphiql-tab-active', { hasText: 'PlatzFrei' }).waitFor();
    await page.locator('.graphiql-execute-button').click();
    await releaseUntil(() =>
      expect.poll(() => text(response), { timeout: 8_000 }).toContain('"reason": "released"'),
    );
    await expect(text(response)).resolves.toContain('"placesAvailable"');
    await shot('playground');
  });

  it('loads nothing from outside the hub and breaks no content-security rule', () => {
    expect(browser.outside).toEqual([]);
    expect(cspViolations(browser)).toEqual([]);
  });
});
