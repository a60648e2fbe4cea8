import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/**
 * What every browser test shares: Debian's Chromium (playwright-core downloads none), axe-core for
 * WCAG 2.1 AA, screenshots under test/artifacts/screenshots/ (not committed), and a guard that the
 * pages load nothing from outside the hub and break no content-security rule.
 */
export const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (candidate): candidate is string => !!candidate && existsSync(candidate),
);
if (!CHROMIUM) {
  console.warn(
    'browser tests SKIPPED: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH); CI installs it in .ci/run',
  );
}

export const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');
export const DEMO_PASSWORD = 'buendnis-demo-2026';

/** axe-core, evaluated through the DevTools protocol (the pages' CSP rightly refuses injected scripts). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 A/AA violations axe finds on the page as it is now, as "rule: target" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe's global, evaluated above.
    const axe = (globalThis as any).axe;
    const result = await axe.run((globalThis as any).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.flatMap((v: { id: string; nodes: { target: string[] }[] }) =>
      v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`),
    );
  });
}

/** Text as a person reads it (non-breaking spaces and line wraps as plain spaces). */
export const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ');

/** Width by which the page itself scrolls sideways (0: nothing overflows the viewport). */
export const pageOverflow = (page: Page) =>
  page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: runs in the page, which has a DOM.
    const root = (globalThis as any).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Requests to anything but the hub itself. */
  outside: string[];
  consoleErrors: string[];
  shot(name: string, fullPage?: boolean): Promise<Buffer>;
  /** Signs in with the page's built-in form (the session lives in the tab). */
  signIn(email: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

/** A fresh Chromium profile, as on these machines: no GPU, no calls home (the network is closed). */
export async function openBrowser(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const profileDir = mkdtempSync(path.join(tmpdir(), 'hub-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const outside: string[] = [];
  const consoleErrors: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.hostname !== '127.0.0.1')
      outside.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  return {
    context,
    page,
    outside,
    consoleErrors,
    shot: (name, fullPage = false) =>
      page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage }),
    async signIn(email, password = DEMO_PASSWORD) {
      await page.getByLabel('E-Mail').fill(email);
      await page.getByLabel('Passwort').fill(password);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.getByText('Angemeldet als').first().waitFor();
    },
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** The content-security guard every browser test file ends with. */
export const cspViolations = (b: Browser) =>
  b.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e));
