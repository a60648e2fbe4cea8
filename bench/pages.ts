import 'reflect-metadata';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { type RunningHub, startHub } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { benchServerUrl, integerFlag, readFlags, usageErrorFor } from './lib/args.js';
import { ms, table } from './lib/figures.js';
import { BenchSession, benchHubConfig, progress, runBench } from './lib/session.js';

const USAGE = [
  'Usage: npm run -s bench:pages -- [--runs N] [--keep]',
  '  DATABASE_URL  a PostgreSQL server; the benchmark creates and drops a scratch database with the demo data',
  '  --runs        cold loads per page and viewer (default 5); the table shows medians',
  '  CHROMIUM_PATH Chromium to drive (default /usr/bin/chromium)',
].join('\n');

/**
 * `npm run -s bench:pages`: what each page costs a person opening it cold — bytes over the wire (as
 * transferred, compressed where the hub compresses), requests, first contentful paint and the time
 * until the page shows its content (its heading and its first data), median of N cold loads in a fresh
 * browser context each — and axe-core's WCAG 2.1 A/AA findings on the loaded page. Signed-in pages are
 * loaded with the session in the tab, as after a sign-in.
 */

interface PageTarget {
  path: string;
  /** The demo account whose session is in the tab; none: the public. */
  as?: string;
  /** What "content shown" means on this page. */
  ready: string;
}

const PASSWORD = 'buendnis-demo-2026';
const TARGETS: PageTarget[] = [
  { path: '/', ready: 'main h1' },
  { path: '/angebote', ready: 'table.offers tbody tr' },
  { path: '/angebote', as: 'staff@jobcenter-leverkusen.example', ready: 'table.offers tbody tr' },
  { path: '/verwaltung', as: 'editor@vhs-leverkusen.example', ready: 'main table tbody tr' },
  { path: '/faelle', as: 'casemanager@kja-leverkusen.example', ready: 'main table tbody tr' },
  { path: '/sitzung', ready: 'canvas' },
  { path: '/sitzung', as: 'staff@jobcenter-leverkusen.example', ready: 'canvas' },
  { path: '/playground', ready: '.graphiql-container' },
];

interface Load {
  bytes: number;
  requests: number;
  fcpMs: number;
  contentMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axeFindings(page: Page): Promise<{ serious: number; other: number; rules: string[] }> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe's global, evaluated above.
    const g = globalThis as any;
    const result = await g.axe.run(g.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    const violations = result.violations as { id: string; impact: string; nodes: unknown[] }[];
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    return {
      serious: serious.reduce((n, v) => n + v.nodes.length, 0),
      other: violations.length - serious.length,
      rules: violations.map((v) => `${v.id} (${v.impact})`),
    };
  });
}

/** A session token for the tab, exactly as the pages' own sign-in stores it (web/src/shared/session.ts). */
async function sessionFor(origin: string, email: string): Promise<string> {
  const post = async (query: string, variables: object, token?: string) => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers of two known shapes.
    const body = (await response.json()) as any;
    if (body.errors) throw new Error(`${email}: ${body.errors[0].message}`);
    return body.data;
  };
  const { login } = await post(
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt } }',
    { e: email, p: PASSWORD },
  );
  const { me } = await post(
    '{ me { account { email displayName } organisation { id name } roles actions } }',
    {},
    login.token,
  );
  return JSON.stringify({
    token: login.token,
    expiresAt: login.expiresAt,
    email: me.account.email,
    displayName: me.account.displayName,
    organisation: me.organisation.name,
    organisationId: me.organisation.id,
    roles: me.roles,
    actions: me.actions,
  });
}

async function main() {
  const { strings, keep } = readFlags(process.argv.slice(2), { strings: ['runs'] }, USAGE);
  const fail = usageErrorFor(USAGE);
  const runs = strings.runs === undefined ? 5 : integerFlag(fail, 'runs', strings.runs, 1, 50);
  const serverUrl = benchServerUrl(process.env, 'bench:pages', fail);
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  if (!executablePath) fail('No Chromium found (apt-get install chromium, or set CHROMIUM_PATH).');

  const session = new BenchSession(keep);
  let hub: RunningHub | undefined;
  try {
    const database = await session.createDatabase(serverUrl);
    const config = benchHubConfig(database.url, { SEED_DEMO: 'true', NODE_ENV: 'development' });
    hub = await startHub(config, createLogger(config.logLevel));
    const running = hub;
    session.onCleanup(() => running.stop());
    const origin = hub.url.replace(/\/graphql$/, '').replace('localhost', '127.0.0.1');
    const profileDir = mkdtempSync(path.join(tmpdir(), 'hub-pages-bench-'));
    session.onCleanup(async () => rmSync(profileDir, { recursive: true, force: true }));
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
    });
    session.onCleanup(() => browser.close());

    const rows: string[][] = [];
    const sessions = new Map<string, string>();
    for (const target of TARGETS) {
      const stored = target.as
        ? (sessions.get(target.as) ??
          (sessions.set(target.as, await sessionFor(origin, target.as)), sessions.get(target.as)!))
        : undefined;
      const loads: Load[] = [];
      let axe: Awaited<ReturnType<typeof axeFindings>> | undefined;
      for (let run = 0; run < runs; run++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
        if (stored) {
          await context.addInitScript((value) => {
            // biome-ignore lint/suspicious/noExplicitAny: the page's sessionStorage, before its scripts.
            (globalThis as any).sessionStorage.setItem('buendnis-hub:session', value);
          }, stored);
        }
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        let bytes = 0;
        let requests = 0;
        cdp.on('Network.loadingFinished', (event) => {
          bytes += event.encodedDataLength;
          requests++;
        });
        const started = Date.now();
        await page.goto(`${origin}${target.path}`);
        // A page that never shows its content is reported as such (–), not as a failed run.
        const shown = await page
          .locator(target.ready)
          .first()
          .waitFor({ timeout: 20_000 })
          .then(
            () => true,
            () => false,
          );
        const contentMs = shown ? Date.now() - started : Number.NaN;
        const fcpMs = await page.evaluate(
          () =>
            (
              globalThis as unknown as {
                performance: { getEntriesByName(name: string): { startTime: number }[] };
              }
            ).performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        );
        // Let late requests (fonts, workers, live connection) finish before counting the weight.
        await page.waitForLoadState('networkidle').catch(() => undefined);
        loads.push({ bytes, requests, fcpMs, contentMs });
        if (run === runs - 1) axe = await axeFindings(page);
        await context.close();
      }
      rows.push([
        target.path,
        target.as ? target.as.split('@')[0]! : 'public',
        `${(median(loads.map((l) => l.bytes)) / 1024).toFixed(0)} KiB`,
        String(median(loads.map((l) => l.requests))),
        ms(median(loads.map((l) => l.fcpMs))),
        ms(median(loads.map((l) => l.contentMs))),
        axe ? `${axe.serious} / ${axe.other}` : '–',
      ]);
      progress(`${target.path} (${target.as ?? 'public'}): done`);
    }
    process.stdout.write(
      `\nPages, cold loads (cache off), median of ${runs}, Chromium at 1280×900 on loopback:\n\n${table(
        [
          'page',
          'viewer',
          'transferred',
          'requests',
          'first paint ms',
          'content ms',
          'axe serious+critical / other rules',
        ],
        rows,
        [false, false, true, true, true, true, true],
      )}\n`,
    );
  } finally {
    await session.cleanup();
  }
}

runBench('bench:pages', main);
