import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Role } from '../src/domain/enums.js';
import { ACCOUNT_ACCESS_CHANGED } from '../src/events/emit.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { testTokens } from './helpers/tokens.js';

/**
 * authenticate's account check is remembered per instance and dropped on account.access_changed (outbox
 * triggers on account and organisation): a change written beside the hubs (psql, here a pg client)
 * counts on every instance as soon as its event arrives, and the cache is not used while the event
 * listener is away.
 */

const ME = '{ me { account { id } roles } }';
const ACCOUNT_STATEMENT = 'select a.roles, a.active and o.active as active';
const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

interface Who {
  accountId: string;
  organisationId: string;
  roles: Role[];
  token: string;
}

let a: TestHub;
let b: TestHub;
let db: pg.Client;
/** Active accounts of active organisations, one per organisation: tests never share an organisation. */
let spare: Omit<Who, 'token'>[];

beforeAll(async () => {
  a = await startTestHub('account_access_a');
  b = await startTestHub('account_access_b', { database: a.database });
  db = new pg.Client({ connectionString: a.database.url });
  db.on('error', () => undefined);
  await db.connect();
  const { rows } = await db.query<{ id: string; organisation_id: string; roles: Role[] }>(
    `select distinct on (a.organisation_id) a.id, a.organisation_id, a.roles
       from account a join organisation o on o.id = a.organisation_id
      where a.active and o.active and cardinality(a.roles) >= 2
      order by a.organisation_id, a.email`,
  );
  spare = rows.map((r) => ({ accountId: r.id, organisationId: r.organisation_id, roles: r.roles }));
});

afterAll(async () => {
  await db?.end().catch(() => undefined);
  await b?.stop();
  await a?.stop();
});

/** An account (of an organisation no other test uses) and a token for its roles. */
async function someone(roles?: (held: Role[]) => Role[]): Promise<Who> {
  const who = spare.shift();
  if (!who) throw new Error('no spare account left');
  const claimed = roles ? roles(who.roles) : who.roles;
  const { token } = await testTokens.sign({ ...who, roles: claimed });
  return { ...who, roles: claimed, token };
}

const me = (hub: TestHub, who: Who) => hub.gql<any>(ME, {}, { token: who.token });

