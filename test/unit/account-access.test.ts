import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { AccountAccessCache } from '../../src/auth/account-access.js';
import { Role } from '../../src/domain/enums.js';
import { ACCOUNT_ACCESS_CHANGED } from '../../src/events/emit.js';
import type { HubEvent } from '../../src/events/event-bus.js';

/** A bus whose events and connection the test drives. */
function fakeBus() {
  const listeners = new Set<(event: HubEvent) => void>();
  const watchers = new Set<(connected: boolean) => void>();
  let id = 0;
  return {
    connected: true,
    subscribe(listener: (event: HubEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnectionChange(listener: (connected: boolean) => void) {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    emit(type: string, payload: Record<string, unknown>) {
      for (const l of listeners) l({ id: ++id, type, occurredAt: new Date(), payload });
    },
    setConnected(connected: boolean) {
      this.connected = connected;
      for (const w of watchers) w(connected);
    },
  };
}

/** An em whose account statement answers from `rows` and counts itself; `hold` keeps the next read open. */
function fakeDatabase() {
  const rows = new Map<string, { roles: Role[]; active: boolean; organisation_id: string }>();
  const db = {
    rows,
    reads: 0,
    hold: undefined as Promise<void> | undefined,
    em: {
      getConnection: () => ({
        execute: async (_sql: string, [id]: [string]) => {
          db.reads++;
          const row = rows.get(id);
          const answer = row ? [{ ...row }] : [];
          const held = db.hold;
          db.hold = undefined;
          await held;
          return answer;
        },
      }),
    } as unknown as EntityManager,
  };
  return db;
}

const ORG = randomUUID();
const OTHER_ORG = randomUUID();

function setup(options: { ttlMs?: number; max?: number } = {}) {
  const bus = fakeBus();
  const db = fakeDatabase();
  const cache = new AccountAccessCache(bus, { ttlMs: options.ttlMs ?? 30_000, max: options.max });
  const account = (organisationId = ORG) => {
    const id = randomUUID();
    db.rows.set(id, { roles: [Role.PARTNER_STAFF], active: true, organisation_id: organisationId });
    return id;
  };
  return { bus, db, cache, account };
}

describe('the account check cache', () => {
  it('reads an account once and answers it from memory after', async () => {
    const { db, cache, account } = setup();
    const id = account();
    for (let i = 0; i < 3; i++)
      expect(await cache.get(db.em, id)).toEqual({
        roles: [Role.PARTNER_STAFF],
        active: true,
        organisationId: ORG,
      });
    expect(db.reads).toBe(1);
  });

  it('does not remember an unknown account (its insert sends no event)', async () => {
    const { db, cache } = setup();
    const id = randomUUID();
    expect(await cache.get(db.em, id)).toBeUndefined();
    expect(await cache.get(db.em, id)).toBeUndefined();
    expect(db.reads).toBe(2);
  });

  it('drops an account on its event, and every account of an organisation on the organisation’s', async () => {
    const { bus, db, cache, account } = setup();
    const [one, two, elsewhere] = [account(), account(), account(OTHER_ORG)];
    for (const id of [one, two, elsewhere]) await cache.get(db.em, id);
    bus.emit('places.changed', { accountId: one, organisationId: ORG });
    expect(cache.size).toBe(3);
    bus.emit(ACCOUNT_ACCESS_CHANGED, { accountId: one });
    expect(cache.size).toBe(2);
    db.rows.get(two)!.active = false;
    bus.emit(ACCOUNT_ACCESS_CHANGED, { organisationId: ORG });
    expect(cache.size).toBe(1);
    expect((await cache.get(db.em, two))?.active).toBe(false);
    db.reads = 0;
    await cache.get(db.em, elsewhere);
    expect(db.reads).toBe(0);
  });

  it('does not remember a read that was under way when a change arrived', async () => {
    const { bus, db, cache, account } = setup();
    const id = account();
    let release!: () => void;
    db.hold = new Promise((resolve) => {
      release = resolve;
    });
    const reading = cache.get(db.em, id);
    // The row was read before the change committed; its event comes before the answer.
    db.rows.get(id)!.active = false;
    bus.emit(ACCOUNT_ACCESS_CHANGED, { accountId: id });
    release();
    expect((await reading)?.active).toBe(true);
    expect((await cache.get(db.em, id))?.active).toBe(false);
    expect(db.reads).toBe(2);
  });

  it('is emptied when the bus stops listening and not used until it listens again', async () => {
    const { bus, db, cache, account } = setup();
    const id = account();
    await cache.get(db.em, id);
    bus.setConnected(false);
    expect(cache.size).toBe(0);
    db.rows.get(id)!.active = false;
    expect((await cache.get(db.em, id))?.active).toBe(false);
    await cache.get(db.em, id);
    expect(cache.size).toBe(0);
    expect(db.reads).toBe(3);
    // A read begun while listening that ends after the connection was lost is not kept either.
    bus.setConnected(true);
    let release!: () => void;
    db.hold = new Promise((resolve) => {
      release = resolve;
    });
    const reading = cache.get(db.em, id);
    bus.setConnected(false);
    bus.setConnected(true);
    release();
    await reading;
    expect(cache.size).toBe(0);
    await cache.get(db.em, id);
    expect(cache.size).toBe(1);
  });

  it('forgets an entry after the TTL', async () => {
    const { db, cache, account } = setup({ ttlMs: 50 });
    const id = account();
    await cache.get(db.em, id);
    await cache.get(db.em, id);
    expect(db.reads).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await cache.get(db.em, id);
    expect(db.reads).toBe(2);
  });

  it('keeps at most `max` accounts, dropping the least recently used', async () => {
    const { db, cache, account } = setup({ max: 2 });
    const [one, two, three] = [account(), account(), account()];
    await cache.get(db.em, one);
    await cache.get(db.em, two);
    await cache.get(db.em, one);
    await cache.get(db.em, three);
    expect(cache.size).toBe(2);
    db.reads = 0;
    await cache.get(db.em, one);
    await cache.get(db.em, three);
    expect(db.reads).toBe(0);
    await cache.get(db.em, two);
    expect(db.reads).toBe(1);
  });

  it('reads every time with a TTL of 0, and stops listening on stop()', async () => {
    const off = setup({ ttlMs: 0 });
    const id = off.account();
    await off.cache.get(off.db.em, id);
    await off.cache.get(off.db.em, id);
    expect(off.db.reads).toBe(2);
    const on = setup();
    const other = on.account();
    await on.cache.get(on.db.em, other);
    on.cache.stop();
    expect(on.cache.size).toBe(0);
  });
});
