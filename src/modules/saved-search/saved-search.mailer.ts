import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import type { ContextDeps } from '../../context.js';
import { executeSql, executeSqlInTransaction, join, sql } from '../../db/sql.js';
import type { Role } from '../../domain/enums.js';
import type { Logger } from '../../logger.js';
import { freedPlaces } from './freed-places.js';
import { freedPlacesMail } from './mail-content.js';
import type { MailTransport } from './mail-transport.js';
import { viewerOfSearch } from './saved-search.recipient.js';

/** A worker holds the hits of a mail this long; a crash mid-send frees them for a resend after it. */
const LEASE_SECONDS = 120;
/** Hits per mail at most (the rest follow in the next one). */
const MAX_HITS_PER_MAIL = 100;
/** Searches looked at per round. */
const SEARCHES_PER_ROUND = 50;
/** Mailed hits are kept this long (what was sent, for questions), then deleted. */
const KEEP_MAILED_DAYS = 7;
const CLEANUP_EVERY_MS = 3_600_000;
/** Backoff after a failed send: 30 s, 1 min, 2 min, … up to 6 h. */
const backoffSeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), 6 * 3_600);

interface DueSearch {
  id: string;
  name: string;
  email: string | null;
  account_id: string | null;
  account_email: string | null;
  organisation_id: string | null;
  roles: Role[] | null;
  active: boolean | null;
}

interface LeasedHit {
  id: string;
  mail_key: string | null;
  capacity_period_id: string;
}

/**
 * Sends the saved searches' mails from their hits. Every instance runs it; a mail's hits are leased
 * (`for update skip locked`, then `locked_until`) so one instance sends each. EMAIL_NOW mails whatever
 * is due in one mail per search; EMAIL_DIGEST waits until last_mailed_at (or the confirmation) plus the
 * interval. A mail's hits keep their `mail_key` from the first try, so a resend after a crash or a
 * refused send is the same message (the same Message-ID); failures retry with backoff.
 */
export class SavedSearchMailer {
  private timer?: NodeJS.Timeout;
  private running: Promise<number> = Promise.resolve(0);
  private stopped = false;
  private wakeQueued = false;
  private lastCleanup = 0;

  constructor(
    private readonly options: {
      orm: MikroORM;
      schema: GraphQLSchema;
      deps: ContextDeps;
      transport: MailTransport;
      intervalMs: number;
      logger: Logger;
    },
  ) {}

