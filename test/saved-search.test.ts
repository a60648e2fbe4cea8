import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { placesOf } from './helpers/places.js';

/**
 * Saved searches with e-mail, end to end: mutations over HTTP, places freed through the API, the outbox's
 * fan-out recording hits, the mail worker sending through a real SMTP server in this process, and the
 * links of the mails answered by the hub without signing in.
 */

const BASE = 'https://hub.example';

interface Mail {
  to: string[];
  headers: Map<string, string>;
  text: string;
  html: string;
}

/** Just enough MIME for nodemailer's output: headers unfolded, parts decoded (quoted-printable, base64). */
function parseMail(raw: string, to: string[]): Mail {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head!.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const cut = line.indexOf(':');
    if (cut > 0) headers.set(line.slice(0, cut).toLowerCase(), line.slice(cut + 1).trim());
  }
  const body = rest.join('\n\n');
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [`${head}\n\n${body}`];
  const decoded: Record<string, string> = {};
  for (const part of parts) {
    const [partHead, ...partBody] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    const content = partBody.join('\n\n');
    const type = /content-type:\s*([\w/]+)/i.exec(partHead!)?.[1]?.toLowerCase() ?? 'text/plain';
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(partHead!)?.[1]?.toLowerCase();
    decoded[type] =
      encoding === 'base64'
        ? Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8')
        : encoding === 'quoted-printable'
          ? Buffer.from(
              content
                .replace(/=\r?\n/g, '')
                .replace(/=([0-9A-F]{2})/g, (_m, hex: string) =>
                  String.fromCharCode(Number.parseInt(hex, 16)),
                ),
              'latin1',
            ).toString('utf8')
          : content;
  }
  return { to, headers, text: decoded['text/plain'] ?? '', html: decoded['text/html'] ?? '' };
}

let smtp: SMTPServer;
const mails: Mail[] = [];
/** Message-IDs of every mail the hub tried to send, refused ones included. */
const attempted: string[] = [];
let refuse = false;

let t: TestHub;
let f: PartnerFixture;
let db: pg.Client;
let caseManager: string;
const tokens: Record<string, string> = {};
const emails: Record<string, string> = {};

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = parseMail(
          Buffer.concat(chunks).toString('utf8'),
          session.envelope.rcptTo.map((r) => r.address),
        );
        attempted.push(mail.headers.get('message-id') ?? '');
        if (refuse) {
          callback(Object.assign(new Error('mailbox busy'), { responseCode: 451 }));
          return;
        }
        mails.push(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  t = await startTestHub('saved-search', {
    seed: false,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Bündnis Hub <hub@hub.example>',
      PUBLIC_BASE_URL: BASE,
      // The test runs the rounds itself (runOnce), besides the wake-ups after recorded hits.
      SAVED_SEARCH_MAIL_INTERVAL_MS: '3600000',
    },
  });
  f = await createPartnerFixture(t.database.url, 'saved-search');
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
  caseManager = await f.token(f.accounts.ownerCaseManager);
  for (const key of ['otherStaff', 'otherEditor', 'otherCaseManager', 'granteeStaff'] as const) {
    tokens[key] = await f.token(f.accounts[key]);
    const { rows } = await db.query<{ email: string }>('select email from account where id = $1', [
      f.accounts[key].id,
    ]);
    emails[key] = rows[0]!.email;
  }
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

beforeEach(() => {
  mails.length = 0;
  attempted.length = 0;
  refuse = false;
});

const SAVE = `mutation($i: SaveSearchInput!) { saveSearch(input: $i) {
  id name filter notify digestIntervalMinutes paused confirmed } }`;
const UPDATE = `mutation($i: UpdateSavedSearchInput!) { updateSavedSearch(input: $i) { id name paused notify } }`;
const DELETE = 'mutation($id: ID!) { deleteSavedSearch(id: $id) }';
const LIST = '{ savedSearches { id name notify } }';

const LANGUAGE_COURSES = { kinds: ['JOB_LANGUAGE_COURSE'] };

