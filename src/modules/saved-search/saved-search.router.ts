import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type Request, type Router } from 'express';
import { executeSql, sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import { sendNotificationPage } from './notification-pages.js';
import type { LinkPurpose, SavedSearchTokens } from './saved-search-tokens.js';

const INVALID = {
  title: 'Link ungültig',
  message:
    'Dieser Link ist ungültig oder abgelaufen. Bitte verwenden Sie den Link aus der neuesten E-Mail des Bündnis Hubs.',
};

/**
 * The links of saved-search mails, without signing in: the signed token is the permission (it names one
 * search, for one purpose). GET shows a page with a button (mail scanners follow links, and a GET must
 * change nothing); POST does it — also the one-click unsubscribe of RFC 8058 (List-Unsubscribe-Post).
 * Mounted at /benachrichtigungen.
 */
export function createSavedSearchRouter(options: {
  orm: MikroORM;
  tokens: SavedSearchTokens;
  logger: Logger;
}): Router {
  const { orm, tokens, logger } = options;
  const router = express.Router();
  const searchOf = (req: Request, purpose: LinkPurpose) => tokens.verify(purpose, req.query.token);
  const selfUrl = (req: Request, path: string) =>
    `/benachrichtigungen${path}?${new URLSearchParams({ token: String(req.query.token) })}`;

  router.get('/abbestellen', (req, res) => {
    if (!searchOf(req, 'unsubscribe')) return sendNotificationPage(res, 400, INVALID);
    sendNotificationPage(res, 200, {
      title: 'Benachrichtigungen abbestellen',
      message: 'Sie erhalten E-Mails zu einer gespeicherten Suche im Bündnis Hub.',
      form: {
        action: selfUrl(req, '/abbestellen'),
        button: 'Benachrichtigungen abbestellen',
        explanation: 'Nach dem Abbestellen schicken wir Ihnen zu dieser Suche keine E-Mails mehr.',
      },
    });
  });

  router.post('/abbestellen', async (req, res) => {
    const searchId = searchOf(req, 'unsubscribe');
    if (!searchId) return sendNotificationPage(res, 400, INVALID);
    // Paused rather than deleted: an account can resume it; a deleted search has nothing left to send.
    const em = orm.em.fork();
    await executeSql(em, sql`update saved_search set paused = true where id = ${searchId}`);
    await executeSql(
      em,
      sql`delete from saved_search_hit where saved_search_id = ${searchId} and mailed_at is null`,
    );
    logger.info({ savedSearchId: searchId }, 'saved search unsubscribed by link');
    sendNotificationPage(res, 200, {
      title: 'Abbestellt',
      message: 'Sie erhalten zu dieser gespeicherten Suche keine E-Mails mehr.',
    });
  });

  router.get('/bestaetigen', (req, res) => {
    if (!searchOf(req, 'confirm')) return sendNotificationPage(res, 400, INVALID);
    sendNotificationPage(res, 200, {
      title: 'Benachrichtigung bestätigen',
      message:
        'Mit Ihrer E-Mail-Adresse wurde eine Suche im Bündnis Hub gespeichert: Sie möchten erfahren, wenn bei passenden Angeboten Plätze frei werden.',
      form: {
        action: selfUrl(req, '/bestaetigen'),
        button: 'Benachrichtigung bestätigen',
        explanation:
          'Erst nach Ihrer Bestätigung schicken wir Ihnen E-Mails. Jede E-Mail enthält einen Link zum Abbestellen.',
      },
    });
  });

  router.post('/bestaetigen', async (req, res) => {
    const searchId = searchOf(req, 'confirm');
    const rows = searchId
      ? await executeSql<{ id: string }[]>(
          orm.em.fork(),
          sql`update saved_search set confirmed_at = coalesce(confirmed_at, now())
               where id = ${searchId} and email is not null returning id`,
        )
      : [];
    if (rows.length === 0) return sendNotificationPage(res, 400, INVALID);
    sendNotificationPage(res, 200, {
      title: 'Benachrichtigung bestätigt',
      message:
        'Danke! Wir schreiben Ihnen, sobald bei passenden Angeboten Plätze frei werden. Abbestellen können Sie mit dem Link in jeder E-Mail.',
    });
  });

  return router;
}
