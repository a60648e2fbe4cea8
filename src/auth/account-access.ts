import type { EntityManager } from '@mikro-orm/postgresql';
import { LRUCache } from 'lru-cache';
import type { Role } from '../domain/enums.js';
import { ACCOUNT_ACCESS_CHANGED } from '../events/emit.js';
import type { EventBus } from '../events/event-bus.js';

/** What authenticate checks of the account behind a token. */
export interface AccountAccess {
  roles: Role[];
  /** The account and its organisation are both active. */
  active: boolean;
  organisationId: string;
}

/**
 * Accounts remembered per instance. Far more than the accounts of one alliance, and an entry is a few
 * hundred bytes: the bound only matters against tokens of very many accounts.
 */
export const ACCOUNT_ACCESS_MAX_ENTRIES = 10_000;

/** The one statement that answers authenticate: account and organisation as a plain row. */
export async function readAccountAccess(
  em: EntityManager,
  accountId: string,
): Promise<AccountAccess | undefined> {
  const [row] = await em
    .getConnection()
    .execute<{ roles: Role[]; active: boolean; organisation_id: string }[]>(
      `select a.roles, a.active and o.active as active, a.organisation_id
       from account a join organisation o on o.id = a.organisation_id
      where a.id = ?`,
      [accountId],
    );
  return row && { roles: row.roles, active: row.active, organisationId: row.organisation_id };
}

/**
 * readAccountAccess remembered per account, because that statement was a large share of a cheap
 * authenticated request (≈ 0.5 ms of the hub's CPU per request, mostly the round trip).
 *
 * Kept correct across instances by the outbox: triggers on account and organisation write an
 * account.access_changed event with every change of what is checked (Migration20261212100000), each
 * instance's bus delivers it, and the affected entries are dropped. The TTL bounds what a change could
 * be missed for (a listener whose connection died silently). While the bus is not listening, events
 * arrive only after its reconnect: the cache is emptied then and not used until the bus listens again.
 *
 * A read that was under way while any such event arrived is not remembered: it may have seen the row
 * from before the change (one counter for all accounts; these events are rare).
 */
export class AccountAccessCache {
  private readonly entries?: LRUCache<string, AccountAccess>;
  private generation = 0;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly bus: Pick<EventBus, 'subscribe' | 'onConnectionChange' | 'connected'>,
    options: { ttlMs: number; max?: number },
  ) {
    if (options.ttlMs <= 0) return;
    const entries = new LRUCache<string, AccountAccess>({
      max: options.max ?? ACCOUNT_ACCESS_MAX_ENTRIES,
      ttl: options.ttlMs,
    });
    this.entries = entries;
    this.unsubscribe.push(
      bus.subscribe((event) => {
        if (event.type !== ACCOUNT_ACCESS_CHANGED) return;
        this.generation++;
        const { accountId, organisationId } = event.payload;
        if (typeof accountId === 'string') entries.delete(accountId);
        if (typeof organisationId === 'string') {
          const ofOrganisation = [...entries.entries()].filter(
            ([, a]) => a.organisationId === organisationId,
          );
          for (const [id] of ofOrganisation) entries.delete(id);
        }
      }),
      bus.onConnectionChange(() => {
        this.generation++;
        entries.clear();
      }),
    );
  }

  /** The account's access, from memory when that can be trusted, else read with `em`. */
  async get(em: EntityManager, accountId: string): Promise<AccountAccess | undefined> {
    if (!this.entries || !this.bus.connected) return readAccountAccess(em, accountId);
    const known = this.entries.get(accountId);
    if (known) return known;
    const generation = this.generation;
    const access = await readAccountAccess(em, accountId);
    // An unknown account is not remembered: account inserts send no event.
    if (access && generation === this.generation && this.bus.connected) this.entries.set(accountId, access);
    return access;
  }

  /** Remembered accounts (tests). */
  get size(): number {
    return this.entries?.size ?? 0;
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.entries?.clear();
  }
}