async function save(token: string | undefined, input: Record<string, unknown>) {
  const res = await t.gql<any>(SAVE, { i: input }, { token });
  expect(res.errors).toBeUndefined();
  return res.data.saveSearch as { id: string; confirmed: boolean };
}

const { period, reserve, release } = placesOf(() => ({ hub: t, db, fixture: f, caseManager }), 300001);

/** Hands the committed events to the recipients, then runs one mail round (after any woken one). */
async function deliver() {
  await t.hub.fanOut.drain();
  await t.hub.savedSearchMail.runOnce();
}

const until = async (check: () => boolean, ms = 3_000) => {
  const start = Date.now();
  while (!check() && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 20));
  return check();
};
const mailsTo = (address: string) => mails.filter((m) => m.to.includes(address));
const local = (url: string) => url.replace(BASE, t.origin);
const linkIn = (text: string, path: string) =>
  new RegExp(`${BASE.replace(/\./g, '\\.')}${path}\\?token=[\\w.-]+`).exec(text)?.[0];

describe('saved searches', () => {
  it('are saved, listed, changed and deleted by their account; bad input names the field', async () => {
    const token = tokens.granteeStaff!;
    const saved = await save(token, { name: ' Sprachkurse ', filter: LANGUAGE_COURSES, notify: 'EMAIL_NOW' });
    expect(saved).toMatchObject({
      name: 'Sprachkurse',
      filter: LANGUAGE_COURSES,
      notify: 'EMAIL_NOW',
      digestIntervalMinutes: 1440,
      paused: false,
      confirmed: true,
    });
    const list = await t.gql<any>(LIST, {}, { token });
    expect(list.data.savedSearches).toEqual([{ id: saved.id, name: 'Sprachkurse', notify: 'EMAIL_NOW' }]);

    const changed = await t.gql<any>(
      UPDATE,
      { i: { id: saved.id, name: 'B2-Kurse', paused: true, notify: 'EMAIL_DIGEST' } },
      { token },
    );
    expect(changed.data.updateSavedSearch).toEqual({
      id: saved.id,
      name: 'B2-Kurse',
      paused: true,
      notify: 'EMAIL_DIGEST',
    });

    const field = async (input: Record<string, unknown>, mutation = SAVE) => {
      const res = await t.gql<any>(mutation, { i: input }, { token });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const fields = res.errors![0]!.extensions!.fields as { field: string }[];
      return fields.map((x) => x.field);
    };
    const base = { name: 'x', filter: LANGUAGE_COURSES, notify: 'EMAIL_NOW' };
    expect(await field({ ...base, digestIntervalMinutes: 5 })).toEqual(['digestIntervalMinutes']);
    expect(await field({ ...base, digestIntervalMinutes: 43_201 })).toEqual(['digestIntervalMinutes']);
    expect(await field({ id: saved.id, digestIntervalMinutes: 14 }, UPDATE)).toEqual([
      'digestIntervalMinutes',
    ]);
    expect(await field({ ...base, name: '' })).toEqual(['name']);
    expect(await field({ ...base, name: 'x'.repeat(121) })).toEqual(['name']);
    expect(await field({ ...base, name: '   ' })).toEqual(['name']);
    // The filter is checked by the same code as offers(filter): its validators, then its planner.
    expect(
      await field({
        ...base,
        filter: { eligibleFor: { residenceStatus: 'DULDUNG', age: 120, germanLevel: 'A1' } },
      }),
    ).toEqual(['filter.eligibleFor.age']);
    expect(
      await field({ ...base, filter: { startsAfter: '2026-06-01', startsBefore: '2026-01-01' } }),
    ).toEqual(['filter.startsBefore']);
    expect(await field({ ...base, filter: { organisationIds: ['kein-träger'] } })).toEqual([
      'filter.organisationIds[0]',
    ]);
    expect(await field({ id: saved.id, filter: { search: '' } }, UPDATE)).toEqual(['filter.search']);
    expect(await field({ ...base, email: 'someone@example.org' })).toEqual(['email']);

    const deleted = await t.gql<any>(DELETE, { id: saved.id }, { token });
    expect(deleted.data.deleteSavedSearch).toBe(saved.id);
    expect((await t.gql<any>(LIST, {}, { token })).data.savedSearches).toEqual([]);
    expect((await t.gql<any>(LIST)).errors?.[0]?.extensions?.code).toBeDefined();
  });

  it('are no action on the organisation’s data (Me.actions leaves them out)', async () => {
    const me = await t.gql<any>('{ me { actions } }', {}, { token: tokens.otherEditor });
    expect(me.data.me.actions.length).toBeGreaterThan(0);
    expect(me.data.me.actions.filter((a: string) => a.startsWith('savedSearch.'))).toEqual([]);
  });

  it('answers another account’s search exactly like an unknown one, colleagues included', async () => {
    const mine = await save(tokens.otherStaff, { name: 'Meine', filter: LANGUAGE_COURSES, notify: 'NONE' });
    const unknown = randomUUID();
    for (const intruder of [tokens.granteeStaff!, tokens.otherCaseManager!]) {
      expect((await t.gql<any>(LIST, {}, { token: intruder })).data.savedSearches).toEqual([]);
      for (const [id, query, variables] of [
        [mine.id, UPDATE, { i: { id: mine.id, paused: true } }],
        [unknown, UPDATE, { i: { id: unknown, paused: true } }],
        [mine.id, DELETE, { id: mine.id }],
        [unknown, DELETE, { id: unknown }],
      ] as const) {
        const res = await t.gql<any>(query, variables, { token: intruder });
        expect(res.data).toBeNull();
        expect(res.errors).toEqual([
          expect.objectContaining({
            message: `SavedSearch ${id} was not found.`,
            extensions: { code: 'NOT_FOUND', typeName: 'SavedSearch', id },
          }),
        ]);
      }
    }
    const { rows } = await db.query('select paused from saved_search where id = $1', [mine.id]);
    expect(rows).toEqual([{ paused: false }]);
    await t.gql(DELETE, { id: mine.id }, { token: tokens.otherStaff });
  });

  it('mails exactly once with the offer’s link when a place is freed', async () => {
    const search = await save(tokens.otherStaff, {
      name: 'Sprachkurse',
      filter: LANGUAGE_COURSES,
      notify: 'EMAIL_NOW',
    });
    const elsewhere = await save(tokens.otherEditor, {
      name: 'Ausbildung',
      filter: { kinds: ['AUSBILDUNG'] },
      notify: 'EMAIL_NOW',
    });
    const periodGid = await period(4);
    const held = await reserve(periodGid);
    await deliver();
    // A place taken is no news.
    expect(mails).toEqual([]);

    await release(held);
    await deliver();
    await deliver();
    expect(mails).toHaveLength(1);
    const [mail] = mailsTo(emails.otherStaff!);
    expect(mail).toBeDefined();
    const offerLink = `${BASE}/angebote?angebot=${f.gid.offer}`;
    expect(mail!.text).toContain('Berufssprachkurs B2 Test');
    expect(mail!.text).toContain('Träger: Träger saved-search');
    expect(mail!.text).toContain('Jetzt frei: 4 Plätze');
    expect(mail!.text).toContain(offerLink);
    expect(mail!.html).toContain(`href="${offerLink}"`);
    expect(mail!.html).toContain('<html lang="de">');
    expect(mail!.headers.get('message-id')).toMatch(
      new RegExp(`^<saved-search\\.${search.id}\\.[0-9a-f]{40}@hub\\.example>$`),
    );
    const unsubscribe = linkIn(mail!.text, '/benachrichtigungen/abbestellen');
    expect(unsubscribe).toBeDefined();
    expect(mail!.headers.get('list-unsubscribe')).toBe(`<${unsubscribe}>`);
    expect(mail!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const { rows } = await db.query(
      'select count(*)::int as hits, count(mailed_at)::int as mailed from saved_search_hit where saved_search_id = $1',
      [search.id],
    );
    expect(rows).toEqual([{ hits: 1, mailed: 1 }]);
    for (const [id, token] of [
      [search.id, tokens.otherStaff],
      [elsewhere.id, tokens.otherEditor],
    ] as const) {
      await t.gql(DELETE, { id }, { token });
    }
  });

  it('mails once even when two instances hand on and send at the same time', async () => {
    const { port } = smtp.server.address() as AddressInfo;
    const second = await startTestHub('saved-search-second', {
      seed: false,
      database: t.database,
      env: {
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        PUBLIC_BASE_URL: BASE,
        SAVED_SEARCH_MAIL_INTERVAL_MS: '3600000',
      },
    });
    try {
      const search = await save(tokens.otherStaff, {
        name: 'Zwei',
        filter: LANGUAGE_COURSES,
        notify: 'EMAIL_NOW',
      });
      const periodGid = await period(5);
      const held = await reserve(periodGid);
      await release(held);
      await Promise.all([t.hub.fanOut.drain(), second.hub.fanOut.drain()]);
      await Promise.all([t.hub.savedSearchMail.runOnce(), second.hub.savedSearchMail.runOnce()]);
      await Promise.all([t.hub.savedSearchMail.runOnce(), second.hub.savedSearchMail.runOnce()]);
      expect(mailsTo(emails.otherStaff!)).toHaveLength(1);
      expect(attempted).toHaveLength(1);
      await t.gql(DELETE, { id: search.id }, { token: tokens.otherStaff });
    } finally {
      await second.stop();
    }
  });

  it('resends a refused mail later as the same message', async () => {
    const search = await save(tokens.otherStaff, {
      name: 'Wieder',
      filter: LANGUAGE_COURSES,
      notify: 'EMAIL_NOW',
    });
    const periodGid = await period(2);
    const held = await reserve(periodGid);
    refuse = true;
    await release(held);
    await deliver();
    expect(mails).toEqual([]);
    expect(attempted).toHaveLength(1);
    const { rows } = await db.query<{ attempts: number; waits: boolean }>(
      'select attempts, next_attempt_at > now() as waits from saved_search_hit where saved_search_id = $1',
      [search.id],
    );
    expect(rows).toEqual([{ attempts: 1, waits: true }]);
    // Not before its backoff, then once more with the same Message-ID.
    refuse = false;
    await t.hub.savedSearchMail.runOnce();
    expect(mails).toEqual([]);
    await db.query('update saved_search_hit set next_attempt_at = now() where saved_search_id = $1', [
      search.id,
    ]);
    await t.hub.savedSearchMail.runOnce();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.headers.get('message-id')).toBe(attempted[0]);
    await t.gql(DELETE, { id: search.id }, { token: tokens.otherStaff });
  });

  it('collects three freed places into one digest mail after its interval', async () => {
    const search = await save(tokens.otherEditor, {
      name: 'Täglich',
      filter: LANGUAGE_COURSES,
      notify: 'EMAIL_DIGEST',
      digestIntervalMinutes: 60,
    });
    const periodGid = await period(4);
    const held = [await reserve(periodGid), await reserve(periodGid), await reserve(periodGid)];
    for (const reservation of held) await release(reservation);
    await deliver();
    expect(mails).toEqual([]);
    const { rows } = await db.query(
      'select count(*)::int as n from saved_search_hit where saved_search_id = $1',
      [search.id],
    );
    expect(rows[0].n).toBe(3);

    // The interval has passed: one mail with all three.
    await db.query(`update saved_search set confirmed_at = now() - interval '61 minutes' where id = $1`, [
      search.id,
    ]);
    await deliver();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([emails.otherEditor]);
    expect(mails[0]!.text).toContain('Jetzt frei: 4 Plätze');
    const mailed = await db.query(
      'select count(distinct mail_key)::int as keys, count(mailed_at)::int as mailed from saved_search_hit where saved_search_id = $1',
      [search.id],
    );
    expect(mailed.rows).toEqual([{ keys: 1, mailed: 3 }]);

    // The next freed place waits for the next interval.
    const again = await reserve(periodGid);
    await release(again);
    await deliver();
    expect(mails).toHaveLength(1);
    await t.gql(DELETE, { id: search.id }, { token: tokens.otherEditor });
  });

  it('without an account: confirm first, then bands only, and only when the band rises', async () => {
    const address = `jugendmigrationsdienst-${randomUUID().slice(0, 6)}@example.org`;
    const missing = await t.gql<any>(SAVE, {
      i: { name: 'Kurse', filter: LANGUAGE_COURSES, notify: 'EMAIL_NOW' },
    });
    expect(missing.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'email', problems: [expect.any(String)] },
    ]);

    const search = await save(undefined, {
      name: 'Kurse',
      filter: LANGUAGE_COURSES,
      notify: 'EMAIL_NOW',
      email: address,
    });
    expect(search.confirmed).toBe(false);
    // Sent beside the answer.
    expect(await until(() => mailsTo(address).length === 1)).toBe(true);
    const confirmation = mailsTo(address)[0]!;
    expect(confirmation.text).toContain('Erst wenn Sie bestätigen');
    const confirmLink = linkIn(confirmation.text, '/benachrichtigungen/bestaetigen')!;
    expect(confirmLink).toBeDefined();

    // Nothing is recorded or sent before the confirmation.
    const periodGid = await period(4);
    const first = await reserve(periodGid);
    await release(first);
    await deliver();
    expect(mailsTo(address)).toHaveLength(1);

    const page = await fetch(local(confirmLink));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<button type="submit"');
    expect(
      (await db.query('select confirmed_at from saved_search where id = $1', [search.id])).rows[0]
        .confirmed_at,
    ).toBeNull();
    const confirmed = await fetch(local(confirmLink), { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Benachrichtigung bestätigt');

    // 4 → 3 → 2 free, then 2 → 3: the band stays FEW, the public hears nothing of it.
    const a = await reserve(periodGid);
    const b = await reserve(periodGid);
    await release(a);
    await deliver();
    expect(mailsTo(address)).toHaveLength(1);
    // 3 → 4: FEW → SOME, a band rise.
    await release(b);
    await deliver();
    const sent = mailsTo(address);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.text).toContain('Jetzt: freie Plätze');
    expect(sent[1]!.text).not.toMatch(/Jetzt frei: \d/);
    expect(sent[1]!.html).not.toMatch(/Jetzt frei: \d/);
    expect(sent[1]!.text).toContain(`${BASE}/angebote?angebot=${f.gid.offer}`);

    // One address is not asked to confirm again and again.
    let refused: any;
    for (let i = 0; i < 4 && !refused; i++) {
      const res = await t.gql<any>(SAVE, {
        i: { name: `Noch eine ${i}`, filter: LANGUAGE_COURSES, notify: 'EMAIL_NOW', email: address },
      });
      if (res.errors) refused = res.errors[0];
    }
    expect(refused?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('unsubscribes through the mail’s link without signing in; tampered tokens are refused', async () => {
    const search = await save(tokens.otherCaseManager, {
      name: 'Abbestellen',
      filter: LANGUAGE_COURSES,
      notify: 'EMAIL_NOW',
    });
    const periodGid = await period(3);
    const held = await reserve(periodGid);
    await release(held);
    await deliver();
    const [mail] = mailsTo(emails.otherCaseManager!);
    const link = local(linkIn(mail!.text, '/benachrichtigungen/abbestellen')!);
    const token = new URL(link).searchParams.get('token')!;
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherSearch = `${randomUUID()}${token.slice(token.indexOf('.'))}`;
    for (const bad of [tampered, otherSearch, '', 'x']) {
      const url = `${t.origin}/benachrichtigungen/abbestellen?token=${encodeURIComponent(bad)}`;
      expect((await fetch(url)).status).toBe(400);
      expect((await fetch(url, { method: 'POST' })).status).toBe(400);
    }
    // A confirm link's token is no unsubscribe token, and the other way round.
    expect(
      (await fetch(`${t.origin}/benachrichtigungen/bestaetigen?token=${token}`, { method: 'POST' })).status,
    ).toBe(400);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Benachrichtigungen abbestellen</button>');
    expect(html).toContain('focus-visible');
    // GET changes nothing (mail scanners follow links).
    expect(
      (await db.query('select paused from saved_search where id = $1', [search.id])).rows[0].paused,
    ).toBe(false);

    // The one-click POST of RFC 8058, as a mail program sends it.
    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(
      (await db.query('select paused from saved_search where id = $1', [search.id])).rows[0].paused,
    ).toBe(true);

    const more = await reserve(periodGid);
    await release(more);
    await deliver();
    expect(mailsTo(emails.otherCaseManager!)).toHaveLength(1);
    const listed = await t.gql<any>(
      '{ savedSearches { id paused } }',
      {},
      { token: tokens.otherCaseManager },
    );
    expect(listed.data.savedSearches).toEqual([{ id: search.id, paused: true }]);
  });
});

describe('saved searches without SMTP_URL', () => {
  it('start and record hits, warn once, and send nothing', async () => {
    const logs: string[] = [];
    const plain = await startTestHub('saved-search-no-smtp', { seed: false, logs });
    try {
      const g = await createPartnerFixture(plain.database.url, 'saved-search-no-smtp');
      const staff = await g.token(g.accounts.otherStaff);
      const caseManagerOfOwner = await g.token(g.accounts.ownerCaseManager);
      const saved = await plain.gql<any>(
        SAVE,
        { i: { name: 'Ohne Mail', filter: LANGUAGE_COURSES, notify: 'EMAIL_NOW' } },
        { token: staff },
      );
      expect(saved.errors).toBeUndefined();
      // The fixture's case holds a place of the running period: freeing it is the event.
      const released = await plain.gql<any>(
        'mutation($id: ID!) { releasePlace(input: { reservationId: $id }) { status } }',
        { id: g.gid.reservation },
        { token: caseManagerOfOwner },
      );
      expect(released.data.releasePlace.status).toBe('RELEASED');
      await plain.hub.fanOut.drain();
      expect(await plain.hub.savedSearchMail.runOnce()).toBe(0);
      await plain.hub.savedSearchMail.runOnce();
      const check = new pg.Client({ connectionString: plain.database.url });
      await check.connect();
      try {
        const { rows } = await check.query(
          'select count(*)::int as hits, count(mailed_at)::int as mailed from saved_search_hit',
        );
        expect(rows).toEqual([{ hits: 1, mailed: 0 }]);
      } finally {
        await check.end();
      }
      const warnings = logs.filter((line) => line.includes('no SMTP_URL configured'));
      expect(warnings).toHaveLength(1);
    } finally {
      await plain.stop();
    }
  });
});

describe('mail settings', () => {
  it('need the hub’s https address for links in production, and nothing at all without mail', () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'k7Qv2LmZp9XwR4tYb8NcF3hJs6DgA1eU',
      DATABASE_URL: 'postgres://hub:Wq8vTz3kLp2Xr@db.internal:5432/buendnis_hub',
      METRICS_TOKEN: 'metrics-Hk2Lq9Zr4Tw7Xp',
    };
    expect(loadConfig(production).mail.smtpUrl).toBeUndefined();
    expect(() => loadConfig({ ...production, SMTP_URL: 'smtps://hub:pw@mail.stadt.example:465' })).toThrow(
      /PUBLIC_BASE_URL/,
    );
    const config = loadConfig({
      ...production,
      SMTP_URL: 'smtps://hub:pw@mail.stadt.example:465',
      PUBLIC_BASE_URL: 'https://hub.stadt.example/',
    });
    expect(config.mail.publicBaseUrl).toBe('https://hub.stadt.example');
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example' })).toThrow(/SMTP_URL/);
  });
});
