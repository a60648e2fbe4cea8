import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ErrorCode, HubError } from '../../errors.js';

/**
 * Failed sign-ins are limited per account (e-mail) and per client address: after `maxFailures`
 * failures the key is blocked for `blockSeconds`. In memory: each hub instance counts on its own,
 * which bounds guessing per instance (a shared store is a later hardening step).
 */
export class LoginGuard {
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(maxFailures: number, blockSeconds: number) {
    this.perAccount = new RateLimiterMemory({ points: maxFailures, duration: blockSeconds });
    // One address may serve many people (a counselling office behind one NAT): more room there.
    this.perAddress = new RateLimiterMemory({ points: maxFailures * 4, duration: blockSeconds });
  }

  async assertAllowed(email: string, address: string): Promise<void> {
    const [account, client] = await Promise.all([this.perAccount.get(email), this.perAddress.get(address)]);
    const blocked = [
      [account, this.perAccount.points],
      [client, this.perAddress.points],
    ] as const;
    const waits = blocked
      .filter(([res, points]) => res !== null && res.consumedPoints >= points)
      .map(([res]) => res!.msBeforeNext);
    if (waits.length > 0) {
      const retryAfterSeconds = Math.ceil(Math.max(...waits) / 1000);
      throw new HubError(
        ErrorCode.RATE_LIMITED,
        `Too many failed sign-ins. Try again in ${retryAfterSeconds} s.`,
        {
          retryAfterSeconds,
        },
      );
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([this.perAccount.penalty(email, 1), this.perAddress.penalty(address, 1)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.perAccount.delete(email);
  }
}
