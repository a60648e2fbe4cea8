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
  text,
} from './helpers/browser.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { testTokens, tokenFor } from './helpers/tokens.js';

/**
 * Sessions and outages in a real browser: the sign-in's end is announced before and when it comes, the
 * page then shows the public view but keeps its filters, signing in again (by keyboard alone) brings the
 * numbers and live updates back; when the hub is stopped and started again on the same port, the pages
 * say so, retry by themselves and show the numbers of now (also /sitzung after its year was changed
 * meanwhile). Short-lived sessions are real tokens of a demo account, signed with the test hub's key and
 * put where the page keeps its session.
 */
const PARTNER = 'staff@jobcenter-leverkusen.example';
const SESSION_KEY = 'buendnis-hub:session';
// Statistics the meeting page shows for last year as well (the demo data has cases in it).
const ENV = {
  STATISTICS_UPDATE_INTERVAL_MS: '300',
  STATISTICS_RELEASE_PERIOD: 'day',
  STATISTICS_RELEASE_MIN_CHANGES: '1',
};

interface Target {
  id: string;
  kind: string;
  district: string;
  periodId: string;
  available: number;
  total: number;
}

describe.skipIf(!CHROMIUM)('sessions and recovery in a real browser (Chromium)', () => {
  let database: TestDatabase;
  let t: TestHub;
  let port: string;
  let browser: Browser;
  let page: Page;
  let caseManager: string;
  let partner: { accountId: string; organisationId: string; roles: Role[] };
  let target: Target;

  /** The hub on this test's database; after the first start always on the same port. */
  const startHub = (label: string, on = port) =>
    startTestHub(label, { database, env: { ...ENV, PORT: on ?? '0' }, seed: label === 'sessions' });

  beforeAll(async () => {
    database = await createTestDatabase('browser_sessions');
    t = await startHub('sessions', '0');
    port = new URL(t.origin).port;
    caseManager = (await tokenFor(t.hub.database.orm, [Role.CASE_MANAGER])).token;
    const login = await t.gql<any>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: PARTNER, p: PASSWORD },
    );
    const claims = JSON.parse(Buffer.from(login.data.login.token.split('.')[1], 'base64url').toString());
    partner = { accountId: claims.sub, organisationId: claims.org, roles: claims.roles };
    target = await findTarget();
    browser = await openBrowser();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await database?.drop();
  });

  /** A real session of the demo partner whose token runs out in `seconds`, stored where the page keeps it. */
  async function signInFor(seconds: number) {
    const { token, expiresAt } = await testTokens.sign(partner, seconds);
    const me = await t.gql<any>(
      'query { me { account { email displayName } organisation { id name } roles actions } }',
      {},
      { token },
    );
    const session = {
      token,
      expiresAt: expiresAt.toISOString(),
      email: me.data.me.account.email,
      displayName: me.data.me.account.displayName,
      organisation: me.data.me.organisation.name,
      organisationId: me.data.me.organisation.id,
      roles: me.data.me.roles,
      actions: me.data.me.actions,
    };
    await page.evaluate(
      ([key, value]) => (globalThis as any).sessionStorage.setItem(key, value),
      [SESSION_KEY, JSON.stringify(session)],
    );
  }

  async function findTarget(): Promise<Target> {
    const res = await t.gql<any>(
      `{ offers(first: 100, filter: { hasFreePlaces: true }) { nodes {
        id kind location { district } currentCapacityPeriod { id available total } } } }`,
      {},
      { token: caseManager },
    );
    const offer = res.data.offers.nodes.find((o: any) => o.currentCapacityPeriod?.available >= 2);
    if (!offer) throw new Error('the demo data has no offer with two free places');
    return {
      id: offer.id,
      kind: offer.kind,
      district: offer.location.district,
      periodId: offer.currentCapacityPeriod.id,
      available: offer.currentCapacityPeriod.available,
      total: offer.currentCapacityPeriod.total,
    };
  }

  /** A case manager holds one of the target's places for a new case (through `hub`'s API). */
  async function hold(hub: TestHub): Promise<string> {
    const created = await hub.gql<any>(
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
    const held = await hub.gql<any>(
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

  /** The text of what has keyboard focus now. */
  const focused = () => page.evaluate(() => (globalThis as any).document.activeElement?.textContent);
  const row = () => page.locator(`tr[data-offer-id="${target.id}"]`);
  const sessionAlert = () => page.getByRole('alert').filter({ hasText: 'Ihre Anmeldung ist abgelaufen' });
  const offline = () =>
    page.getByRole('status').filter({ hasText: 'Verbindung unterbrochen – neuer Versuch' });

  async function axeEverywhere(state: string) {
    for (const width of [390, 1024, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page), `axe (${state}) at ${width} px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('warns two minutes before the sign-in runs out, with a way to sign in again right there', async () => {
    await page.goto(`${t.origin}/angebote`);
    await signInFor(119);
    await page.reload();
    await page.getByText('Angemeldet als').waitFor();
    const warning = page.getByRole('status').filter({ hasText: 'Ihre Anmeldung läuft in 2 Minuten ab.' });
    await warning.waitFor();
    await expect(warning.getByRole('button', { name: 'Jetzt erneut anmelden' }).isVisible()).resolves.toBe(
      true,
    );
    await axeEverywhere('warning');
    await browser.shot('sitzung-ablauf-warnung');

    // Signing in again from the warning: a fresh token, the warning goes, nothing reloads.
    await page.evaluate(() => {
      (globalThis as any).__notReloaded = true;
    });
    await warning.getByRole('button', { name: 'Jetzt erneut anmelden' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erneut anmelden' });
    await expect(dialog.getByLabel('E-Mail').inputValue()).resolves.toBe(PARTNER);
    expect(await axeViolations(page), 'axe with the dialog').toEqual([]);
    await dialog.getByLabel('Passwort').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Anmelden' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByText('Ihre Anmeldung läuft').count()).toBe(0);
    await expect(page.evaluate(() => (globalThis as any).__notReloaded)).resolves.toBe(true);
  });

  it('at the end: says so, shows the public view, keeps the filters; keyboard re-login brings all back', async () => {
    await signInFor(12);
    await page.reload();
    await page.getByText('Angemeldet als').waitFor();
    await page.getByRole('status').filter({ hasText: 'läuft in weniger als einer Minute ab' }).waitFor();
    await page.getByLabel('Angebotsart').selectOption(target.kind);
    await page.getByLabel('Stadtteil').selectOption(target.district);
    await page.getByLabel('Nur Angebote mit freien Plätzen').check();
    await page.getByRole('button', { name: 'Angebote anzeigen' }).click();
    await expect
      .poll(() => text(row()), { timeout: 10_000 })
      .toContain(`${target.available} von ${target.total} frei`);
    await page.getByText('Live: verbunden').waitFor();
    await page.evaluate(() => {
      (globalThis as any).__notReloaded = true;
    });

    // The token runs out: an alert, the numbers go (bands instead), the sign-in form is back.
    await sessionAlert().waitFor({ timeout: 30_000 });
    await expect.poll(() => text(row()), { timeout: 10_000 }).not.toMatch(/\d+ von \d+ frei/);
    await expect(page.getByText('Angemeldet als').count()).resolves.toBe(0);
    await expect(page.getByLabel('Angebotsart').inputValue()).resolves.toBe(target.kind);
    await expect(page.getByLabel('Stadtteil').inputValue()).resolves.toBe(target.district);
    await expect(page.getByLabel('Nur Angebote mit freien Plätzen').isChecked()).resolves.toBe(true);
    // Focus stayed where the person was working.
    await expect(focused()).resolves.toBe('Angebote anzeigen');
    await axeEverywhere('expired');
    await browser.shot('sitzung-abgelaufen');

    // By keyboard alone: back to the notice's button, Enter, the password, Enter.
    for (let i = 0; i < 40; i++) {
      if ((await focused()) === 'Erneut anmelden') break;
      await page.keyboard.press('Shift+Tab');
    }
    await expect(focused()).resolves.toBe('Erneut anmelden');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Erneut anmelden' });
    await dialog.waitFor();
    await expect(
      page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('type')),
    ).resolves.toBe('password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Angemeldet als').waitFor();
    await expect(sessionAlert().count()).resolves.toBe(0);
    // Focus is back where it was, the numbers are back, the filters unchanged, nothing reloaded.
    await expect.poll(() => focused()).toBe('Angebote anzeigen');
    await expect
      .poll(() => text(row()), { timeout: 10_000 })
      .toContain(`${target.available} von ${target.total} frei`);
    await expect(page.getByLabel('Angebotsart').inputValue()).resolves.toBe(target.kind);
    await expect(page.evaluate(() => (globalThis as any).__notReloaded)).resolves.toBe(true);

    // Live updates run again, with the new token: a place held and freed through the API arrives.
    await page.getByText('Live: verbunden').waitFor();
    for (let round = 1; ; round++) {
      await release(await hold(t));
      try {
        await row().locator('.badge', { hasText: 'Platz frei geworden' }).waitFor({ timeout: 8_000 });
        break;
      } catch (error) {
        if (round === 3) throw error;
      }
    }
    await expect(text(row())).resolves.toContain(`${target.available} von ${target.total} frei`);
  });

  it('Angebote: an outage of the hub is shown, and the page recovers by itself with the numbers of now', async () => {
    await t.stop();
    await offline().waitFor({ timeout: 15_000 });
    await axeEverywhere('offline');
    await browser.shot('verbindung-unterbrochen');
    // Meanwhile a place is taken (through another instance on the same database).
    const side = await startHub('sessions_side', '0');
    try {
      await hold(side);
    } finally {
      await side.stop();
    }
    t = await startHub('sessions_again');
    await expect
      .poll(() => text(row()), { timeout: 30_000 })
      .toContain(`${target.available - 1} von ${target.total} frei`);
    await expect(offline().count()).resolves.toBe(0);
    await page.getByText('Live: verbunden').waitFor({ timeout: 30_000 });
    await expect(page.evaluate(() => (globalThis as any).__notReloaded)).resolves.toBe(true);
  });

  it('Sitzung: recovers after the year was changed during an outage', async () => {
    await page.goto(`${t.origin}/sitzung`);
    await page.locator('table.figures').first().waitFor();
    await expect(page.locator('.facts').textContent()).resolves.toMatch(/Bündnispartner/);
    const lastYear = new Date().getFullYear() - 1;

    await t.stop();
    await offline().waitFor({ timeout: 15_000 });
    await page.getByLabel('Jahr').selectOption(String(lastYear));
    await expect(page.locator('.figure .error').first().textContent()).resolves.toContain('nicht erreichbar');
    await axeEverywhere('sitzung offline');

    t = await startHub('sessions_sitzung');
    await expect
      .poll(() => page.locator('.facts').textContent(), { timeout: 30_000 })
      .toContain(`Jahr ${lastYear}`);
    await page.getByRole('status').filter({ hasText: 'Verbindung wiederhergestellt' }).waitFor();
    await expect.poll(() => page.locator('.figure .error').count()).toBe(0);
    expect(await page.locator('table.figures').count()).toBeGreaterThanOrEqual(3);
    await expect(offline().count()).resolves.toBe(0);
    await browser.shot('sitzung-wieder-verbunden', true);
  });

  it('loads nothing from outside the hub and breaks no content-security rule', () => {
    expect(browser.outside).toEqual([]);
    expect(cspViolations(browser)).toEqual([]);
  });
});