/** The code of the first answer that is not `unlike` within ~2 s (the event's way), else of the last one. */
async function settles(hub: TestHub, who: Who, unlike: string | undefined): Promise<string | undefined> {
  const until = Date.now() + 2_000;
  for (;;) {
    const code = codeOf(await me(hub, who));
    if (code !== unlike || Date.now() > until) return code;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const accountStatements = (hub: TestHub) =>
  hub.statements.filter((s) => s.includes(ACCOUNT_STATEMENT)).length;

describe('the account check cache', () => {
  it('runs the account statement once for repeated requests with one token, per instance', async () => {
    const who = await someone();
    a.statements.length = 0;
    b.statements.length = 0;
    for (let i = 0; i < 5; i++) {
      expect((await me(a, who)).errors).toBeUndefined();
      expect((await me(b, who)).errors).toBeUndefined();
    }
    expect(accountStatements(a)).toBe(1);
    expect(accountStatements(b)).toBe(1);
  });

  it('writes account.access_changed only when a checked column changes', async () => {
    const who = await someone();
    const count = async () =>
      Number(
        (await db.query(`select count(*) as n from domain_event where type = $1`, [ACCOUNT_ACCESS_CHANGED]))
          .rows[0].n,
      );
    const before = await count();
    await db.query(`update account set display_name = display_name || '' where id = $1`, [who.accountId]);
    await db.query(`update account set active = active where id = $1`, [who.accountId]);
    await db.query(`update organisation set name = name || '' where id = $1`, [who.organisationId]);
    expect(await count()).toBe(before);
    await db.query(`update account set active = false where id = $1`, [who.accountId]);
    await db.query(`update account set active = true where id = $1`, [who.accountId]);
    await db.query(`update organisation set active = false where id = $1`, [who.organisationId]);
    await db.query(`update organisation set active = true where id = $1`, [who.organisationId]);
    const { rows } = await db.query(
      `select payload from domain_event where type = $1 order by id desc limit 4`,
      [ACCOUNT_ACCESS_CHANGED],
    );
    expect(rows.map((r) => r.payload).reverse()).toEqual([
      { accountId: who.accountId },
      { accountId: who.accountId },
      { organisationId: who.organisationId },
      { organisationId: who.organisationId },
    ]);
  });

  it('refuses a deactivated account on both instances once the event arrives, and serves it again after', async () => {
    const who = await someone();
    for (const hub of [a, b]) expect((await me(hub, who)).errors).toBeUndefined();
    await db.query('update account set active = false where id = $1', [who.accountId]);
    for (const hub of [a, b]) expect(await settles(hub, who, undefined)).toBe('UNAUTHENTICATED');
    const refused = await me(b, who);
    expect(refused.errors?.[0]?.message).toBe('The account behind this token is unknown or deactivated.');
    await db.query('update account set active = true where id = $1', [who.accountId]);
    for (const hub of [a, b]) expect(await settles(hub, who, 'UNAUTHENTICATED')).toBeUndefined();
  });

  it('refuses every account of a deactivated organisation on both instances', async () => {
    const who = await someone();
    for (const hub of [a, b]) expect((await me(hub, who)).errors).toBeUndefined();
    await db.query('update organisation set active = false where id = $1', [who.organisationId]);
    for (const hub of [a, b]) expect(await settles(hub, who, undefined)).toBe('UNAUTHENTICATED');
    await db.query('update organisation set active = true where id = $1', [who.organisationId]);
    for (const hub of [a, b]) expect(await settles(hub, who, 'UNAUTHENTICATED')).toBeUndefined();
  });

  it('refuses a token whose only role was taken away, on both instances', async () => {
    const who = await someone((held) => [held[0]!]);
    const role = who.roles[0]!;
    for (const hub of [a, b]) expect((await me(hub, who)).data.me.roles).toEqual([role]);
    await db.query('update account set roles = array_remove(roles, $2) where id = $1', [who.accountId, role]);
    for (const hub of [a, b]) expect(await settles(hub, who, undefined)).toBe('UNAUTHENTICATED');
    expect((await me(a, who)).errors?.[0]?.message).toBe(
      'The account no longer holds any role of this token.',
    );
    await db.query('update account set roles = array_append(roles, $2) where id = $1', [who.accountId, role]);
    for (const hub of [a, b]) expect(await settles(hub, who, 'UNAUTHENTICATED')).toBeUndefined();
  });

  it('refuses a deactivated account at WebSocket connection_init on the other instance', async () => {
    const who = await someone();
    const connect = () =>
      new Promise<number | 'open'>((resolve) => {
        const client = createClient({
          url: b.graphqlUrl.replace('http', 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => undefined,
          connectionParams: { authorization: `Bearer ${who.token}` },
          on: {
            connected: () => {
              resolve('open');
              void client.dispose();
            },
            closed: (event) => resolve((event as { code: number }).code),
          },
        });
      });
    expect(await connect()).toBe('open');
    await db.query('update account set active = false where id = $1', [who.accountId]);
    expect(await settles(a, who, undefined)).toBe('UNAUTHENTICATED');
    // The event has reached instance a; b reads the same outbox, so it is there by now or very soon.
    const until = Date.now() + 2_000;
    let outcome = await connect();
    while (outcome === 'open' && Date.now() < until) outcome = await connect();
    expect(outcome).toBe(4403);
  });

  it('does not answer from memory while the event listener is away', async () => {
    const who = await someone();
    expect((await me(a, who)).errors).toBeUndefined();
    expect(a.hub.accounts.size).toBeGreaterThan(0);
    await db.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'hub-event-listener' and datname = current_database()`,
    );
    const until = Date.now() + 2_000;
    while (a.hub.bus.connected && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
    expect(a.hub.bus.connected).toBe(false);
    // Emptied at once, before the listener is back to read what it missed.
    expect(a.hub.accounts.size).toBe(0);
    await db.query('update account set active = false where id = $1', [who.accountId]);
    expect(codeOf(await me(a, who))).toBe('UNAUTHENTICATED');
    await db.query('update account set active = true where id = $1', [who.accountId]);
    expect((await me(a, who)).errors).toBeUndefined();
    // Back and listening, and past what it missed: remembered again.
    const { rows } = await db.query<{ max: string }>('select max(id) as max from domain_event');
    const missed = Number(rows[0]!.max);
    while (
      !(a.hub.bus.connected && (a.hub.bus.stats.lastDeliveredId ?? 0) >= missed) &&
      Date.now() < until + 5_000
    )
      await new Promise((r) => setTimeout(r, 10));
    a.statements.length = 0;
    for (let i = 0; i < 3; i++) expect((await me(a, who)).errors).toBeUndefined();
    expect(accountStatements(a)).toBe(1);
  });
});

describe('the TTL', () => {
  let c: TestHub;
  beforeAll(async () => {
    c = await startTestHub('account_access_c', { database: a.database, env: { AUTH_CACHE_TTL_MS: '400' } });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('reads the account again once an entry is older than AUTH_CACHE_TTL_MS', async () => {
    const who = await someone();
    c.statements.length = 0;
    for (let i = 0; i < 3; i++) expect((await me(c, who)).errors).toBeUndefined();
    expect(accountStatements(c)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await me(c, who)).errors).toBeUndefined();
    expect(accountStatements(c)).toBe(2);
  });

  it('bounds how long a change without an event counts: at most the TTL', async () => {
    const who = await someone();
    expect((await me(c, who)).errors).toBeUndefined();
    // A change the triggers do not see (as if its event were lost).
    await db.query('alter table account disable trigger account_access_changed');
    try {
      await db.query('update account set active = false where id = $1', [who.accountId]);
      const changed = Date.now();
      let code: string | undefined;
      while (code === undefined && Date.now() - changed < 3_000) {
        code = codeOf(await me(c, who));
        if (code === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(code).toBe('UNAUTHENTICATED');
      expect(Date.now() - changed).toBeLessThan(1_500);
    } finally {
      await db.query('alter table account enable trigger account_access_changed');
    }
  });

  it('is off with AUTH_CACHE_TTL_MS=0: one statement per request', async () => {
    const off = await startTestHub('account_access_off', {
      database: a.database,
      env: { AUTH_CACHE_TTL_MS: '0' },
    });
    try {
      const who = await someone();
      off.statements.length = 0;
      for (let i = 0; i < 3; i++) expect((await me(off, who)).errors).toBeUndefined();
      expect(accountStatements(off)).toBe(3);
      expect(off.hub.accounts.size).toBe(0);
    } finally {
      await off.stop();
    }
  });
});