  start(): void {
    if (!this.options.transport.configured) {
      this.options.transport.warnUnconfigured();
      return;
    }
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  /** New hits were recorded: look soon rather than at the next round. */
  wake(): void {
    if (this.stopped || !this.options.transport.configured || this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      void this.runOnce();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
    this.options.transport.close();
  }

  /** One round (rounds of this instance never overlap); resolves with the mails sent. */
  runOnce(): Promise<number> {
    this.running = this.running
      .catch(() => 0)
      .then(() => (this.stopped || !this.options.transport.configured ? 0 : this.round()))
      .catch((error) => {
        this.options.logger.error({ err: error }, 'saved-search mail round failed');
        return 0;
      });
    return this.running;
  }

  private async round(): Promise<number> {
    const em = this.options.orm.em.fork();
    if (Date.now() - this.lastCleanup > CLEANUP_EVERY_MS) {
      this.lastCleanup = Date.now();
      await executeSql(
        em,
        sql`delete from saved_search_hit where mailed_at < now() - make_interval(days => ${KEEP_MAILED_DAYS})`,
      );
    }
    const due = await executeSql<DueSearch[]>(
      em,
      sql`select s.id, s.name, s.email, s.account_id, a.email as account_email, a.organisation_id, a.roles,
                 (a.active and o.active) as active
            from saved_search s
            left join account a on a.id = s.account_id
            left join organisation o on o.id = a.organisation_id
           where not s.paused and s.notify <> 'NONE' and s.confirmed_at is not null
             and exists (select 1 from saved_search_hit h
                          where h.saved_search_id = s.id and h.mailed_at is null and h.next_attempt_at <= now()
                            and (h.locked_until is null or h.locked_until < now())
                            and (h.mail_key is not null or s.notify = 'EMAIL_NOW'
                                 or coalesce(s.last_mailed_at, s.confirmed_at)
                                    + make_interval(mins => s.digest_interval_minutes) <= now()))
           limit ${SEARCHES_PER_ROUND}`,
    );
    let sent = 0;
    for (const search of due) {
      if (this.stopped) break;
      const lease = await this.lease(search.id);
      if (!lease) continue;
      try {
        const mailed = await this.mail(search, lease.key, lease.periods);
        if (mailed) sent++;
        await this.finish(search.id, lease.key, mailed);
      } catch (error) {
        this.options.logger.warn(
          { err: error, savedSearchId: search.id },
          'saved-search mail not sent; retried later',
        );
        await this.retryLater(search.id, lease.key);
      }
    }
    return sent;
  }

  /**
   * Takes the hits of one mail: a mail tried before keeps exactly its hits (its key), else the due hits
   * get a new key derived from the search and their ids. The search row is locked first, so two
   * instances never split one search's hits.
   */
  private async lease(searchId: string): Promise<{ key: string; periods: string[] } | undefined> {
    return this.options.orm.em.fork().transactional(async (tx) => {
      const [locked] = await executeSqlInTransaction<{ id: string }[]>(
        tx,
        sql`select id from saved_search where id = ${searchId} for update skip locked`,
      );
      if (!locked) return undefined;
      const hits = await executeSqlInTransaction<LeasedHit[]>(
        tx,
        sql`select id, mail_key, capacity_period_id from saved_search_hit
             where saved_search_id = ${searchId} and mailed_at is null and next_attempt_at <= now()
               and (locked_until is null or locked_until < now())
             order by id limit ${MAX_HITS_PER_MAIL}`,
      );
      if (hits.length === 0) return undefined;
      const earlier = hits.find((h) => h.mail_key !== null)?.mail_key;
      const chosen = earlier ? hits.filter((h) => h.mail_key === earlier) : hits;
      const key =
        earlier ??
        createHash('sha256')
          .update(`${searchId}:${chosen.map((h) => h.id).join(',')}`)
          .digest('hex')
          .slice(0, 40);
      await executeSqlInTransaction(
        tx,
        sql`update saved_search_hit
               set mail_key = ${key}, locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
             where id in (${join(chosen.map((h) => h.id))})`,
      );
      return { key, periods: [...new Set(chosen.map((h) => h.capacity_period_id))] };
    });
  }

  /** Sends the mail of a lease; false when there was nothing (left) to tell or nobody to tell it to. */
  private async mail(search: DueSearch, key: string, periodIds: string[]): Promise<boolean> {
    if (search.account_id && !search.active) return false;
    const to = search.account_id ? search.account_email : search.email;
    if (!to) return false;
    const { transport, deps, schema } = this.options;
    const places = await freedPlaces(schema, deps, viewerOfSearch(search), periodIds, (offerId) =>
      transport.link('/angebote', { angebot: offerId }),
    );
    if (places.length === 0) return false;
    const unsubscribeUrl = transport.unsubscribeUrl(search.id);
    const content = freedPlacesMail(search, places, unsubscribeUrl);
    return transport.send({
      ...content,
      to,
      unsubscribeUrl,
      messageId: `<saved-search.${search.id}.${key}@${transport.messageDomain}>`,
    });
  }

  /** The lease's hits are done: mailed, or there was nothing to tell (then the digest clock stays). */
  private async finish(searchId: string, key: string, mailed: boolean): Promise<void> {
    const em = this.options.orm.em.fork();
    await em.transactional(async (tx) => {
      await executeSqlInTransaction(
        tx,
        sql`update saved_search_hit set mailed_at = now(), locked_until = null
             where saved_search_id = ${searchId} and mail_key = ${key}`,
      );
      if (mailed) {
        await executeSqlInTransaction(
          tx,
          sql`update saved_search set last_mailed_at = now() where id = ${searchId}`,
        );
      }
    });
  }

  private async retryLater(searchId: string, key: string): Promise<void> {
    const em = this.options.orm.em.fork();
    const [row] = await executeSql<{ attempts: number }[]>(
      em,
      sql`select max(attempts) as attempts from saved_search_hit where saved_search_id = ${searchId} and mail_key = ${key}`,
    );
    const wait = backoffSeconds((row?.attempts ?? 0) + 1);
    await executeSql(
      em,
      sql`update saved_search_hit
             set attempts = attempts + 1, locked_until = null,
                 next_attempt_at = now() + make_interval(secs => ${wait})
           where saved_search_id = ${searchId} and mail_key = ${key} and mailed_at is null`,
    );
  }
}
