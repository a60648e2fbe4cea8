import { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode, HubError } from '../../errors.js';
import type { Limiter, LimiterStore } from '../../limits/limiter-store.js';

/**
 * Sign-in attempts are counted per account (e-mail) and per client address BEFORE the password is
 * checked, so parallel guesses cannot slip past the limit; a successful sign-in gives its attempt back.
 * The counters live in the shared limiter store (PostgreSQL or Redis), so guesses spread over several
 * instances add up.
 */
export class LoginGuard {
  private readonly perAccount: Limiter;
  private readonly perAddress: Limiter;

  constructor(store: LimiterStore, maxFailures: number, blockSeconds: number) {
    this.perAccount = store.limiter({
      keyPrefix: 'login-account',
      points: maxFailures,
      duration: blockSeconds,
    });
    // One address may serve many people (a counselling office behind one NAT): more room there.
    this.perAddress = store.limiter({
      keyPrefix: 'login-address',
      points: maxFailures * 4,
      duration: blockSeconds,
    });
  }

  /** Counts one attempt; RATE_LIMITED (with retryAfterSeconds) once either budget is spent. */
  async begin(email: string, address: string): Promise<void> {
    const results = await Promise.allSettled([
      this.perAccount.consume(email),
      this.perAddress.consume(address),
    ]);
    const refused = results.flatMap((r) =>
      r.status === 'rejected' && r.reason instanceof RateLimiterRes ? [r.reason] : [],
    );
    const failed = results.find((r) => r.status === 'rejected' && !(r.reason instanceof RateLimiterRes));
    if (failed && failed.status === 'rejected') throw failed.reason;
    if (refused.length > 0) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil(Math.max(...refused.map((r) => r.msBeforeNext)) / 1000),
      );
      throw new HubError(
        ErrorCode.RATE_LIMITED,
        `Too many sign-in attempts. Try again in ${retryAfterSeconds} s.`,
        {
          retryAfterSeconds,
        },
      );
    }
  }

  async succeeded(email: string, address: string): Promise<void> {
    await Promise.all([this.perAccount.delete(email), this.perAddress.reward(address, 1)]);
  }
}

declare module '../../context.js' {
  interface ContextDeps {
    /** Counts wrong passwords per account and address (login). */
    loginGuard: LoginGuard;
  }
}
