import { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode, HubError } from '../../errors.js';
import type { Limiter, LimiterStore } from '../../limits/limiter-store.js';
import type { Logger } from '../../logger.js';
import { confirmationMail } from './mail-content.js';
import type { MailTransport } from './mail-transport.js';
import type { SavedSearch } from './saved-search.entity.js';
import type { PublicSaving } from './saved-search.service.js';

/**
 * Searches saved without an account send a confirmation mail to any address typed in: counted per client
 * address and per e-mail, in the shared limiter store (all instances), before anything is stored or sent,
 * so the form cannot be used to flood someone's inbox.
 */
export class PublicSaveGuard {
  private readonly perAddress: Limiter;
  private readonly perEmail: Limiter;

  constructor(store: LimiterStore) {
    // A counselling office behind one address saves for several young people: some room per address.
    this.perAddress = store.limiter({ keyPrefix: 'saved-search-address', points: 10, duration: 3_600 });
    // An inbox gets at most three confirmation requests a day, whoever asks.
    this.perEmail = store.limiter({ keyPrefix: 'saved-search-email', points: 3, duration: 86_400 });
  }

  async admit(email: string, address: string): Promise<void> {
    const results = await Promise.allSettled([
      this.perAddress.consume(address),
      this.perEmail.consume(email.toLowerCase()),
    ]);
    const failed = results.find((r) => r.status === 'rejected' && !(r.reason instanceof RateLimiterRes));
    if (failed && failed.status === 'rejected') throw failed.reason;
    const refused = results.flatMap((r) =>
      r.status === 'rejected' && r.reason instanceof RateLimiterRes ? [r.reason] : [],
    );
    if (refused.length === 0) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...refused.map((r) => r.msBeforeNext)) / 1000));
    throw new HubError(
      ErrorCode.RATE_LIMITED,
      `Too many saved searches from here. Try again in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    );
  }
}

/** Saving without an account: the limits, then the double opt-in mail with its signed confirm link. */
export class SavedSearchSignup implements PublicSaving {
  private readonly guard: PublicSaveGuard;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    store: LimiterStore,
    readonly transport: MailTransport,
    private readonly logger: Logger,
  ) {
    this.guard = new PublicSaveGuard(store);
  }

  admit(email: string, address: string): Promise<void> {
    return this.guard.admit(email, address);
  }

  /** Sent beside the answer: a slow mail server must not hold up the mutation. */
  async sendConfirmation(search: SavedSearch): Promise<void> {
    const sending = this.confirm(search).finally(() => this.sending.delete(sending));
    this.sending.add(sending);
  }

  /** Waits for confirmation mails under way (the hub's stop). */
  async settle(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  private async confirm(search: SavedSearch): Promise<void> {
    if (!search.email) return;
    const content = confirmationMail(search, this.transport.confirmUrl(search.id));
    try {
      await this.transport.send({
        ...content,
        to: search.email,
        messageId: `<saved-search.${search.id}.confirm@${this.transport.messageDomain}>`,
      });
    } catch (error) {
      // The search stays unconfirmed (and silent); saving it again sends a new confirmation.
      this.logger.warn({ err: error, savedSearchId: search.id }, 'confirmation mail could not be sent');
    }
  }
}

declare module '../../context.js' {
  interface ContextDeps {
    /** Saving searches without an account (limits, confirmation mail) and the links of the mails. */
    savedSearches: SavedSearchSignup;
  }
}
