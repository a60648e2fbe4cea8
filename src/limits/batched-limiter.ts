import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Limiter } from './limiter-store.js';

/** Unreported points are sent at least this often, so that the other instances see them soon. */
export const REPORT_INTERVAL_MS = 250;
/** On close, pending reports are waited for at most this long (the store's own timeout is 1.5 s). */
const CLOSE_WAIT_MS = 2_000;

/**
 * How many points an instance may count on its own before it asks the store: at most 2 % of the budget
 * and never more than 100. Budgets below 50 get 0, so they are counted in the store on every call.
 */
export function localAllowance(points: number): number {
  return Math.min(100, Math.floor(points / 50));
}

interface KeyCount {
  /** consumedPoints of the store's latest answer in the current window (0 before any answer). */
  known: number;
  /** When the store's window ends (Date.now() time); undefined until the store answered. */
  windowEnds?: number;
  /** Counted here and not sent yet. */
  unreported: number;
  /** Sent, answer pending. */
  sending: number;
}

/**
 * A request budget counted in the shared store in batches. Every store call costs a round trip on the
 * hub's CPU (about 1 ms each on a small VM, more than the rest of a cached request), so an instance
 * answers from what the store last said plus what it counted itself since, and reports its count in one
 * `consume(key, points)` once the local allowance is used up, and every REPORT_INTERVAL_MS.
 *
 * What this instance admitted without the store's word (unreported + sending) never exceeds the
 * allowance: the call beyond it asks the store itself and waits. So n instances exceed a budget by at
 * most n × allowance in a window, and budgets with an allowance of 0 are exact as before.
 */
export class BatchedLimiter implements Limiter {
  readonly allowance: number;
  private readonly counts = new Map<string, KeyCount>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly store: Limiter,
    private readonly options: { points: number; duration: number; reportIntervalMs?: number },
  ) {
    this.allowance = localAllowance(options.points);
    if (this.allowance > 0) {
      this.timer = setInterval(() => this.reportAll(), options.reportIntervalMs ?? REPORT_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Keys this instance currently holds a count for (tests check that ended windows are forgotten). */
  get size(): number {
    return this.counts.size;
  }

  consume(key: string, points = 1): Promise<RateLimiterRes> {
    if (this.allowance === 0 || this.closed) return this.store.consume(key, points);
    const now = Date.now();
    const count = this.countOf(key, now);
    const unconfirmed = count.unreported + count.sending + points;
    const estimate = count.known + unconfirmed;
    const msBeforeNext =
      count.windowEnds === undefined ? this.options.duration * 1000 : count.windowEnds - now;
    if (estimate > this.options.points) {
      // Not counted: a refused call changes nothing in a fixed window, and a flood costs no store call.
      return Promise.reject(new RateLimiterRes(0, msBeforeNext, estimate, false));
    }
    if (unconfirmed > this.allowance) return this.send(key, count, points);
    count.unreported += points;
    return Promise.resolve(
      new RateLimiterRes(this.options.points - estimate, msBeforeNext, estimate, estimate === points),
    );
  }

  /** Passed on to the store; what the store said of the key before is no longer true. */
  reward(key: string, points = 1): Promise<RateLimiterRes> {
    this.unlearn(key);
    return this.store.reward(key, points);
  }

  delete(key: string): Promise<boolean> {
    this.unlearn(key);
    return this.store.delete(key);
  }

  /** Stops the timer and reports what is pending (best effort: waits at most CLOSE_WAIT_MS). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.reportAll();
    if (this.inFlight.size === 0) return;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => {
        timeout = setTimeout(resolve, CLOSE_WAIT_MS);
        timeout.unref();
      }),
    ]);
    clearTimeout(timeout);
  }

  /** The key's count in the current window; a window that ended starts again from 0. */
  private countOf(key: string, now: number): KeyCount {
    let count = this.counts.get(key);
    if (!count) {
      count = { known: 0, unreported: 0, sending: 0 };
      this.counts.set(key, count);
    } else if (count.windowEnds !== undefined && count.windowEnds <= now) {
      this.rollOver(count);
    }
    return count;
  }

  /**
   * Unsent points of an ended window are dropped: they were admitted in that window, and sending them
   * now would charge them to the next one.
   */
  private rollOver(count: KeyCount): void {
    count.known = 0;
    count.windowEnds = undefined;
    count.unreported = 0;
  }

  private unlearn(key: string): void {
    const count = this.counts.get(key);
    if (!count) return;
    count.known = 0;
    count.windowEnds = undefined;
  }

  /** The timer's round: reports every key with unsent points, forgets keys whose window ended. */
  private reportAll(): void {
    const now = Date.now();
    for (const [key, count] of this.counts) {
      if (count.windowEnds !== undefined && count.windowEnds <= now) this.rollOver(count);
      if (count.unreported > 0) {
        this.send(key, count, 0).catch(() => undefined);
      } else if (count.sending === 0 && count.windowEnds === undefined) {
        // Nothing pending and nothing known (window over, or never answered): nothing worth keeping.
        this.counts.delete(key);
      }
    }
  }

  /** Sends the unsent points plus `own` (the calling request's, 0 for the timer) in one store call. */
  private send(key: string, count: KeyCount, own: number): Promise<RateLimiterRes> {
    const points = count.unreported + own;
    count.unreported = 0;
    count.sending += points;
    const call = this.store.consume(key, points).then(
      (res) => {
        this.learn(count, points, res);
        return res;
      },
      (reason: unknown) => {
        if (reason instanceof RateLimiterRes) {
          this.learn(count, points, reason);
        } else {
          // The store limiters answer their failures from the insurance limiter, which then holds these
          // points; an error that still gets here leaves the points unsent, to go with the next report.
          count.sending -= points;
          count.unreported += points - own;
        }
        throw reason;
      },
    );
    const tracked = call.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return call;
  }

  private learn(count: KeyCount, points: number, res: RateLimiterRes): void {
    count.sending -= points;
    const windowEnds = Date.now() + res.msBeforeNext;
    // Answers to concurrent reports may arrive out of order: within one window the higher count is the
    // newer one. An answer whose window ends half a window away from the known one is another window.
    const sameWindow =
      count.windowEnds !== undefined &&
      Math.abs(windowEnds - count.windowEnds) < (this.options.duration * 1000) / 2;
    count.known = sameWindow ? Math.max(count.known, res.consumedPoints) : res.consumedPoints;
    count.windowEnds = windowEnds;
  }
}
