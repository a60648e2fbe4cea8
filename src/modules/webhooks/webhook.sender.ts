import http from 'node:http';
import https from 'node:https';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Webhook } from 'standardwebhooks';
import type { WebhookConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import { WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import { webhookIdOf } from './webhook-ids.js';
import type { WebhookPayloads } from './webhook-payload.js';
import { guardedLookup, refuseLiteralPrivateHost, TargetRefused } from './webhook-target.js';

/** A receiver gets this long for the whole exchange (connect, send, answer). */
export const SEND_TIMEOUT_MS = 10_000;
/** Deliveries in flight per instance: slow receivers take slots, never the request path. */
export const SEND_CONCURRENCY = 8;
/** A lease outlasts one attempt with its body resolution; a crashed sender's rows return after it. */
const LEASE_SECONDS = 60;
const POLL_MS = 1_000;
/**
 * Delivery history is kept this long: well past the last retry (≈ 28 hours), long enough for a partner
 * to look into what its system missed. Older rows go in batches, on every instance (deletes are idempotent).
 */
export const DELIVERY_HISTORY_DAYS = 30;
const PRUNE_EVERY_MS = 600_000;
const PRUNE_BATCH = 1_000;
const MAX_ERROR_LENGTH = 200;

interface LeasedRow {
  id: string;
  event_id: string;
  organisation_id: string;
  event_type: string;
  event_payload: Record<string, unknown>;
  event_at: Date;
  attempts: number;
  body: string | null;
  url: string;
  secret: string;
}

interface Outcome {
  statusCode?: number;
  error?: string;
  /** Cut off by stop(): not an answer; the lease runs out and the delivery is sent again, same id. */
  aborted?: boolean;
}

/**
 * Sends due webhook deliveries: leases them (FOR UPDATE SKIP LOCKED, `locked_until`), so each is sent
 * by one instance at a time, resolves and stores the body at the first attempt, signs it (Standard
 * Webhooks: webhook-id, webhook-timestamp, webhook-signature), and records the answer: 2xx delivered,
 * anything else retried on the schedule, then FAILED. Redirects are not followed (an answer like any
 * other non-2xx); connections go only to public addresses unless private targets are allowed.
 */
export class WebhookSender {
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private pruning?: Promise<number>;
  private leasing?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly sends = new Set<Promise<void>>();
  private readonly requests = new Set<http.ClientRequest>();

  constructor(
    private readonly orm: MikroORM,
    private readonly payloads: WebhookPayloads,
    private readonly config: WebhookConfig,
    private readonly logger: Logger,
    private readonly options: { concurrency?: number; pollMs?: number; timeoutMs?: number } = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? POLL_MS);
    this.timer.unref();
    this.pruneTimer = setInterval(() => {
      this.pruning ??= this.prune()
        .catch((error) => {
          this.logger.warn({ err: error }, 'pruning webhook deliveries failed');
          return 0;
        })
        .finally(() => {
          this.pruning = undefined;
        });
    }, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.wake();
  }

  /** Deletes history older than DELIVERY_HISTORY_DAYS; returns how many rows went. */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.orm.em
        .fork()
        .getConnection()
        .execute<{ id: string }[]>(
          `delete from webhook_delivery where id in (
           select id from webhook_delivery where created_at < now() - make_interval(days => ?) and status <> ?
            limit ?) returning id`,
          [DELIVERY_HISTORY_DAYS, WebhookDeliveryStatus.PENDING, PRUNE_BATCH],
        );
      total += deleted.length;
      if (deleted.length < PRUNE_BATCH || this.stopped) return total;
    }
  }

  /**
   * Stops leasing and cuts off the requests in flight: a slow receiver does not hold up a shutdown, and
   * what it did not answer is sent again (same webhook-id) once the lease runs out.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    await this.leasing;
    await this.pruning;
    for (const request of this.requests) request.destroy();
    await Promise.allSettled([...this.sends]);
  }

  /** Looks for due deliveries now (after a fan-out recorded some, or a send freed a slot). */
  wake(): void {
    if (this.stopped) return;
    if (this.leasing) {
      this.again = true;
      return;
    }
    this.leasing = (async () => {
      try {
        do {
          this.again = false;
          await this.leaseAndSend();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.logger.warn({ err: error }, 'leasing webhook deliveries failed');
      } finally {
        this.leasing = undefined;
      }
    })();
  }

  /** Until nothing is due or in flight (tests). */
  async idle(): Promise<void> {
    while (this.leasing || this.sends.size > 0) {
      await this.leasing;
      await Promise.allSettled([...this.sends]);
    }
  }

  private async leaseAndSend(): Promise<void> {
    const free = (this.options.concurrency ?? SEND_CONCURRENCY) - this.inFlight;
    if (free <= 0) return;
    // A deactivated organisation's systems are told nothing more, as its accounts cannot sign in.
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<LeasedRow[]>(
        `update webhook_delivery d set locked_until = now() + make_interval(secs => ?)
         from (select d2.id from webhook_delivery d2 join webhook_endpoint e on e.id = d2.endpoint_id
                join organisation o on o.id = d2.organisation_id
                where d2.status = ? and d2.next_attempt_at <= now()
                  and (d2.locked_until is null or d2.locked_until < now()) and not e.paused and o.active
                order by d2.next_attempt_at limit ? for update of d2 skip locked) due,
              webhook_endpoint e
        where d.id = due.id and e.id = d.endpoint_id
        returning d.id, d.event_id, d.organisation_id, d.event_type, d.event_payload, d.event_at, d.attempts, d.body, e.url, e.secret`,
        [LEASE_SECONDS, WebhookDeliveryStatus.PENDING, free],
      );
    for (const row of rows) {
      this.inFlight++;
      const send: Promise<void> = this.attempt(row)
        .catch((error) => this.logger.warn({ err: error, delivery: row.id }, 'webhook attempt failed'))
        .finally(() => {
          this.inFlight--;
          this.sends.delete(send);
          this.wake();
        });
      this.sends.add(send);
    }
  }

  private async attempt(row: LeasedRow): Promise<void> {
    const em = this.orm.em.fork();
    let body = row.body;
    if (body === null) {
      let resolved: string | undefined;
      try {
        resolved = await this.payloads.body({
          eventId: String(row.event_id),
          organisationId: row.organisation_id,
          eventType: row.event_type,
          eventPayload: row.event_payload,
          eventAt: new Date(row.event_at),
        });
      } catch (error) {
        // Counted as a failed attempt: a payload that never resolves ends FAILED, not leased for ever.
        this.logger.warn({ err: error, delivery: row.id }, 'webhook payload could not be resolved');
        await this.record(row, { error: 'payload could not be resolved' });
        return;
      }
      if (resolved === undefined) {
        // Not the organisation's to see (or gone): nothing is sent, and nothing is listed.
        await em.getConnection().execute('delete from webhook_delivery where id = ?', [row.id]);
        return;
      }
      // Kept before the first send: every retry sends these bytes.
      const [stored] = await em
        .getConnection()
        .execute<{ body: string }[]>(
          'update webhook_delivery set body = coalesce(body, ?) where id = ? returning body',
          [resolved, row.id],
        );
      body = stored?.body ?? resolved;
    }
    const outcome = await this.send(row, body);
    if (!outcome.aborted) await this.record(row, outcome);
  }

  /** The attempt's answer: delivered, retried after the schedule's next wait, or FAILED. */
  private async record(row: LeasedRow, outcome: Outcome): Promise<void> {
    const ok = outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const attempts = row.attempts + 1;
    const schedule = this.config.retryScheduleMs;
    const status = ok
      ? WebhookDeliveryStatus.DELIVERED
      : attempts > schedule.length
        ? WebhookDeliveryStatus.FAILED
        : WebhookDeliveryStatus.PENDING;
    const waitMs = status === WebhookDeliveryStatus.PENDING ? schedule[attempts - 1]! : 0;
    await this.orm.em
      .fork()
      .getConnection()
      .execute(
        `update webhook_delivery set status = ?, attempts = ?, last_status_code = ?, last_error = ?,
              delivered_at = case when ? then now() else delivered_at end,
              next_attempt_at = now() + make_interval(secs => ?), locked_until = null, updated_at = now()
        where id = ? and status = ? and attempts = ?`,
        [
          status,
          attempts,
          outcome.statusCode ?? null,
          ok ? null : (outcome.error ?? `HTTP ${outcome.statusCode}`),
          ok,
          waitMs / 1000,
          row.id,
          WebhookDeliveryStatus.PENDING,
          // Another instance that took the row after this lease ran out counts its own attempt, not both.
          row.attempts,
        ],
      );
  }

  /** One POST; resolves with the status code or a short reason, never throws. */
  private send(row: LeasedRow, body: string): Promise<Outcome> {
    const allowPrivate = this.config.allowPrivateTargets;
    let url: URL;
    try {
      url = new URL(row.url);
      if (this.config.httpsOnly && url.protocol !== 'https:')
        return Promise.resolve({ error: 'https required' });
      refuseLiteralPrivateHost(url, allowPrivate);
    } catch (error) {
      return Promise.resolve({ error: error instanceof TargetRefused ? error.message : 'invalid URL' });
    }
    const msgId = webhookIdOf(row.id);
    const sentAt = new Date();
    const signature = new Webhook(row.secret).sign(msgId, sentAt, body);
    const client = url.protocol === 'https:' ? https : http;
    const timeoutMs = this.options.timeoutMs ?? SEND_TIMEOUT_MS;
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const done = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.requests.delete(request);
        resolve(this.stopped && outcome.statusCode === undefined ? { ...outcome, aborted: true } : outcome);
      };
      const request = client.request(
        url,
        {
          method: 'POST',
          // A connection per delivery: no pooled socket outlives the guard's address check.
          agent: false,
          lookup: guardedLookup(allowPrivate) as never,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Buendnis-Hub-Webhooks/1',
            'webhook-id': msgId,
            'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
            'webhook-signature': signature,
          },
        },
        (response) => {
          // The answer's body is not needed: read and dropped, so the socket closes cleanly.
          response.resume();
          response.on('end', () => done({ statusCode: response.statusCode }));
          response.on('error', () => done({ statusCode: response.statusCode }));
        },
      );
      this.requests.add(request);
      const timer = setTimeout(() => {
        done({ error: `no answer within ${timeoutMs / 1000} s` });
        request.destroy();
      }, timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) => {
        const reason =
          error instanceof TargetRefused
            ? error.message
            : (error.code ?? error.message ?? 'connection failed');
        done({ error: String(reason).slice(0, MAX_ERROR_LENGTH) });
      });
      request.end(body);
    });
  }
}
