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
  text,
} from './helpers/browser.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

/**
 * /faelle as a case manager uses it, in Chromium: a case is created (a bad value refused at its field
 * first), a matching offer's place is held, the provider confirms it, the case waits on a full period,
 * the place is released, the stage changes (and a stale version is explained), the case is handed over
 * and an incoming one accepted. A partner without case rights sees none of it.
 */
const CASE_MANAGER = 'casemanager@kja-leverkusen.example';
const STAFF = 'staff@jobcenter-leverkusen.example';
// Rheinchemie shares its places detail with the alliance: a case manager may read its queue positions.
const PROVIDER = 'Rheinchemie';
const PROFILE = { age: 21, residenceStatus: 'DULDUNG', germanLevel: 'B1' } as const;

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1]!;

interface Target {
  offerId: string;
  title: string;
  periodId: string;
}

describe.skipIf(!CHROMIUM)('/faelle in a real browser (Chromium)', () => {
  let t: TestHub;
  let browser: Browser;
  let page: Page;
  let providerEditor: string;
  let caseManagerToken: string;
  let otherCaseManager: string;
  let kjaId: string;
  let caritasName: string;
  let caritasId: string;
  let free: Target;
  let full: Target;
  /** A full period of a provider that does not share its places detail: queue positions withheld. */
  let unshared: Target;

  const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await t.gql<any>(query, variables, { token });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data;
  };

  async function organisation(name: string) {
    const data = await gql('{ organisations(first: 100) { nodes { id name } } }', {}, '');
    return data.organisations.nodes.find((o: { name: string }) => o.name.includes(name));
  }

  beforeAll(async () => {
    t = await startTestHub('browser-faelle');
    const orm = t.hub.database.orm;
    const kja = await organisation('Katholische Jugendagentur');
    const caritas = await organisation('Caritas');
    const provider = await organisation(PROVIDER);
    kjaId = kja.id;
    caritasId = caritas.id;
    caritasName = caritas.name;
    caseManagerToken = (await tokenFor(orm, [Role.CASE_MANAGER], uuidOf(kja.id))).token;
    otherCaseManager = (await tokenFor(orm, [Role.CASE_MANAGER], uuidOf(caritas.id))).token;
    providerEditor = (await tokenFor(orm, [Role.PARTNER_EDITOR], uuidOf(provider.id))).token;

    // Two periods of the provider that admit the profile: one with free places, one made full here.
    const data = await gql(
      `query($f: OfferFilter) { offers(first: 50, filter: $f) { nodes { id title
        capacityPeriods { id endsOn available total version } } } }`,
      { f: { eligibleFor: PROFILE, organisationIds: [provider.id] } },
      providerEditor,
    );
    const periods = data.offers.nodes.flatMap((o: any) =>
      o.capacityPeriods
        .filter((p: any) => p.endsOn >= today())
        .map((p: any) => ({ offerId: o.id, title: o.title, periodId: p.id, ...p })),
    );
    const open = periods.filter((p: any) => p.available >= 2);
    expect(open.length, 'two open periods of the provider for the profile').toBeGreaterThanOrEqual(2);
    free = open[0];
    const toFill = open.find((p: any) => p.offerId !== free.offerId) ?? open[1];
    await gql(
      'mutation($i: SetCapacityTotalInput!) { setCapacityTotal(input: $i) { available } }',
      { i: { capacityPeriodId: toFill.id, total: toFill.total - toFill.available, version: toFill.version } },
      providerEditor,
    );
    full = toFill;

    const vhs = await organisation('Volkshochschule');
    const vhsEditor = (await tokenFor(orm, [Role.PARTNER_EDITOR], uuidOf(vhs.id))).token;
    const vhsOffers = await gql(
      `query($f: OfferFilter) { offers(first: 50, filter: $f) { nodes { id title
        capacityPeriods { id endsOn available total version } } } }`,
      { f: { eligibleFor: PROFILE, organisationIds: [vhs.id] } },
      vhsEditor,
    );
    const vhsPeriod = vhsOffers.offers.nodes
      .flatMap((o: any) =>
        o.capacityPeriods
          .filter((p: any) => p.endsOn >= today())
          .slice(0, 1)
          .map((p: any) => ({ offerId: o.id, title: o.title, periodId: p.id, ...p })),
      )
      .find((p: any) => p.available >= 1);
    await gql(
      'mutation($i: SetCapacityTotalInput!) { setCapacityTotal(input: $i) { available } }',
      {
        i: {
          capacityPeriodId: vhsPeriod.id,
          total: vhsPeriod.total - vhsPeriod.available,
          version: vhsPeriod.version,
        },
      },
      vhsEditor,
    );
    unshared = vhsPeriod;
    browser = await openBrowser();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function expectAxeClean(state: string) {
    expect(await axeViolations(page), state).toEqual([]);
  }

  const caseView = () => page.locator('section.case-view');
  const placesList = () => caseView().getByRole('list', { name: 'Vormerkungen und Reservierungen' });
  const offerCard = (title: string) =>
    caseView()
      .locator('article.offer')
      .filter({ has: page.getByRole('heading', { name: title, exact: true }) });

  async function searchOffers(words: string) {
    const finder = caseView().getByRole('form', { name: 'Passende Angebote suchen' });
    await finder.getByLabel('Alter in Jahren').fill(String(PROFILE.age));
    await finder.getByLabel('Suchbegriff (optional)').fill(words);
    await finder.getByRole('button', { name: 'Passende Angebote suchen' }).click();
    await caseView()
      .getByText(/passenden Angeboten angezeigt/)
      .waitFor();
  }

  /** The id of the case open on the page: the organisation's case whose id ends as its heading says. */
  async function openCaseId(): Promise<string> {
    const heading = await text(caseView().getByRole('heading', { level: 2 }));
    const suffix = heading.replace(/^Fall …/, '');
    const data = await gql('{ cases(first: 100) { nodes { id } } }', {}, caseManagerToken);
    return data.cases.nodes.find((c: { id: string }) => c.id.endsWith(suffix)).id;
  }

  it('shows a partner without case rights no forms and no cases', async () => {
    await page.goto(`${t.origin}/faelle`);
    await browser.signIn(STAFF);
    await page.getByRole('alert').filter({ hasText: 'Diese Seite ist für das Fallmanagement' }).waitFor();
    expect(await page.getByRole('form').count()).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Fall anlegen|vormerken|Übernehmen/ }).count()).toBe(0);
    await expectAxeClean('partner without case rights');
    await page.getByRole('button', { name: 'Abmelden' }).click();
  });

  it('creates a case after a bad value is refused at its field, in German', async () => {
    await browser.signIn(CASE_MANAGER);
    const form = page.getByRole('form', { name: 'Neuen Fall anlegen' });
    await form.waitFor();
    await page.getByRole('table', { name: undefined }).first().waitFor();
    await expectAxeClean('case list and create form');
    await form.getByLabel('Altersgruppe').selectOption('AGE_21_24');
    await form.getByLabel('Geschlecht').selectOption('F');
    await form.getByLabel('Aufenthaltsstatus').selectOption(PROFILE.residenceStatus);
    await form.getByLabel('Schulbildung').selectOption('LOWER_SECONDARY');
    await form.getByLabel('Deutschkenntnisse').selectOption(PROFILE.germanLevel);
    const nationality = form.getByLabel('Staatsangehörigkeit (Gruppe)');
    await nationality.fill('Syrien');
    await form.getByRole('button', { name: 'Fall anlegen' }).click();
    await expect.poll(() => nationality.getAttribute('aria-invalid')).toBe('true');
    const messageId = (await nationality.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    expect(await text(page.locator(`[id="${messageId}"]`))).toContain('Ländercode aus zwei Großbuchstaben');
    expect(await nationality.evaluate((el) => el.matches(':focus'))).toBe(true);
    expect(await text(form.getByRole('alert'))).toContain('Bitte die markierten Angaben prüfen');
    await browser.shot('faelle-field-error');
    await expectAxeClean('field error');

    await nationality.fill('SY');
    await form.getByRole('button', { name: 'Fall anlegen' }).click();
    const heading = caseView().getByRole('heading', { level: 2, name: /^Fall …/ });
    await heading.waitFor();
    await expect.poll(() => heading.evaluate((el) => el.matches(':focus'))).toBe(true);
    expect(await text(caseView().locator('.facts'))).toContain('Duldung (§ 60a AufenthG)');
    expect(await text(caseView().locator('.facts'))).toContain('Syrien (SY)');
    await expectAxeClean('new case open');
  });

  it('finds a matching offer with a free place and holds it until a chosen time', async () => {
    await searchOffers(PROVIDER);
    const card = offerCard(free.title);
    await card.waitFor();
    // Three days ahead at noon, Berlin time (the browser's zone).
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await caseView().getByLabel('Vormerken bis (optional)').fill(`${day}T12:00`);
    await expectAxeClean('matching offers');
    await card
      .getByRole('button', { name: /^Platz vormerken/ })
      .first()
      .click();
    const held = placesList().getByRole('listitem').filter({ hasText: free.title });
    await held.waitFor();
    const [y, m, d] = day.split('-');
    expect(await text(held)).toContain('vorgemerkt');
    expect(await text(held)).toContain(`vorgemerkt bis ${d}.${m}.${y}, 12:00:00`);
    // Focus follows the action to the case's places.
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.textContent))
      .toBe('Plätze dieses Falls');
    await browser.shot('faelle-held');
    await expectAxeClean('place held');
  });

  it('shows the hold confirmed once the provider’s editor confirms it', async () => {
    // The open case's hold, as its case manager sees it (the provider's editor is not told whose it is).
    const caseId = await openCaseId();
    const data = await gql(
      'query($id: ID!) { case(id: $id) { reservations { id status capacityPeriod { id } } } }',
      { id: caseId },
      caseManagerToken,
    );
    const held = data.case.reservations.find(
      (r: any) => r.status === 'HELD' && r.capacityPeriod.id === free.periodId,
    );
    await gql(
      'mutation($id: ID!) { confirmReservation(input: { reservationId: $id }) { status } }',
      { id: held.id },
      providerEditor,
    );
    // A reload of the page opens the same case again (it is in the address) with the provider's answer.
    await page.reload();
    const item = placesList().getByRole('listitem').filter({ hasText: free.title });
    await expect.poll(() => text(item.locator('.status'))).toBe('bestätigt');
    await expectAxeClean('confirmed');
    await searchOffers(PROVIDER);
  });

  it('puts the case on the waiting list of a full period and shows its position', async () => {
    const card = offerCard(full.title);
    await card.waitFor();
    await card
      .getByRole('button', { name: /^Auf die Warteliste/ })
      .first()
      .click();
    const waiting = caseView()
      .getByRole('list', { name: 'Wartelisten' })
      .getByRole('listitem')
      .filter({ hasText: full.title });
    await waiting.waitFor();
    expect(await text(waiting)).toContain('wartet');
    expect(await text(waiting.locator('.position'))).toBe('1');
    await expectAxeClean('waiting list');

    // Another provider keeps the length of its queue to itself: the page says so and guesses nothing.
    await searchOffers(`"${unshared.title}"`);
    const other = offerCard(unshared.title);
    await other.waitFor();
    expect(await text(other)).toContain('Warteliste: nicht freigegeben');
    await other
      .getByRole('button', { name: /^Auf die Warteliste/ })
      .first()
      .click();
    const withheld = caseView()
      .getByRole('list', { name: 'Wartelisten' })
      .getByRole('listitem')
      .filter({ hasText: unshared.title });
    await withheld.waitFor();
    expect(await text(withheld.locator('.position'))).toBe('nicht freigegeben');
    await expectAxeClean('waiting list, position withheld');
  });

  it('releases the place', async () => {
    const item = placesList().getByRole('listitem').filter({ hasText: free.title });
    await item.getByRole('button', { name: /^Platz freigeben/ }).click();
    await expect.poll(() => text(item.locator('.status'))).toBe('aufgehoben');
    expect(await item.getByRole('button').count()).toBe(0);
    await expectAxeClean('released');
  });

  it('changes the stage with its date, and explains a version someone else changed meanwhile', async () => {
    const form = caseView().getByRole('form', { name: 'Stufe ändern' });
    await form.getByLabel('Neue Stufe').selectOption('LANGUAGE');
    await form.getByRole('button', { name: 'Stufe speichern' }).click();
    await caseView().getByRole('status').filter({ hasText: 'Stufe geändert: Sprachförderung' }).waitFor();
    await expect.poll(() => text(caseView().locator('.facts'))).toContain('Sprachförderung');
    expect(await text(caseView().locator('.history'))).toContain(
      'Stufenwechsel (Aufnahme → Sprachförderung)',
    );

    // Someone else changes the case after the page loaded it.
    const id = await openCaseId();
    const current = await gql('query($id: ID!) { case(id: $id) { version } }', { id }, caseManagerToken);
    await gql(
      'mutation($i: UpdateCaseInput!) { updateCase(input: $i) { version } }',
      { i: { id, version: current.case.version, schoolLevel: 'UPPER_SECONDARY' } },
      caseManagerToken,
    );
    const stale = caseView().getByRole('form', { name: 'Stufe ändern' });
    await stale.getByLabel('Neue Stufe').selectOption('PREPARATION');
    await stale.getByRole('button', { name: 'Stufe speichern' }).click();
    const alert = stale.getByRole('alert');
    await alert.waitFor();
    expect(await text(alert)).toContain('inzwischen von jemand anderem geändert');
    await expectAxeClean('stale version');
    await alert.getByRole('button', { name: 'Neu laden' }).click();
    await expect.poll(() => text(caseView().locator('.facts'))).toContain('Sekundarstufe II');
  });

  it('hands the case over; the other organisation’s case manager accepts it', async () => {
    const id = await openCaseId();
    const form = caseView().getByRole('form', { name: 'An eine andere Organisation übergeben' });
    await form.getByLabel('Übergeben an').selectOption(caritasId);
    await form.getByRole('button', { name: 'Übergabe anfragen' }).click();
    await caseView()
      .getByRole('status')
      .filter({ hasText: `Übergabe an ${caritasName} angefragt` })
      .waitFor();
    await expectAxeClean('handover requested');
    const incoming = await gql('{ incomingCaseHandovers { caseId } }', {}, otherCaseManager);
    expect(incoming.incomingCaseHandovers.map((h: any) => h.caseId)).toContain(id);
    await gql(
      'mutation($id: ID!) { acceptCaseHandover(input: { id: $id }) { id } }',
      { id },
      otherCaseManager,
    );
    await caseView().getByRole('button', { name: 'Neu laden' }).first().click();
    await caseView()
      .getByRole('alert')
      .filter({ hasText: 'nicht (mehr) für Ihre Organisation sichtbar' })
      .waitFor();
  });

  it('accepts a case another organisation hands over', async () => {
    const created = await gql(
      `mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }`,
      {
        i: {
          intakeDate: today(),
          ageBand: 'AGE_18_20',
          gender: 'M',
          nationalityGroup: 'AF',
          residenceStatus: 'GESTATTUNG',
          schoolLevel: 'PRIMARY',
          germanLevel: 'A2',
        },
      },
      otherCaseManager,
    );
    const id = created.createCase.id;
    await gql(
      'mutation($i: HandOverCaseInput!) { handOverCase(input: $i) { id } }',
      { i: { id, toOrganisationId: kjaId } },
      otherCaseManager,
    );
    await page.getByRole('button', { name: 'Übergaben neu laden' }).click();
    const accept = page
      .locator('.workspace-side li')
      .filter({ hasText: `Fall …${id.slice(-6)}` })
      .getByRole('button', { name: /^Übernehmen/ });
    await accept.waitFor();
    expect(await accept.evaluate((el) => el.textContent)).toBe(`Übernehmen: Fall …${id.slice(-6)}`);
    await expectAxeClean('incoming handover');
    await accept.click();
    await caseView()
      .getByRole('heading', { level: 2, name: `Fall …${id.slice(-6)}` })
      .waitFor();
    await caseView().locator('.facts').waitFor();
    expect(await text(caseView().locator('.history'))).toContain('Übergabe');
  });

  it('creates a case and holds a place by keyboard alone', async () => {
    await page.goto(`${t.origin}/faelle`);
    const form = page.getByRole('form', { name: 'Neuen Fall anlegen' });
    await form.waitFor();
    const focused = () =>
      page.evaluate(() => {
        const doc = (globalThis as any).document;
        const el = doc.activeElement;
        const label = el?.id ? doc.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        return label ?? el?.textContent ?? '';
      });
    /** Tabs forward until the focused control is called `name`. */
    async function tabTo(name: string | RegExp) {
      for (let i = 0; i < 150; i++) {
        await page.keyboard.press('Tab');
        const now = await focused();
        if (typeof name === 'string' ? now === name : name.test(now)) return;
      }
      throw new Error(`never reached ${name} by Tab`);
    }
    await tabTo('Altersgruppe');
    await page.keyboard.press('ArrowDown'); // 18–20 → 21–24
    await tabTo('Staatsangehörigkeit (Gruppe)');
    await page.keyboard.type('SY');
    await tabTo('Aufenthaltsstatus');
    await page.keyboard.press('ArrowDown'); // Gestattung → Duldung
    await tabTo('Deutschkenntnisse');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // A0 → B1
    await tabTo('Fall anlegen');
    await page.keyboard.press('Enter');
    const heading = caseView().getByRole('heading', { level: 2, name: /^Fall …/ });
    await heading.waitFor();
    await expect.poll(() => heading.evaluate((el) => el.matches(':focus'))).toBe(true);
    await tabTo('Alter in Jahren');
    await page.keyboard.type(String(PROFILE.age));
    await tabTo('Suchbegriff (optional)');
    await page.keyboard.type(PROVIDER);
    await page.keyboard.press('Enter');
    await offerCard(free.title).waitFor();
    await tabTo(new RegExp(`^Platz vormerken: ${free.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await page.keyboard.press('Enter');
    const held = placesList().getByRole('listitem').filter({ hasText: free.title });
    await held.waitFor();
    expect(await text(held.locator('.status'))).toBe('vorgemerkt');
  });

  it('fits 390, 1024 and 1920 px without page overflow, axe-clean at each', async () => {
    await searchOffers(PROVIDER);
    for (const width of [390, 1024, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await expect.poll(() => pageOverflow(page), { message: `overflow at ${width} px` }).toBe(0);
      await browser.shot(`faelle-${width}`, true);
      await expectAxeClean(`${width} px`);
    }
  });

  it('closes the case in a final stage; its forms and the offer search go', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const form = caseView().getByRole('form', { name: 'Fall abschließen' });
    await form.getByLabel('Abschluss in Stufe').selectOption('AUSBILDUNG');
    await form.getByRole('button', { name: 'Fall abschließen' }).click();
    await caseView().getByRole('status').filter({ hasText: 'Fall abgeschlossen.' }).waitFor();
    await expect.poll(() => text(caseView().locator('.facts'))).toContain('abgeschlossen am');
    expect(await text(caseView().locator('.history'))).toContain('abgeschlossen');
    expect(await caseView().getByRole('form').count()).toBe(0);
    await expectAxeClean('closed case');
    expect(browser.outside).toEqual([]);
    expect(cspViolations(browser)).toEqual([]);
  });
});
