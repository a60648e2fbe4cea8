import { pino } from 'pino';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchedLimiter, localAllowance, REPORT_INTERVAL_MS } from '../../src/limits/batched-limiter.js';
import { type Limiter, openLimiterStore } from '../../src/limits/limiter-store.js';

const WINDOW_S = 60;

/** A shared fixed-window store (what every instance sees), recording the points of each call. */
class FakeStore implements Limiter {
  readonly calls: { key: string; points: number }[] = [];
  readonly windows = new Map<string, { points: number; ends: number }>();
  /** While set, every call fails with it (a store without insurance that broke). */
  failWith?: Error;

  constructor(readonly budget: number) {}

  async consume(key: string, points = 1): Promise<RateLimiterRes> {
    this.calls.push({ key, points });
    if (this.failWith) throw this.failWith;
    return this.count(key, points);
  }

  /** Another instance's exact count, without a call recorded. */
  count(key: string, points: number): RateLimiterRes {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.ends <= now) {
      window = { points: 0, ends: now + WINDOW_S * 1000 };
      this.windows.set(key, window);
    }
    window.points += points;
    const res = new RateLimiterRes(
      Math.max(0, this.budget - window.points),
      window.ends - now,
      window.points,
      window.points === points,
    );
    if (window.points > this.budget) throw res;
    return res;
  }

  async reward(): Promise<RateLimiterRes> {
    return new RateLimiterRes();
  }

  async delete(): Promise<boolean> {
    return true;
  }

  pointsOf(key: string): number {
    return this.windows.get(key)?.points ?? 0;
  }
}

/** Resolves with 'ok' or the RateLimiterRes it was refused with. */
const attempt = (limiter: Limiter, key: string) =>
  limiter.consume(key).then(
    () => 'ok' as const,
    (reason: unknown) => {
      if (reason instanceof RateLimiterRes) return reason;
      throw reason;
    },
  );

const open: BatchedLimiter[] = [];
const batched = (store: Limiter, points: number) => {
  const limiter = new BatchedLimiter(store, { points, duration: WINDOW_S });
  open.push(limiter);
  return limiter;
};

afterEach(async () => {
  for (const limiter of open.splice(0)) await limiter.close();
});

describe('localAllowance', () => {
  it('is 2 % of the budget, at most 100, and 0 below 50', () => {
    expect([6, 49, 50, 200, 600, 2_400, 5_000, 1_000_000].map(localAllowance)).toEqual([
      0, 0, 1, 4, 12, 48, 100, 100,
    ]);
  });
});

