import pg from 'pg';

/** What the sampled backends of the scratch database were doing during one scenario. */
export interface ActivitySummary {
  samples: number;
  /** Mean number of active backends of the scratch database (running or waiting). */
  meanActive: number;
  /** Mean and max number of them waiting for a heavyweight lock (row, transaction id, tuple, object). */
  meanLockWaiting: number;
  maxLockWaiting: number;
  /** Share of active backend samples per wait event ("CPU" when active without a wait event). */
  waits: Map<string, number>;
  /** Mean number of active client backends of other databases on the same server (other load). */
  meanOtherActive: number;
  /** Why sampling stopped early, if it did. */
  failure?: string;
}

const QUERY = `select datname = current_database() as ours, state, wait_event_type, wait_event
                 from pg_stat_activity
                where pid <> pg_backend_pid() and backend_type = 'client backend' and state = 'active'`;

/**
 * Polls pg_stat_activity every `intervalMs` on its own connection while a scenario runs. Cheap (one small
 * query per interval) and bounded: it stops when `stop()` is called.
 */
export class ActivitySampler {
  private client?: pg.Client;

  constructor(
    private readonly databaseUrl: string,
    private readonly intervalMs = 50,
  ) {}

  async open(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 10_000 });
    await this.client.connect();
  }

  async close(): Promise<void> {
    await this.client?.end();
    this.client = undefined;
  }

  /** Starts sampling; the returned function stops it and resolves with the summary. */
  start(): () => Promise<ActivitySummary> {
    const client = this.client;
    if (!client) throw new Error('ActivitySampler.open() first');
    let running = true;
    let samples = 0;
    let active = 0;
    let lockWaiting = 0;
    let maxLockWaiting = 0;
    let otherActive = 0;
    const waits = new Map<string, number>();
    let failure: string | undefined;
    const loop = (async () => {
      while (running) {
        const { rows } = await client.query<{
          ours: boolean;
          wait_event_type: string | null;
          wait_event: string | null;
        }>(QUERY);
        samples++;
        let locks = 0;
        for (const row of rows) {
          if (!row.ours) {
            otherActive++;
            continue;
          }
          active++;
          if (row.wait_event_type === 'Lock') locks++;
          const key = row.wait_event_type ? `${row.wait_event_type}:${row.wait_event}` : 'CPU';
          waits.set(key, (waits.get(key) ?? 0) + 1);
        }
        lockWaiting += locks;
        maxLockWaiting = Math.max(maxLockWaiting, locks);
        await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    })().catch((error: unknown) => {
      // Sampling is diagnostics only: a failure ends it (and is reported) but never the benchmark.
      failure = error instanceof Error ? error.message : String(error);
    });
    return async () => {
      running = false;
      await loop;
      const shares = new Map(
        [...waits.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, active > 0 ? v / active : 0]),
      );
      const per = (n: number) => (samples > 0 ? n / samples : 0);
      return {
        samples,
        meanActive: per(active),
        meanLockWaiting: per(lockWaiting),
        maxLockWaiting,
        waits: shares,
        meanOtherActive: per(otherActive),
        failure,
      };
    };
  }
}
