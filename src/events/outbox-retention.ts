import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * Session-level advisory lock key of the outbox pruning: one instance prunes at a time, the others skip
 * that round (pg_try_advisory_lock, no waiting).
 */
export const OUTBOX_RETENTION_LOCK_KEY = '727264202611240002';
/** Rows per DELETE: short statements, so writers and readers of domain_event are never held up long. */
export const RETENTION_BATCH_ROWS = 1_000;
/** Pause between batches: the pruning yields to the hub's own work (and to autovacuum). */
const BATCH_PAUSE_MS = 50;

export interface PruneResult {
  deleted: number;
  batches: number;
  ms: number;
}

/**
 * Deletes outbox events (domain_event) older than the retention, in small batches, on an interval.
 *
 * "Delivered" is defined by age: the outbox has no per-instance delivery marker. Each instance's event
 * bus starts at the newest id and, after a dropped connection, reads every id above the last one it
 * delivered, so an event is needed only until every running instance has read past it. That holds
 * whenever an instance's listener gap (disconnection) is shorter than the retention — days by default,
 * against reconnect back-off of seconds. An instance away for longer than the retention must be
 * restarted (it would otherwise miss the pruned events; a started instance needs none of the past).
 */
export class OutboxRetention {
  private timer?: NodeJS.Timeout;
  private running?: Promise<PruneResult | null>;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly options: { retentionDays: number; intervalMs: number; batchRows?: number },
    private readonly logger: Logger,
  ) {}

  start(): void {
    // First round soon after start, not at start: a fleet restarting together should not all look at once.
    const first = Math.min(this.options.intervalMs, 10_000 + Math.floor(Math.random() * 10_000));
    this.timer = setTimeout(() => this.tick(), first);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private tick(): void {
    void this.pruneOnce()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'outbox pruning failed'))
      .finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(() => this.tick(), this.options.intervalMs);
        this.timer.unref();
      });
  }

  /**
   * One round: null when another instance holds the lock (it prunes), else what was deleted. The cut-off
   * is fixed at the start of the round, so events that age meanwhile wait for the next one.
   */
  pruneOnce(): Promise<PruneResult | null> {
    this.running ??= this.prune().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async prune(): Promise<PruneResult | null> {
    const began = performance.now();
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'hub-outbox-retention',
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        `select pg_try_advisory_lock(${OUTBOX_RETENTION_LOCK_KEY}) as locked`,
      );
      if (!rows[0]?.locked) return null;
      try {
        const cutoff = new Date(Date.now() - this.options.retentionDays * 86_400_000);
        const batchRows = this.options.batchRows ?? RETENTION_BATCH_ROWS;
        let deleted = 0;
        let batches = 0;
        while (!this.stopped) {
          // Each batch commits on its own (autocommit): no long transaction holding back vacuum.
          const result = await client.query(
            `delete from domain_event where id in (
               select id from domain_event where occurred_at < $1 order by occurred_at limit $2
             )`,
            [cutoff, batchRows],
          );
          const count = result.rowCount ?? 0;
          if (count > 0) batches++;
          deleted += count;
          if (count < batchRows) break;
          await new Promise((resolve) => setTimeout(resolve, BATCH_PAUSE_MS));
        }
        const ms = Math.round(performance.now() - began);
        if (deleted > 0) {
          this.logger.info(
            { deleted, batches, ms, retentionDays: this.options.retentionDays },
            'outbox pruned',
          );
        }
        return { deleted, batches, ms };
      } finally {
        await client.query(`select pg_advisory_unlock(${OUTBOX_RETENTION_LOCK_KEY})`).catch(() => undefined);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
