import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, CHROMIUM, openBrowser } from './helpers/browser.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/** The link of a saved search's mail, /angebote?angebot=<offer id>, opens that offer's details. */
describe.skipIf(!CHROMIUM)('/angebote?angebot=… (the link in saved-search mails)', () => {
  let t: TestHub;
  let f: PartnerFixture;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestHub('browser-saved-search-link', { seed: false });
    f = await createPartnerFixture(t.database.url, 'browser-link');
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('shows the offer’s details at once; closing them leaves the list without the parameter', async () => {
    const { page } = browser;
    await page.goto(`${t.origin}/angebote?angebot=${encodeURIComponent(f.gid.offer)}`);
    const dialog = page.locator('dialog.offer-detail');
    await dialog.getByRole('heading', { name: 'Berufssprachkurs B2 Test' }).waitFor();
    expect(await dialog.getAttribute('open')).not.toBeNull();
    await dialog.getByRole('button', { name: 'Schließen' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).searchParams.has('angebot')).toBe(false);
  });
});
