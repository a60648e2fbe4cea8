import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Viewer } from '../auth/viewer.js';
import { ErrorCode, HubError } from '../errors.js';
import type { RateLimits } from '../hardening.config.js';
import { BatchedLimiter } from '../limits/batched-limiter.js';
import type { Limiter, LimiterStore } from '../limits/limiter-store.js';

export type OperationKind = 'query' | 'mutation' | 'subscription';

/**
 * Operations per viewer (account) and per client address in a fixed window, queries and mutations
 * counted apart (subscriptions count as queries when they start). The public is counted by address
 * alone. Counted in the shared limiter store, like the sign-in guard: a budget holds across instances,
 * in batches (BatchedLimiter) so that a request rarely waits for a store statement.
 */
export class RequestRateLimiter {
  private readonly limiters: Record<'query' | 'mutation', { viewer: Limiter; address: Limiter }>;
  /** Called once per refused operation (metrics). */
  onRefused?: (scope: 'viewer' | 'address', kind: 'query' | 'mutation') => void;

  private readonly batched: BatchedLimiter[] = [];

  constructor(limits: RateLimits, store: LimiterStore) {
    const make = (keyPrefix: string, points: number) => {
      const duration = limits.windowSeconds;
      const limiter = store.limiter({ keyPrefix, points, duration });
      // Memory counters cost no round trip: batching them would only blur an exact count.
      if (store.kind === 'memory') return limiter;
      const batched = new BatchedLimiter(limiter, { points, duration });
      this.batched.push(batched);
      return batched;
    };
    this.limiters = {
      query: {
        viewer: make('queries-viewer', limits.queriesPerViewer),
        address: make('queries-address', limits.queriesPerAddress),
      },
      mutation: {
        viewer: make('mutations-viewer', limits.mutationsPerViewer),
        address: make('mutations-address', limits.mutationsPerAddress),
      },
    };
  }

  /** Reports the points counted here and not yet in the store (before the store closes). */
  async close(): Promise<void> {
    await Promise.all(this.batched.map((limiter) => limiter.close()));
  }

  /** Counts one operation; RATE_LIMITED with retryAfterSeconds (and HTTP 429 + Retry-After) when a budget is spent. */
  async consume(kind: OperationKind, viewer: Viewer, address: string): Promise<void> {
    const budget = kind === 'mutation' ? 'mutation' : 'query';
    const { viewer: perViewer, address: perAddress } = this.limiters[budget];
    const attempts: [scope: 'viewer' | 'address', Promise<unknown>][] = [
      ['address', perAddress.consume(address)],
    ];
    if (viewer.kind === 'account') attempts.push(['viewer', perViewer.consume(viewer.accountId)]);
    const results = await Promise.allSettled(attempts.map(([, p]) => p));
    let wait = 0;
    let refusedBy: 'viewer' | 'address' | undefined;
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
        if (result.reason.msBeforeNext >= wait) {
          wait = result.reason.msBeforeNext;
          refusedBy = attempts[i]![0];
        }
      }
    });
    if (refusedBy === undefined) return;
    this.onRefused?.(refusedBy, budget);
    const retryAfterSeconds = Math.max(1, Math.ceil(wait / 1000));
    throw new HubError(
      ErrorCode.RATE_LIMITED,
      `Too many ${budget === 'mutation' ? 'changes' : 'requests'} from this ${refusedBy === 'viewer' ? 'account' : 'address'}. Try again in ${retryAfterSeconds} s.`,
      {
        retryAfterSeconds,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      },
    );
  }
}
