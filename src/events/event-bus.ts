import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from '../logger.js';

export interface HubEvent {
  id: number;
  type: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

export const HUB_EVENTS_CHANNEL = 'hub_events';

/** How long a gap in the id sequence is waited for: a transaction that took an id may still commit. */
const GAP_GRACE_MS = 5_000;
const MAX_BACKOFF_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Delivers every committed domain event to this instance's subscribers, once, in id order. The outbox
 * (domain_event) is the truth; NOTIFY only says "look now". After a dropped connection the bus reconnects
 * with backoff and reads everything after the last id it delivered, so nothing is lost. Ids are taken at
 * insert but commit in any order: ids above a gap are delivered as they come, the gap itself is watched
 * for GAP_GRACE_MS (a slow transaction) before it is given up as rolled back.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private client?: pg.Client;
  private stopped = false;
  private backoffMs = 100;
  /** Every id up to here was delivered (or given up as a rolled-back gap). */
  private low = 0;
  /** Delivered ids above `low`, and when each open gap was first seen. */
  private readonly delivered = new Set<number>();
  private readonly gapSince = new Map<number, number>();
  private reading: Promise<void> = Promise.resolve();
  /** For /metrics: the newest delivered event and how late it was delivered. */
  private lastDelivered?: { id: number; occurredAt: Date; deliveredAt: Date };
  private deliveredCount = 0;
  private readAgain = false;
  private pollTimer?: NodeJS.Timeout;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {
    this.emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const probe = new pg.Client({
      connectionString: this.databaseUrl,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    await probe.connect();
    try {
      const { rows } = await probe.query<{ max: string | null }>('select max(id) as max from domain_event');
      this.low = Number(rows[0]?.max ?? 0);
    } finally {
      await probe.end();
    }
    await this.connect();
    // A safety net for lost notifications and for closing gaps: look every second anyway.
    this.pollTimer = setInterval(() => this.scheduleRead(), 1_000);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.emitter.emit('connection', false);
    clearInterval(this.pollTimer);
    await this.reading;
    await this.client?.end().catch(() => undefined);
    this.emitter.removeAllListeners();
  }

  /** Calls `listener` for every event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: HubEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /**
   * Calls `listener` with false when the listening connection is lost and with true once it listens
   * again: while it is away, events are late (read after the reconnect), so whatever is kept up to date
   * by events must not be trusted meanwhile. Returns the unsubscribe function.
   */
  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.emitter.on('connection', listener);
    return () => this.emitter.off('connection', listener);
  }

  /** Listening now (events arrive as they commit). */
  get connected(): boolean {
    return this.client !== undefined && !this.stopped;
  }

  get listenerCount(): number {
    return this.emitter.listenerCount('event');
  }

  /** Connection state and delivery progress, for metrics. */
  get stats() {
    return {
      connected: this.client !== undefined,
      delivered: this.deliveredCount,
      lastDeliveredId: this.lastDelivered?.id,
      /** Seconds between the event's commit time and its delivery here. */
      lastLagSeconds: this.lastDelivered
        ? Math.max(
            0,
            (this.lastDelivered.deliveredAt.getTime() - this.lastDelivered.occurredAt.getTime()) / 1000,
          )
        : undefined,
    };
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'hub-event-listener',
      // An unanswered connect (database host gone) must not stall the reconnect loop.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    client.on('notification', () => this.scheduleRead());
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'event listener connection failed');
    });
    client.on('end', () => {
      if (this.stopped || this.client !== client) return;
      this.client = undefined;
      this.emitter.emit('connection', false);
      this.reconnectLater();
    });
    try {
      await client.connect();
      await client.query(`listen ${HUB_EVENTS_CHANNEL}`);
    } catch (error) {
      this.logger.warn({ err: error }, 'event listener could not connect');
      await client.end().catch(() => undefined);
      this.reconnectLater();
      return;
    }
    this.client = client;
    this.backoffMs = 100;
    this.emitter.emit('connection', true);
    // Whatever was committed while we were away.
    this.scheduleRead();
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    setTimeout(() => void this.connect(), wait).unref();
  }

  /** Reads are serialised; a notification during a read triggers one more read afterwards. */
  private scheduleRead(): void {
    if (this.stopped || !this.client) return;
    this.readAgain = true;
    this.reading = this.reading.then(async () => {
      while (this.readAgain && this.client && !this.stopped) {
        this.readAgain = false;
        await this.readNew(this.client).catch((error) =>
          this.logger.warn({ err: error }, 'reading events failed'),
        );
      }
    });
  }

  private async readNew(client: pg.Client): Promise<void> {
    const { rows } = await client.query<{
      id: string;
      type: string;
      occurred_at: Date;
      payload: Record<string, unknown>;
    }>('select id, type, occurred_at, payload from domain_event where id > $1 order by id limit 1000', [
      this.low,
    ]);
    for (const row of rows) {
      const id = Number(row.id);
      if (this.delivered.has(id)) continue;
      this.delivered.add(id);
      this.gapSince.delete(id);
      this.deliveredCount++;
      this.lastDelivered = { id, occurredAt: row.occurred_at, deliveredAt: new Date() };
      this.emitter.emit('event', { id, type: row.type, occurredAt: row.occurred_at, payload: row.payload });
    }
    this.advanceLow();
    if (rows.length === 1000) this.readAgain = true;
  }

  private advanceLow(): void {
    const now = Date.now();
    const highest = Math.max(this.low, ...this.delivered);
    for (let id = this.low + 1; id <= highest; id++) {
      if (this.delivered.has(id)) continue;
      const since = this.gapSince.get(id);
      if (since === undefined) this.gapSince.set(id, now);
      else if (now - since > GAP_GRACE_MS) this.gapSince.delete(id);
    }
    while (
      this.delivered.has(this.low + 1) ||
      (this.low + 1 <= highest && !this.gapSince.has(this.low + 1))
    ) {
      this.low++;
      this.delivered.delete(this.low);
    }
  }
}
