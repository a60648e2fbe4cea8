import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { freePort, HUB_CLIENT, startTestProvider, type TestProvider } from './helpers/oidc.js';

/**
 * The city's sign-in in Chromium: from /angebote through the provider's login page (oidc-provider's
 * development form) and back, signed in on a cookie session with no token in the page's storage, then
 * signed out at the hub and the provider.
 */
describe.skipIf(!CHROMIUM)('sign-in with the city’s identity provider in a real browser', () => {
  let idp: TestProvider;
  let t: TestHub;
  let browser: Browser;
  let hubOrigin: string;

  beforeAll(async () => {
    const port = await freePort();
    hubOrigin = `http://127.0.0.1:${port}`;
    idp = await startTestProvider({ hubOrigin });
    t = await startTestHub('browser_oidc', {
      env: {
        PORT: String(port),
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: HUB_CLIENT.id,
        OIDC_CLIENT_SECRET: HUB_CLIENT.secret,
        OIDC_REDIRECT_URI: `${hubOrigin}/auth/callback`,
        OIDC_POST_LOGOUT_REDIRECT_URI: `${hubOrigin}/angebote`,
      },
    });
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await idp?.stop();
  });

  const checkLayouts = async (state: string) => {
    for (const width of [390, 1024, 1920]) {
      await browser.page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(browser.page), `${state} at ${width}px`).toEqual([]);
      // What this sign-in adds fits (the rest of /angebote is its own test's concern).
      const scope = state === 'refused' ? 'main' : '.sign-in';
      const right = await browser.page
        .locator(scope)
        .first()
        .evaluate((e) => e.getBoundingClientRect().right);
      expect(right, `${state} at ${width}px`).toBeLessThanOrEqual(width);
      if (state === 'refused') expect(await pageOverflow(browser.page)).toBeLessThanOrEqual(0);
    }
    await browser.page.setViewportSize({ width: 1280, height: 900 });
  };

  it('signs in on /angebote through the provider, and out again', async () => {
    const { page } = browser;
    await page.goto(`${hubOrigin}/angebote`);
    const city = page.getByRole('link', { name: 'Mit dem Konto der Stadt anmelden' });
    await city.waitFor();
    // The password form stays beside it (PASSWORD_LOGIN defaults to on).
    await page.getByLabel('Passwort').waitFor();
    await checkLayouts('signed out');
    await browser.shot('oidc-1-angebote-signed-out');

    await city.click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="login"]').fill('editor');
    await page.locator('input[name="password"]').fill('irrelevant');
    await page.getByRole('button', { name: 'Sign-in' }).click();

    await page.waitForURL(`${hubOrigin}/angebote`);
    const status = page.getByText('Angemeldet als').first();
    await status.waitFor();
    expect(await text(page.locator('.sign-in [role="status"]'))).toContain('Volkshochschule');
    await checkLayouts('signed in');
    await browser.shot('oidc-2-angebote-signed-in');

    // The session is the hub's: an HttpOnly cookie, nothing in the page's storage.
    const cookies = await browser.context.cookies(hubOrigin);
    expect(cookies.find((c) => c.name === 'hub-session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    expect(stored).not.toMatch(/eyJ|hub-session/);
    // Reloading keeps the sign-in (the cookie), as a page of the hub would expect.
    await page.reload();
    await page.getByText('Angemeldet als').first().waitFor();

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${hubOrigin}/angebote`);
    await page.getByRole('link', { name: 'Mit dem Konto der Stadt anmelden' }).waitFor();
    expect(await page.getByText('Angemeldet als').count()).toBe(0);
    expect((await browser.context.cookies(hubOrigin)).some((c) => c.name === 'hub-session')).toBe(false);
  });

  it('explains in German when the city’s account has no access, on an accessible page', async () => {
    const { page } = browser;
    await page.goto(`${hubOrigin}/angebote`);
    await page.getByRole('link', { name: 'Mit dem Konto der Stadt anmelden' }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    // The provider remembers the last person; sign in as another one.
    const login = page.locator('input[name="login"]');
    if (await login.count()) {
      await login.fill('stranger');
      await page.locator('input[name="password"]').fill('irrelevant');
      await page.getByRole('button', { name: 'Sign-in' }).click();
    }
    await page.getByRole('heading', { name: 'Kein Zugang zum Bündnis Hub' }).waitFor();
    expect(await text(page.getByRole('alert'))).toContain(
      'Für dieses Konto der Stadt gibt es im Bündnis Hub keinen Zugang',
    );
    await checkLayouts('refused');
    await browser.shot('oidc-3-refused');
    await page.getByRole('link', { name: 'Zurück zum Bündnis Hub' }).click();
    await page.waitForURL(`${hubOrigin}/angebote`);
  });

  it('loads nothing from outside and breaks no content-security rule on the hub’s pages', () => {
    // The provider's development pages load a web font; the hub's own pages load nothing from outside.
    expect(browser.outside.filter((u) => !u.startsWith('https://fonts.googleapis.com/'))).toEqual([]);
    expect(cspViolations(browser)).toEqual([]);
  });
});
