import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createWebRouter, defaultWebDir } from '../src/web/static.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/** How the hub serves its pages (built into dist/web by the global setup): addresses, caching, switches. */
let t: TestHub;

beforeAll(async () => {
  t = await startTestHub('web', { seed: false });
});

afterAll(async () => {
  await t?.stop();
});

const get = (url: string, accept = 'text/html') => fetch(url, { headers: { accept } });

describe('the hub serves its pages', () => {
  it('start page, dashboards and playground at their addresses, revalidated on every visit', async () => {
    for (const [address, marker] of [
      ['/', 'Bündnis Hub'],
      ['/angebote', 'Angebote &amp; Plätze'],
      ['/sitzung', 'Bündnis-Sitzung'],
      ['/verwaltung', 'Verwaltung'],
      ['/faelle', 'Fälle'],
      ['/playground', 'GraphQL-Playground'],
    ] as const) {
      const res = await get(`${t.origin}${address}`);
      expect(res.status, address).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await res.text();
      expect(html).toContain(marker);
      expect(html).toContain('lang="de"');
      // Everything the page loads comes from the hub (no CDN).
      expect(html).not.toMatch(/(src|href)="https?:/);
    }
    expect(await (await get(`${t.origin}/`)).text()).toContain('href="/playground"');
  });

  it('hashed assets are cached for a year; the HTML files are not served as files', async () => {
    const html = await (await get(`${t.origin}/angebote`)).text();
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)![1]!;
    const asset = await get(`${t.origin}${script}`, '*/*');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get(`${t.origin}/playground.html`)).status).toBe(404);
    expect((await get(`${t.origin}/assets/nope.js`, '*/*')).status).toBe(404);
  });

  it('pages ship React’s production build (the development build runs every effect twice)', () => {
    const assets = path.join(defaultWebDir(), 'assets');
    const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const name of scripts) {
      // A warning only React's development build carries.
      expect(readFileSync(path.join(assets, name), 'utf8'), name).not.toContain(
        'Each child in a list should have a unique',
      );
    }
  });

  it('the dashboards never load the playground bundle', async () => {
    for (const address of ['/angebote', '/sitzung', '/verwaltung', '/faelle']) {
      const html = await (await get(`${t.origin}${address}`)).text();
      expect(html).not.toMatch(/playground|monaco/i);
    }
  });

  it('GET /graphql from a browser opens the playground; GraphQL clients still get GraphQL', async () => {
    const browser = await get(`${t.origin}/graphql`, 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(browser.status).toBe(200);
    expect(await browser.text()).toContain('GraphQL-Playground');

    const client = await fetch(`${t.origin}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await client.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await t.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });
});

describe('the playground switch and a missing build', () => {
  const logger = createLogger('silent');
  const servers: Server[] = [];
  const dirs: string[] = [];

  afterAll(() => {
    for (const server of servers) server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function serve(options: { playground: boolean; dir?: string }) {
    const app = express();
    app.use(createWebRouter({ ...options, graphqlPath: '/graphql', logger }));
    app.use((_req, res) => {
      res.status(404).send('not found');
    });
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  it('PLAYGROUND is on by default, off in production unless PLAYGROUND=true', () => {
    expect(loadConfig({}).playground).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).playground).toBe(true);
    // A production configuration the hardening checks accept.
    const secret = {
      AUTH_JWT_SECRET: 'q8Vd2Lr7Xw4Zp1Nt6Ks9Hb3Mf5Jc0Gy8Ue2Ra7Tv',
      DATABASE_URL: 'postgres://hub:Zr4Tw7Xp-Hk2Lq9@db:5432/hub',
      METRICS_TOKEN: 'metrics-Hk2Lq9Zr4Tw7Xp',
    };
    expect(loadConfig({ NODE_ENV: 'production', ...secret }).playground).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PLAYGROUND: 'true', ...secret }).playground).toBe(true);
    expect(loadConfig({ PLAYGROUND: 'false' }).playground).toBe(false);
    expect(() => loadConfig({ PLAYGROUND: 'yes' })).toThrow(/PLAYGROUND/);
  });

  it('switched off: no playground page, no link to it, and GET /graphql is left to the API', async () => {
    const origin = await serve({ playground: false });
    const page = await get(`${origin}/playground`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Playground abgeschaltet');
    const start = await (await get(`${origin}/`)).text();
    expect(start).toContain('href="/angebote"');
    expect(start).not.toContain('href="/playground"');
    expect((await get(`${origin}/graphql`)).status).toBe(404);
    expect((await get(`${origin}/playground.html`)).status).toBe(404);
  });

  it('without a build the pages answer 503 with the command that makes one', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'hub-web-'));
    dirs.push(empty);
    const origin = await serve({ playground: true, dir: empty });
    for (const address of ['/', '/angebote', '/sitzung', '/playground']) {
      const res = await get(`${origin}${address}`);
      expect(res.status, address).toBe(503);
      expect(await res.text()).toContain('npm run build:web');
    }
  });

  it('finds dist/web beside package.json, from src/ (tests) and from dist/src/ (built)', () => {
    const root = path.resolve(import.meta.dirname, '..');
    expect(defaultWebDir(path.join(root, 'src/web'))).toBe(path.join(root, 'dist/web'));
    expect(defaultWebDir(path.join(root, 'dist/src/web'))).toBe(path.join(root, 'dist/web'));
  });
});
