import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SavedSearchTokens } from '../src/modules/saved-search/saved-search-tokens.js';
import { axeViolations, type Browser, CHROMIUM, openBrowser, pageOverflow } from './helpers/browser.js';
import { startTestHub, TEST_JWT_SECRET, type TestHub } from './helpers/hub.js';

/**
 * The pages behind the links of saved-search mails (web/plain-page.ts), as a person opens them from a
 * mail: German, no overflow and no axe violation on a phone, a tablet and a large screen, the button
 * reached and pressed with the keyboard alone.
 */
describe.skipIf(!CHROMIUM)('notification pages (links in saved-search mails)', () => {
  let t: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestHub('browser-notification-pages', { seed: false });
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('unsubscribe: readable at 390, 1024 and 1920 px, done with Tab and Enter', async () => {
    const { page } = browser;
    // The test hub signs links with AUTH_JWT_SECRET (no SESSION_SECRET set).
    const token = new SavedSearchTokens(TEST_JWT_SECRET).sign('unsubscribe', randomUUID());
    await page.goto(`${t.origin}/benachrichtigungen/abbestellen?token=${encodeURIComponent(token)}`);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.getByRole('heading', { level: 1, name: 'Benachrichtigungen abbestellen' }).waitFor();
    for (const width of [390, 1024, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await pageOverflow(page), `overflow at ${width} px`).toBe(0);
      expect(await axeViolations(page), `axe at ${width} px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    const button = page.getByRole('button', { name: 'Benachrichtigungen abbestellen' });
    const focused = () => button.evaluate((b) => b === b.ownerDocument.activeElement);
    for (let i = 0; i < 5 && !(await focused()); i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Abbestellt' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('a link that is not genuine: a page that says so, also accessible', async () => {
    const { page } = browser;
    const response = await page.goto(`${t.origin}/benachrichtigungen/abbestellen?token=forged`);
    expect(response?.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBeTruthy();
    expect(await page.getByRole('button').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
