import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import type { Logger } from '../logger.js';

/** Addresses of the built pages (web/*.html, built by `npm run build:web` into dist/web). */
const PAGES = {
  '/': 'index.html',
  '/angebote': 'angebote.html',
  '/sitzung': 'sitzung.html',
  '/verwaltung': 'verwaltung.html',
  '/faelle': 'faelle.html',
} as const;
const PLAYGROUND_PAGE = 'playground.html';

/**
 * Everything the pages load comes from the hub itself (no CDN: they must work without internet), and a
 * page may only talk to its own origin (HTTP and WebSocket). Monaco and Chart.js set inline styles;
 * GraphiQL's stylesheet carries its fonts as data: URLs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface WebOptions {
  /** Whether /playground (and GET /graphql from a browser) serves GraphiQL. */
  playground: boolean;
  graphqlPath: string;
  logger: Logger;
  /** Folder of the built pages; default: dist/web of this installation. */
  dir?: string;
}

/**
 * The start page, the dashboards and the playground as static files. Hashed assets are cached for a
 * year (their names change with their content); pages are revalidated on every visit, so a new build
 * is seen at once. Without a build the pages answer 503 with the command that makes one; the API is
 * unaffected.
 */
export function createWebRouter(options: WebOptions): Router {
  const dir = options.dir ?? defaultWebDir();
  const router = Router();
  let warned = false;

  const sendPage = async (res: Response, file: string) => {
    let html: string;
    try {
      html = await readFile(path.join(dir, file), 'utf8');
    } catch {
      if (!warned) {
        warned = true;
        options.logger.warn({ dir }, 'web pages not built: run `npm run build:web`');
      }
      res.status(503).set('cache-control', 'no-store').type('html').send(NOT_BUILT);
      return;
    }
    if (file === PAGES['/'] && !options.playground) html = withoutPlayground(html);
    res
      .set({
        'cache-control': 'no-cache',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
      })
      .type('html')
      .send(html);
  };
  const page =
    (file: string): RequestHandler =>
    (_req, res, next) => {
      sendPage(res, file).catch(next);
    };

  for (const [address, file] of Object.entries(PAGES)) router.get(address, page(file));

  if (options.playground) {
    router.get('/playground', page(PLAYGROUND_PAGE));
    // A browser opening the API address gets the playground; clients asking for JSON get GraphQL.
    router.get(options.graphqlPath, (req, res, next) => {
      if (prefersHtml(req)) sendPage(res, PLAYGROUND_PAGE).catch(next);
      else next();
    });
  } else {
    router.get('/playground', (_req, res) => {
      res.status(404).set('cache-control', 'no-cache').type('html').send(PLAYGROUND_OFF);
    });
  }

  const files = express.static(dir, {
    index: false,
    redirect: false,
    setHeaders: (res, file) => {
      res.set(
        'cache-control',
        file.startsWith(path.join(dir, 'assets') + path.sep)
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=3600',
      );
    },
  });
  // The pages only under their addresses above, with their headers (playground.html stays off when off).
  router.use((req, res, next) => (req.path.endsWith('.html') ? next('router') : files(req, res, next)));
  return router;
}

/** Browsers ask for HTML first; GraphQL clients for JSON (or anything, which means JSON). */
function prefersHtml(req: Request): boolean {
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/** The start page links to the playground only where it is served. */
function withoutPlayground(html: string): string {
  return html.replace(/<!-- playground:start -->[\s\S]*?<!-- playground:end -->/g, '');
}

/** dist/web beside the package.json of this installation (from src/ in tests, from dist/src/ when built). */
export function defaultWebDir(from = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(from, '../../web');
    dir = parent;
  }
  return path.join(dir, 'dist', 'web');
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Bündnis Hub</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}code{background:#f3f5f7;padding:0 .3rem}</style>
</head><body><h1>${title}</h1>${body}</body></html>
`;

const NOT_BUILT = page(
  'Oberfläche noch nicht gebaut',
  `<p>Die Seiten des Hubs (Start, Angebote &amp; Plätze, Bündnis-Sitzung, Playground) sind in dieser
Installation noch nicht gebaut.</p>
<p>Bitte im Projektordner <code>npm run build:web</code> ausführen (oder <code>npm start</code>, das alles baut)
und die Seite neu laden.</p>
<p>Die GraphQL-Schnittstelle unter <code>/graphql</code> arbeitet davon unabhängig.</p>`,
);

const PLAYGROUND_OFF = page(
  'Playground abgeschaltet',
  `<p>Der GraphQL-Playground ist in dieser Installation abgeschaltet (im Betrieb üblich).
Die Schnittstelle selbst steht unter <code>POST /graphql</code> bereit.</p>
<p><a href="/">Zur Startseite</a></p>`,
);
