import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import type { EventBus } from './event-bus.js';

/** A committed outbox event as the durable recipients see it. */
export interface FannedEvent {
  /** domain_event.id (a bigint, kept as a string). */
  id: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Something that must learn of each committed event exactly once across all instances (webhook
 * deliveries, saved-search mails). `record` writes the recipient's own delivery rows inside the claiming
 * transaction — unique per event and recipient, inserted with `on conflict do nothing` — so the rows
 * exist exactly when the events count as handed on. `recorded` runs after that commit (wakes a sender).
 */
export interface FanOutRecipient {
  name: string;
  /** domain_event.type values this recipient records; other events never reach it. */
  types: readonly string[];
  record(em: EntityManager, events: FannedEvent[]): Promise<void>;
  recorded?(): void;
}

/** Events per claim: one short transaction each, so writers of domain_event are never held up long. */
export const FAN_OUT_BATCH = 200;
/** A safety net for missed wake-ups (a bus reconnecting, another instance's events). */
const POLL_MS = 5_000;

interface PendingRow {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * Hands every committed domain event on to the registered recipients, once, however many instances run:
 * pending events (`not fanned_out`) are claimed with FOR UPDATE SKIP LOCKED, so two instances take
 * disjoint batches, and the recipients' rows and the `fanned_out` mark commit together — a crash before
 * the commit leaves the batch pending for the next claim, after it nothing is claimed twice.
 * Woken by the event bus and every POLL_MS; one claim at a time per instance, repeated while batches
 * come back full.
 */
export class EventFanOut {
  private readonly recipients: FanOutRecipient[] = [];
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
    private readonly options: { batch?: number; pollMs?: number } = {},
  ) {}

  register(recipient: FanOutRecipient): void {
    if (this.recipients.some((r) => r.name === recipient.name)) {
      throw new Error(`fan-out recipient ${recipient.name} registered twice`);
    }
    this.recipients.push(recipient);
  }

  start(bus: Pick<EventBus, 'subscribe'>): void {
    this.stopped = false;
    this.unsubscribe = bus.subscribe(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Claims until no event is pending on any instance (tests): batches another instance holds are
   * skipped by the claim, so their commit is waited for too.
   */
  async drain(): Promise<void> {
    for (;;) {
      await this.running;
      if ((await this.claimOnce()) > 0 || this.running) continue;
      const [row] = await this.orm.em
        .fork()
        .getConnection()
        .execute<{ pending: boolean }[]>(
          'select exists (select 1 from domain_event where not fanned_out) as pending',
        );
      if (!row?.pending) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Starts a claim round unless one runs; one that runs claims once more after its current batch. */
  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          const batch = this.options.batch ?? FAN_OUT_BATCH;
          while (!this.stopped && (await this.claimOnce()) === batch) {
            // a full batch: more may be pending
          }
        } while (this.again && !this.stopped);
      } catch (error) {
        this.logger.warn({ err: error }, 'event fan-out failed; retried at the next wake-up');
      } finally {
        this.running = undefined;
      }
    })();
  }

  /** One batch: returns how many events it handed on. */
  private async claimOnce(): Promise<number> {
    const batch = this.options.batch ?? FAN_OUT_BATCH;
    const touched = new Set<FanOutRecipient>();
    const claimed = await this.orm.em.fork().transactional(async (em) => {
      const rows = await em
        .getConnection()
        .execute<PendingRow[]>(
          'select id, type, payload, occurred_at from domain_event where not fanned_out order by id limit ? for update skip locked',
          [batch],
          'all',
          em.getTransactionContext(),
        );
      if (rows.length === 0) return 0;
      const events: FannedEvent[] = rows.map((row) => ({
        id: String(row.id),
        type: row.type,
        payload: row.payload,
        createdAt: new Date(row.occurred_at),
      }));
      for (const recipient of this.recipients) {
        const mine = events.filter((event) => recipient.types.includes(event.type));
        if (mine.length === 0) continue;
        // One recipient that fails (a bug, a row it cannot read) must not hold up the others or the
        // outbox: its rows of this batch are rolled back to a savepoint, logged, and the batch goes on.
        try {
          await em.transactional((inner) => recipient.record(inner, mine));
          touched.add(recipient);
        } catch (error) {
          this.logger.error(
            { err: error, recipient: recipient.name, events: mine.map((event) => event.id) },
            'fan-out recipient failed; its deliveries of these events are skipped',
          );
        }
      }
      await em
        .getConnection()
        .execute(
          'update domain_event set fanned_out = true where id = any(?::bigint[])',
          [`{${events.map((event) => event.id).join(',')}}`],
          'run',
          em.getTransactionContext(),
        );
      return rows.length;
    });
    for (const recipient of touched) {
      try {
        recipient.recorded?.();
      } catch (error) {
        this.logger.warn({ err: error, recipient: recipient.name }, 'fan-out recipient wake-up failed');
      }
    }
    return claimed;
  }
}