describe('BatchedLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends every call of a small budget to the store, as before', async () => {
    const store = new FakeStore(6);
    const limiter = batched(store, 6);
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await attempt(limiter, 'a'));
    expect(results.slice(0, 6)).toEqual(Array(6).fill('ok'));
    expect(results[6]).toBeInstanceOf(RateLimiterRes);
    expect(store.calls).toHaveLength(8);
    expect(store.calls.every((c) => c.points === 1)).toBe(true);
  });

  it('answers within the allowance without asking the store, a key never seen included', async () => {
    const store = new FakeStore(200);
    const limiter = batched(store, 200);
    for (let i = 0; i < 4; i++) expect(await attempt(limiter, 'a')).toBe('ok');
    expect(store.calls).toEqual([]);
    // The call beyond the allowance asks the store itself, with what was counted so far.
    expect(await attempt(limiter, 'a')).toBe('ok');
    expect(store.calls).toEqual([{ key: 'a', points: 5 }]);
    expect(store.pointsOf('a')).toBe(5);
  });

  it('reports unsent points on the timer, and nothing when nothing is unsent', async () => {
    const store = new FakeStore(200);
    const limiter = batched(store, 200);
    await attempt(limiter, 'a');
    await attempt(limiter, 'a');
    await attempt(limiter, 'b');
    expect(store.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
    expect(store.calls).toEqual([
      { key: 'a', points: 2 },
      { key: 'b', points: 1 },
    ]);
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS * 4);
    expect(store.calls).toHaveLength(2);
  });

  it('refuses once the known count plus its own would exceed the budget, until the window ends', async () => {
    const store = new FakeStore(200);
    const limiter = batched(store, 200);
    // Other instances spent 198 of the window.
    store.count('a', 198);
    expect(await attempt(limiter, 'a')).toBe('ok');
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
    expect(store.pointsOf('a')).toBe(199);
    expect(await attempt(limiter, 'a')).toBe('ok');
    await vi.advanceTimersByTimeAsync(10_000);
    const calls = store.calls.length;
    const refused = await attempt(limiter, 'a');
    expect(refused).toBeInstanceOf(RateLimiterRes);
    // The store's window started 10.25 s ago: that is what the client is told to wait for.
    expect((refused as RateLimiterRes).msBeforeNext).toBe(WINDOW_S * 1000 - 10_000 - REPORT_INTERVAL_MS);
    expect(store.calls).toHaveLength(calls);
  });

  it('takes the store refusal of a report as the known count', async () => {
    const store = new FakeStore(200);
    const limiter = batched(store, 200);
    store.count('a', 197);
    for (let i = 0; i < 4; i++) expect(await attempt(limiter, 'a')).toBe('ok');
    // 197 + 5 > 200: the store refuses the call that carries the batch.
    const refused = await attempt(limiter, 'a');
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect((refused as RateLimiterRes).msBeforeNext).toBe(WINDOW_S * 1000);
    expect(store.calls).toHaveLength(1);
    expect(await attempt(limiter, 'a')).toBeInstanceOf(RateLimiterRes);
    expect(store.calls).toHaveLength(1);
  });

  it('starts from 0 once the known window ended', async () => {
    const store = new FakeStore(200);
    const limiter = batched(store, 200);
    store.count('a', 200);
    await attempt(limiter, 'a');
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
    expect(await attempt(limiter, 'a')).toBeInstanceOf(RateLimiterRes);
    await vi.advanceTimersByTimeAsync(WINDOW_S * 1000);
    const calls = store.calls.length;
    expect(await attempt(limiter, 'a')).toBe('ok');
    expect(store.calls).toHaveLength(calls);
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
    expect(store.pointsOf('a')).toBe(1);
  });

  it('forgets keys whose window ended', async () => {
    const store = new FakeStore(200);
    const limiter = batched(store, 200);
    for (let i = 0; i < 1_000; i++) await attempt(limiter, `client-${i}`);
    expect(limiter.size).toBe(1_000);
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
    // Still known: the store's counts of the window.
    expect(limiter.size).toBe(1_000);
    await vi.advanceTimersByTimeAsync(WINDOW_S * 1000 + REPORT_INTERVAL_MS);
    expect(limiter.size).toBe(0);
  });

  it('keeps the points of a failed report for the next one; the call that failed fails as before', async () => {
    const store = new FakeStore(200);
    const limiter = batched(store, 200);
    for (let i = 0; i < 3; i++) await attempt(limiter, 'a');
    store.failWith = new Error('store broke');
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
    expect(store.calls).toEqual([{ key: 'a', points: 3 }]);
    await attempt(limiter, 'a');
    await expect(limiter.consume('a')).rejects.toThrow('store broke');
    store.failWith = undefined;
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
    // 3 + 1 admitted here reach the store; the failed call's own point does not.
    expect(store.pointsOf('a')).toBe(4);
  });

  it('reports pending points on close, then stops its timer', async () => {
    const store = new FakeStore(200);
    const limiter = batched(store, 200);
    for (let i = 0; i < 3; i++) await attempt(limiter, 'a');
    await attempt(limiter, 'b');
    await limiter.close();
    expect(store.pointsOf('a')).toBe(3);
    expect(store.pointsOf('b')).toBe(1);
    const calls = store.calls.length;
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS * 4);
    expect(store.calls).toHaveLength(calls);
  });

  it('close waits for a hanging store at most a bounded time', async () => {
    const hanging: Limiter = {
      consume: () => new Promise<RateLimiterRes>(() => undefined),
      reward: async () => new RateLimiterRes(),
      delete: async () => true,
    };
    const limiter = batched(hanging, 200);
    await attempt(limiter, 'a');
    let closed = false;
    void limiter.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(closed).toBe(true);
  });

  it('never admits more than the allowance without the store, however many calls wait for it', async () => {
    // A store that answers only when told to: the calls beyond the allowance pile up meanwhile.
    const store = new FakeStore(200);
    const waiting: (() => void)[] = [];
    const slow: Limiter = {
      consume: (key, points) =>
        new Promise((resolve, reject) => {
          waiting.push(() => store.consume(key, points).then(resolve, reject));
        }),
      reward: async () => new RateLimiterRes(),
      delete: async () => true,
    };
    const limiter = batched(slow, 200);
    let admitted = 0;
    const calls = Array.from({ length: 20 }, () =>
      limiter.consume('a').then(() => {
        admitted++;
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(admitted).toBe(4);
    expect(waiting).toHaveLength(16);
    for (const answer of waiting) answer();
    await Promise.all(calls);
    expect(admitted).toBe(20);
    expect(store.pointsOf('a')).toBe(20);
  });

  it('two instances on one store exceed a budget of 200 by at most 2 × 4', async () => {
    for (let round = 0; round < 20; round++) {
      const store = new FakeStore(200);
      const pair = [batched(store, 200), batched(store, 200)];
      let admitted = 0;
      for (let i = 0; i < 300; i++) {
        // Uneven traffic and timer ticks in between, differently each round.
        const limiter = pair[(i * (round + 1)) % 7 < 3 ? 0 : 1]!;
        if ((await attempt(limiter, 'a')) === 'ok') admitted++;
        if ((i + round) % 11 === 0) await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
      }
      expect(admitted, `round ${round}`).toBeGreaterThanOrEqual(200);
      // An instance that never saw the key may still admit its allowance before it asks the store.
      await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
      for (const limiter of pair) {
        for (let i = 0; i < 4; i++) if ((await attempt(limiter, 'a')) === 'ok') admitted++;
        expect(await attempt(limiter, 'a'), `round ${round}`).toBeInstanceOf(RateLimiterRes);
      }
      expect(admitted, `round ${round}`).toBeLessThanOrEqual(208);
    }
  });
});

describe('BatchedLimiter over a store that is away', () => {
  it('reports into the insurance limiter: logged once, the budget still holds in this instance', async () => {
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
    // Nothing listens on port 1: every connection is refused at once.
    const store = await openLimiterStore({
      kind: 'postgres',
      databaseUrl: 'postgres://postgres@127.0.0.1:1/none',
      connectTimeoutMs: 500,
      logger,
    });
    try {
      const limiter = batched(
        store.limiter({ keyPrefix: 'test-away', points: 200, duration: WINDOW_S }),
        200,
      );
      const results = [];
      for (let i = 0; i < 220; i++) results.push(await attempt(limiter, 'a'));
      expect(results.filter((r) => r === 'ok')).toHaveLength(200);
      expect(results.slice(200).every((r) => r instanceof RateLimiterRes)).toBe(true);
      expect(store.degraded).toBe(true);
      expect(logs.filter((line) => line.includes('rate-limit store unreachable'))).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
