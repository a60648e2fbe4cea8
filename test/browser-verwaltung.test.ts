import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../src/domain/calendar.js';
import {
  axeViolations,
  type Browser,
  CHROMIUM,
  cspViolations,
  openBrowser,
  DEMO_PASSWORD as PASSWORD,
  pageOverflow,
  text,
} from './helpers/browser.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * The editors' workspace in Chromium: an editor creates an offer (a field error first), finds it on the
 * public list, edits it, meets a conflicting change made through the API, sets places, confirms a case
 * manager's reservation, shares and revokes a field group and reads the audit trail; the same creation
 * by keyboard alone; axe on every state; no page overflow from 390 to 1920 px; plain staff see no form.
 */
const EDITOR = 'editor@vhs-leverkusen.example';
const CASE_MANAGER = 'casemanager@kja-leverkusen.example';
const STAFF = 'staff@jobcenter-leverkusen.example';
const TITLE = 'Werkstattkurs Holz und Metall';
const WIDTHS = [390, 1024, 1920];

const day = (offset: number) => {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

describe.skipIf(!CHROMIUM)('the editors’ workspace /verwaltung (Chromium)', () => {
  let t: TestHub;
  let browser: Browser;
  let page: Page;
  let editorToken: string;
  let caseManagerToken: string;
  let offerId: string;

  const login = async (email: string) => {
    const result = await t.gql<{ login: { token: string } }>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: email, p: PASSWORD },
    );
    return result.data!.login.token;
  };

  /** axe finds nothing, at every width, and the page never scrolls sideways. */
  async function checkState(name: string, widths = [1280]) {
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page), `${name} at ${width}px`).toEqual([]);
      expect(await pageOverflow(page), `${name} overflows at ${width}px`).toBe(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await browser.shot(`verwaltung-${name}`, true);
  }

  const tab = (name: string) => page.getByRole('tab', { name });
  const openTab = async (name: string) => {
    await tab(name).click();
    await page.getByRole('tabpanel').getByRole('heading', { level: 2, name }).first().waitFor();
  };

  beforeAll(async () => {
    t = await startTestHub('browser_verwaltung');
    editorToken = await login(EDITOR);
    caseManagerToken = await login(CASE_MANAGER);
    browser = await openBrowser();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('shows plain staff no form, only what the page is for', async () => {
    await page.goto(`${t.origin}/verwaltung`);
    await browser.signIn(STAFF);
    await page.getByRole('alert').filter({ hasText: 'für die Redaktion' }).waitFor();
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.getByRole('tab').count()).toBe(0);
    await checkState('staff', WIDTHS);
    await page.getByRole('button', { name: 'Abmelden' }).click();
  });

  it('lets the editor create an offer, after a German message at the wrong field', async () => {
    await browser.signIn(EDITOR);
    await tab('Angebote').waitFor();
    await page.getByRole('table').first().waitFor();
    await checkState('offers', WIDTHS);

    // The tabs follow the ARIA pattern: arrow keys move and select.
    await tab('Angebote').focus();
    await page.keyboard.press('ArrowRight');
    expect(await tab('Standorte').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    expect(await tab('Angebote').getAttribute('aria-selected')).toBe('true');

    await page.getByRole('button', { name: 'Neues Angebot anlegen' }).click();
    const form = page.getByRole('form', { name: 'Neues Angebot' });
    await form.getByLabel('Titel').fill('Ab');
    await form.getByLabel('Art des Angebots').selectOption('PREPARATION');
    await form.getByLabel('Beschreibung').fill('Zwölf Wochen Werkstatt: Holz, Metall, Bewerbungstraining.');
    await form.getByLabel('Sprachen').fill('de, ar, fa');
    await form.getByRole('checkbox', { name: 'Duldung (§ 60a AufenthG)' }).check();
    await form.getByRole('button', { name: 'Angebot anlegen' }).click();

    const title = form.getByLabel('Titel');
    await expect.poll(() => title.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await title.getAttribute('aria-describedby'))!;
    const message = await text(page.locator(`[id="${describedBy.split(' ').pop()}"]`));
    expect(message).toContain('mindestens 3 Zeichen');
    await page.getByRole('alert').filter({ hasText: 'markierten Felder' }).waitFor();
    await checkState('offer-field-error', WIDTHS);

    await title.fill(TITLE);
    await form.getByRole('button', { name: 'Angebot anlegen' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `„${TITLE}“ wurde angelegt` })
      .waitFor();
    await page.getByRole('cell', { name: TITLE, exact: true }).waitFor();

    const found = await t.gql<any>(
      'query($s: String) { offers(filter: { search: $s }) { nodes { id title eligibility { version } } } }',
      { s: TITLE },
    );
    const created = found.data.offers.nodes.find((o: any) => o.title === TITLE);
    expect(created.eligibility).toEqual({ version: 1 });
    offerId = created.id;
  });

  it('puts the new offer on the public list (signed out)', async () => {
    const visitor = await browser.context.newPage();
    await visitor.goto(`${t.origin}/angebote`);
    await visitor.locator('input[type="search"]').first().fill(TITLE);
    await visitor.locator('input[type="search"]').first().press('Enter');
    await visitor.getByText(TITLE).first().waitFor();
    expect(await visitor.getByText('Angemeldet als').count()).toBe(0);
    await visitor.close();
  });

  it('edits the offer and explains a change made meanwhile, keeping the edits for comparison', async () => {
    await page.getByRole('button', { name: `Bearbeiten: ${TITLE}` }).click();
    const form = page.getByRole('form', { name: 'Angebot bearbeiten' });
    await form.getByLabel('Zeiten').fill('Mo–Do 9–13 Uhr');
    await form.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'wurde gespeichert' }).first().waitFor();
    await checkState('offer-editor');

    // Someone else saves a newer version through the API while the form is open.
    const { data } = await t.gql<any>(
      'query($id: ID!) { offer(id: $id) { version } }',
      { id: offerId },
      {
        token: editorToken,
      },
    );
    const meanwhile = await t.gql<any>(
      'mutation($i: UpdateOfferInput!) { updateOffer(input: $i) { version } }',
      { i: { id: offerId, version: data.offer.version, title: `${TITLE} (neu)` } },
      { token: editorToken },
    );
    expect(meanwhile.errors).toBeUndefined();

    await form.getByLabel('Beschreibung').fill('Meine Beschreibung, die nicht verloren gehen soll.');
    await form.getByRole('button', { name: 'Änderungen speichern' }).click();
    const conflict = page.locator('.conflict');
    await conflict.waitFor();
    await expect.poll(() => text(conflict)).toMatch(/Das Angebot wurde inzwischen von .+ geändert \(am \d/);
    expect(await text(conflict)).toContain('Meine Beschreibung, die nicht verloren gehen soll.');
    await checkState('offer-conflict', WIDTHS);

    await conflict.getByRole('button', { name: 'Aktuellen Stand laden' }).click();
    await expect.poll(() => form.getByLabel('Titel').inputValue()).toBe(`${TITLE} (neu)`);
    expect(await text(page.locator('.discarded'))).toContain('Meine Beschreibung');
    await checkState('offer-reloaded');
    await page.getByRole('button', { name: 'Schließen' }).click();
  });

  it('creates a period, sets its total and confirms a case manager’s reservation', async () => {
    await openTab('Plätze & Reservierungen');
    await page.getByLabel('Angebot', { exact: true }).selectOption({ label: `${TITLE} (neu)` });
    await page.getByText('Dieses Angebot hat noch keinen Zeitraum.').waitFor();
    const create = page.getByRole('form', { name: 'Neuer Zeitraum' });
    await create.getByLabel('Bezeichnung').fill('Kurs Frühjahr');
    await create.getByLabel('Erster Tag').fill(day(10));
    await create.getByLabel('Letzter Tag').fill(day(100));
    await create.getByLabel('Plätze gesamt').fill('5');
    await create.getByRole('button', { name: 'Zeitraum anlegen' }).click();
    const period = page.locator('section.period').first();
    await period.waitFor();

    await period.getByLabel(/Plätze gesamt/).fill('8');
    await period.getByRole('button', { name: 'Gesamtzahl setzen' }).click();
    await page.getByRole('status').filter({ hasText: '8 Plätze gesamt gespeichert' }).waitFor();
    await expect.poll(() => text(period.locator('.numbers'))).toContain('Gesamt8');

    const periods = await t.gql<any>('query($id: ID!) { offer(id: $id) { capacityPeriods { id } } }', {
      id: offerId,
    });
    const cases = await t.gql<any>(
      '{ cases(first: 1, filter: { open: true }) { nodes { id } } }',
      {},
      {
        token: caseManagerToken,
      },
    );
    const reserved = await t.gql<any>(
      'mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id status } }',
      {
        i: {
          capacityPeriodId: periods.data.offer.capacityPeriods[0].id,
          caseId: cases.data.cases.nodes[0].id,
        },
      },
      { token: caseManagerToken },
    );
    expect(reserved.errors).toBeUndefined();

    await page.getByRole('button', { name: 'Zahlen aktualisieren' }).click();
    const confirm = page.getByRole('button', { name: /^Bestätigen: Reservierung vom/ });
    await confirm.waitFor();
    await expect.poll(() => text(period.locator('.numbers'))).toContain('Reserviert1');
    await checkState('places', WIDTHS);
    await confirm.click();
    await page.getByRole('status').filter({ hasText: 'ist bestätigt' }).waitFor();
    await expect.poll(() => text(period.locator('.numbers'))).toContain('Belegt1');
    expect(await text(period.getByRole('table'))).toContain('bestätigt');
    await checkState('places-confirmed');
  });

  it('shares a field group with a partner and revokes it', async () => {
    await openTab('Freigaben');
    const form = page.getByRole('form', { name: 'Neue Freigabe' });
    await form.getByLabel('Feldgruppe').selectOption('PLACES_DETAIL');
    await form
      .getByLabel('Partnerorganisation', { exact: true })
      .selectOption({ label: 'Jobcenter Leverkusen' });
    await form.getByRole('button', { name: 'Freigeben' }).click();
    await page.getByRole('status').filter({ hasText: 'freigegeben für Jobcenter Leverkusen' }).waitFor();
    const revoke = page.getByRole('button', {
      name: /^Widerrufen: Platzdetails .* für Jobcenter Leverkusen/,
    });
    await revoke.waitFor();
    await checkState('sharing', WIDTHS);
    await revoke.click();
    await page.getByRole('status').filter({ hasText: 'wurde widerrufen' }).waitFor();
    await expect.poll(() => revoke.count()).toBe(0);
    expect(await text(page.getByRole('table'))).toContain('widerrufen am');
  });

  it('reads the audit trail in German, page by page', async () => {
    await openTab('Protokoll');
    const table = page.getByRole('table');
    await table.waitFor();
    const first = await text(table);
    expect(first).toContain('Freigabe widerrufen');
    expect(first).toContain('Reservierung bestätigt');
    expect(first).toContain('Plätze gesamt: 5 → 8');
    expect(first).toMatch(/Angebot geändert.*Titel: .* → .*\(neu\)/);
    await checkState('audit', WIDTHS);

    // More than a page: twenty more changes through the API, then the older ones are a page further.
    for (let i = 1; i <= 20; i++) {
      const { data } = await t.gql<any>(
        'query($id: ID!) { offer(id: $id) { version } }',
        { id: offerId },
        {
          token: editorToken,
        },
      );
      await t.gql<any>(
        'mutation($i: UpdateOfferInput!) { updateOffer(input: $i) { version } }',
        { i: { id: offerId, version: data.offer.version, schedule: `Woche ${i}` } },
        { token: editorToken },
      );
    }
    await openTab('Freigaben');
    await openTab('Protokoll');
    await page.getByRole('cell', { name: 'Zeiten: Woche 19 → Woche 20' }).waitFor();
    await page.getByRole('button', { name: 'Ältere Einträge' }).click();
    await page.getByRole('status').filter({ hasText: 'Seite 2' }).waitFor();
    await expect.poll(() => text(page.getByRole('table'))).toContain('Freigabe widerrufen');
    await page.getByRole('button', { name: 'Neuere Einträge' }).click();
    await page.getByRole('status').filter({ hasText: 'Seite 1' }).waitFor();
  });

  it('creates an offer by keyboard alone', async () => {
    await openTab('Angebote');
    await page.getByRole('button', { name: 'Neues Angebot anlegen' }).waitFor();
    // From the selected tab, Tab walks into the panel: the first control is the new-offer button.
    await tab('Angebote').focus();
    const focused = () =>
      page.evaluate(() => {
        // biome-ignore lint/suspicious/noExplicitAny: runs in the page, which has a DOM.
        const el = (globalThis as any).document.activeElement;
        return `${el?.tagName}:${el?.getAttribute('aria-label') ?? el?.textContent ?? ''}`;
      });
    for (let i = 0; i < 5 && !(await focused()).includes('Neues Angebot anlegen'); i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toContain('Neues Angebot anlegen');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toContain('Neues Angebot');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Tastaturkurs Deutsch im Beruf');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 2; i++) await page.keyboard.press('Tab');
    // biome-ignore lint/suspicious/noExplicitAny: runs in the page, which has a DOM.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('Nur mit der Tastatur angelegt.');
    for (let i = 0; i < 40 && !(await focused()).includes('Angebot anlegen'); i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/BUTTON:Angebot anlegen/);
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: '„Tastaturkurs Deutsch im Beruf“ wurde angelegt' })
      .waitFor();
    await expect.poll(focused).toContain('Neues Angebot anlegen');
    await checkState('offer-keyboard');
  });

  it('loaded nothing from outside and broke no content-security rule', () => {
    expect(browser.outside).toEqual([]);
    expect(cspViolations(browser)).toEqual([]);
  });
});
