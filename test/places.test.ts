import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/global-id.js';
import { expireHolds } from '../src/modules/capacity/places.service.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;
let f: PartnerFixture;
let db: pg.Client;
let caseManager: string;
let editor: string;
let otherCaseManager: string;

beforeAll(async () => {
  t = await startTestHub('places', { seed: false });
  f = await createPartnerFixture(t.database.url, 'places');
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
  caseManager = await f.token(f.accounts.ownerCaseManager);
  editor = await f.token(f.accounts.ownerEditor);
  otherCaseManager = await f.token(f.accounts.otherCaseManager);
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

/** A period of the fixture offer with `total` places, none taken. */
async function period(total: number, startsInDays = 10): Promise<{ id: string; gid: string }> {
  const id = randomUUID();
  await db.query(
    `insert into capacity_period (id, offer_id, starts_on, ends_on, total) values ($1, $2, current_date + $3::int, current_date + $3::int + 90, $4)`,
    [id, f.ids.offer, startsInDays + Math.floor(Math.random() * 100000), total],
  );
  return { id, gid: toGlobalId('CapacityPeriod', id) };
}

/** `n` open cases of the owner organisation. */
async function cases(n: number, org = f.ids.ownerOrg): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await db.query(
    `insert into case_record (id, managing_organisation_id, intake_date, age_band, gender, nationality_group, residence_status, school_level, german_level, stage)
     select id, $2, current_date - 30, 'AGE_18_20', 'M', 'AF', 'GESTATTUNG', 'PRIMARY', 'A2', 'LANGUAGE' from unnest($1::uuid[]) as id`,
    [ids, org],
  );
  return ids.map((id) => toGlobalId('Case', id));
}

const RESERVE = `mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id status holdUntil } }`;
const CONFIRM = `mutation($id: ID!) { confirmReservation(input: { reservationId: $id }) { id status } }`;
const RELEASE = `mutation($id: ID!) { releasePlace(input: { reservationId: $id }) { id status } }`;
const JOIN = `mutation($i: JoinWaitingListInput!) { joinWaitingList(input: $i) { id status position } }`;

const counts = async (periodId: string) =>
  (
    await db.query(
      `select p.total, p.occupied, p.reserved,
        (select count(*)::int from reservation r where r.capacity_period_id = p.id and r.status = 'HELD') as held,
        (select count(*)::int from reservation r where r.capacity_period_id = p.id and r.status = 'CONFIRMED') as confirmed
       from capacity_period p where p.id = $1`,
      [periodId],
    )
  ).rows[0];

const code = (res: any) => res.errors?.[0]?.extensions?.code;

describe('reserving places', () => {
  it('never overbooks: 200 concurrent reservations for 10 places → exactly 10 succeed', async () => {
    const p = await period(10);
    const ids = await cases(200);
    const results = await Promise.all(
      ids.map((caseId) =>
        t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId } }, { token: caseManager }),
      ),
    );
    const ok = results.filter((r) => !r.errors);
    const full = results.filter((r) => code(r) === 'NO_PLACES_LEFT');
    expect(ok).toHaveLength(10);
    expect(full).toHaveLength(190);
    expect(full[0]!.errors![0]!.extensions!.canJoinWaitingList).toBe(true);
    expect(await counts(p.id)).toEqual({ total: 10, occupied: 0, reserved: 10, held: 10, confirmed: 0 });
    // One "places changed" event per successful reservation, none for the refused ones.
    const events = await db.query(
      `select count(*)::int as n from domain_event where type = 'places.changed' and payload->>'capacityPeriodId' = $1`,
      [p.id],
    );
    expect(events.rows[0].n).toBe(10);
  }, 60_000);

  it('refuses bad reservations with clear codes and changes nothing', async () => {
    const p = await period(5);
    const [mine] = await cases(1);
    const [foreign] = await cases(1, f.ids.otherOrg);
    const before = await counts(p.id);
    expect(
      code(
        await t.gql<any>(
          RESERVE,
          { i: { capacityPeriodId: p.gid, caseId: foreign } },
          { token: caseManager },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      code(
        await t.gql<any>(
          RESERVE,
          { i: { capacityPeriodId: p.gid, caseId: mine, holdUntil: '2020-01-01T00:00:00Z' } },
          { token: caseManager },
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      code(await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: mine } }, { token: editor })),
    ).toBe('FORBIDDEN');
    expect(code(await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: mine } }))).toBe(
      'FORBIDDEN',
    );
    const ended = randomUUID();
    await db.query(
      `insert into capacity_period (id, offer_id, starts_on, ends_on, total) values ($1, $2, '2020-01-01', '2020-06-30', 5)`,
      [ended, f.ids.offer],
    );
    const endedRes = await t.gql<any>(
      RESERVE,
      { i: { capacityPeriodId: toGlobalId('CapacityPeriod', ended), caseId: mine } },
      { token: caseManager },
    );
    expect(code(endedRes)).toBe('BAD_USER_INPUT');
    expect((endedRes.errors as any)[0].extensions.fields[0].field).toBe('capacityPeriodId');
    expect(await counts(p.id)).toEqual(before);

    const first = await t.gql<any>(
      RESERVE,
      { i: { capacityPeriodId: p.gid, caseId: mine } },
      { token: caseManager },
    );
    expect(first.data.reservePlace.status).toBe('HELD');
    expect(
      code(
        await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: mine } }, { token: caseManager }),
      ),
    ).toBe('CONFLICT');
    expect((await counts(p.id)).reserved).toBe(1);
  });

  it("answers another organisation's case exactly like an unknown one (no existence oracle)", async () => {
    const p = await period(1);
    const [foreign] = await cases(1, f.ids.otherOrg);
    const unknown = toGlobalId('Case', randomUUID());
    // With the period full, joinWaitingList would get past the case check to the period for a known case.
    const [filler] = await cases(1);
    await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: filler } }, { token: caseManager });
    for (const mutation of [RESERVE, JOIN]) {
      const answer = async (caseId: string) => {
        const res = await t.gql<any>(
          mutation,
          { i: { capacityPeriodId: p.gid, caseId } },
          { token: caseManager },
        );
        const error = res.errors?.[0];
        // The id is echoed back in both answers; everything else must be the same.
        return {
          data: res.data,
          code: error?.extensions?.code,
          message: error?.message.replace(caseId, '<id>'),
        };
      };
      const ofForeign = await answer(foreign!);
      expect(ofForeign.code).toBe('NOT_FOUND');
      expect(ofForeign).toEqual(await answer(unknown));
    }
    // A viewer without the role is refused before any case is looked up, whichever id it sends.
    const asEditor = async (caseId: string) =>
      (await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId } }, { token: editor })).errors?.[0];
    expect(await asEditor(unknown)).toEqual(await asEditor(foreign!));
  });

  it('refuses reservations on archived offers', async () => {
    const p = await period(3);
    const [mine] = await cases(1);
    await db.query('update offer set active = false where id = $1', [f.ids.offer]);
    try {
      expect(
        code(
          await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: mine } }, { token: caseManager }),
        ),
      ).toBe('BAD_USER_INPUT');
    } finally {
      await db.query('update offer set active = true where id = $1', [f.ids.offer]);
    }
  });

  it('lets the provider confirm and either side release; the counts follow exactly', async () => {
    const p = await period(2);
    const [a, b] = await cases(2);
    const ra = (
      await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: a } }, { token: caseManager })
    ).data.reservePlace.id;
    const rb = (
      await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: b } }, { token: caseManager })
    ).data.reservePlace.id;
    expect(code(await t.gql<any>(CONFIRM, { id: ra }, { token: caseManager }))).toBe('FORBIDDEN');
    expect(code(await t.gql<any>(CONFIRM, { id: ra }, { token: otherCaseManager }))).toBe('FORBIDDEN');
    expect((await t.gql<any>(CONFIRM, { id: ra }, { token: editor })).data.confirmReservation.status).toBe(
      'CONFIRMED',
    );
    expect(await counts(p.id)).toEqual({ total: 2, occupied: 1, reserved: 1, held: 1, confirmed: 1 });
    expect((await t.gql<any>(RELEASE, { id: rb }, { token: caseManager })).data.releasePlace.status).toBe(
      'RELEASED',
    );
    expect((await t.gql<any>(RELEASE, { id: ra }, { token: editor })).data.releasePlace.status).toBe(
      'RELEASED',
    );
    expect(await counts(p.id)).toEqual({ total: 2, occupied: 0, reserved: 0, held: 0, confirmed: 0 });
    expect(code(await t.gql<any>(RELEASE, { id: ra }, { token: editor }))).toBe('CONFLICT');
  });

  it('resolves a race of confirm, release and expiry on one reservation to exactly one outcome', async () => {
    for (let round = 0; round < 5; round++) {
      const p = await period(1);
      const [c] = await cases(1);
      const id = (
        await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: c } }, { token: caseManager })
      ).data.reservePlace.id;
      // The hold runs out right now, while the provider confirms and the case manager releases.
      await db.query(
        `update reservation set hold_until = now() + interval '150 milliseconds' where id = $1`,
        [Buffer.from(id, 'base64url').toString().split(':')[1]],
      );
      await new Promise((r) => setTimeout(r, 140));
      const [confirm, release, expired] = await Promise.all([
        t.gql<any>(CONFIRM, { id }, { token: editor }),
        t.gql<any>(RELEASE, { id }, { token: caseManager }),
        (async () => {
          await new Promise((r) => setTimeout(r, 15));
          return expireHolds(t.hub.database.orm, {
            holdDays: 7,
            maxHoldDays: 30,
            backdateMaxDays: 90,
            expirySweepIntervalMs: 1000,
          });
        })(),
      ]);
      // The hold ends exactly once: confirmed, released or expired. A confirmed place may then still be
      // released (releasing frees confirmed places too): that is confirm, then release, in that order.
      const holdEnds = [!confirm.errors, !release.errors, expired > 0].filter(Boolean).length;
      const confirmedThenReleased = !confirm.errors && !release.errors && expired === 0;
      expect(holdEnds === 1 || confirmedThenReleased, `round ${round}`).toBe(true);
      for (const r of [confirm, release]) if (r.errors) expect(code(r)).toBe('CONFLICT');
      const state = await counts(p.id);
      expect(state.occupied + state.reserved).toBe(state.held + state.confirmed);
      expect(state.occupied).toBe(!confirm.errors && release.errors ? 1 : 0);
    }
  });
});

describe('waiting list', () => {
  it('queues cases with positions and offers a freed place to the first automatically', async () => {
    const p = await period(1);
    const [holder, first, second] = await cases(3);
    const held = (
      await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: holder } }, { token: caseManager })
    ).data.reservePlace.id;
    const j1 = await t.gql<any>(
      JOIN,
      { i: { capacityPeriodId: p.gid, caseId: first } },
      { token: caseManager },
    );
    const j2 = await t.gql<any>(
      JOIN,
      { i: { capacityPeriodId: p.gid, caseId: second } },
      { token: caseManager },
    );
    expect(j1.data.joinWaitingList).toMatchObject({ status: 'WAITING', position: 1 });
    expect(j2.data.joinWaitingList).toMatchObject({ status: 'WAITING', position: 2 });
    expect(
      code(await t.gql<any>(JOIN, { i: { capacityPeriodId: p.gid, caseId: first } }, { token: caseManager })),
    ).toBe('CONFLICT');

    await t.gql<any>(RELEASE, { id: held }, { token: caseManager });
    const state = await db.query(
      `select r.status, r.from_waiting_list, c.id as case_id from reservation r join case_record c on c.id = r.case_id
        where r.capacity_period_id = $1 and r.status = 'HELD'`,
      [p.id],
    );
    expect(state.rows).toEqual([
      {
        status: 'HELD',
        from_waiting_list: true,
        case_id: Buffer.from(first!, 'base64url').toString().split(':')[1],
      },
    ]);
    expect(await counts(p.id)).toMatchObject({ reserved: 1, held: 1 });
    const entries = await db.query(
      `select status from waiting_list_entry where capacity_period_id = $1 order by created_at`,
      [p.id],
    );
    expect(entries.rows.map((r) => r.status)).toEqual(['OFFERED', 'WAITING']);
  });

  it("hides the queue's length from another organisation's case manager, as CapacityPeriod.waitingList does", async () => {
    const p = await period(1);
    const [holder, ownFirst] = await cases(2);
    const [foreign] = await cases(1, f.ids.otherOrg);
    await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: holder } }, { token: caseManager });
    await t.gql<any>(JOIN, { i: { capacityPeriodId: p.gid, caseId: ownFirst } }, { token: caseManager });
    const JOIN_WITH_LENGTH = `mutation($i: JoinWaitingListInput!) {
      joinWaitingList(input: $i) { status position capacityPeriod { waitingList } } }`;
    const joined = await t.gql<any>(
      JOIN_WITH_LENGTH,
      { i: { capacityPeriodId: p.gid, caseId: foreign } },
      { token: otherCaseManager },
    );
    expect(joined.errors).toBeUndefined();
    // The entry is made (the case manager sees their case waiting), but not how many wait before it.
    expect(joined.data.joinWaitingList).toEqual({
      status: 'WAITING',
      position: null,
      capacityPeriod: { waitingList: null },
    });
    const redacted = ((joined.extensions?.redactions ?? []) as { field: string }[]).map((r) => r.field);
    expect(redacted).toEqual(
      expect.arrayContaining(['WaitingListEntry.position', 'CapacityPeriod.waitingList']),
    );
    // Both entries wait; only what the foreign case manager was told is hidden.
    const entries = await db.query(
      `select count(*)::int as n from waiting_list_entry where capacity_period_id = $1 and status = 'WAITING'`,
      [p.id],
    );
    expect(entries.rows[0].n).toBe(2);
  });

  it('lists a period’s waiting list to its provider in order, and to a case manager only their own cases', async () => {
    const p = await period(1);
    const [holder, ownFirst] = await cases(2);
    const [foreign] = await cases(1, f.ids.otherOrg);
    await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId: holder } }, { token: caseManager });
    await t.gql<any>(JOIN, { i: { capacityPeriodId: p.gid, caseId: ownFirst } }, { token: caseManager });
    await t.gql<any>(JOIN, { i: { capacityPeriodId: p.gid, caseId: foreign } }, { token: otherCaseManager });
    const QUEUE = `query($id: ID!) { node(id: $id) { ... on CapacityPeriod {
      waitingList waitingListEntries { status position case { id } } } } }`;
    const provider = await t.gql<any>(QUEUE, { id: p.gid }, { token: editor });
    expect(provider.data.node).toEqual({
      waitingList: 2,
      waitingListEntries: [
        { status: 'WAITING', position: 1, case: null },
        { status: 'WAITING', position: 2, case: null },
      ],
    });
    const foreignView = await t.gql<any>(QUEUE, { id: p.gid }, { token: otherCaseManager });
    expect(foreignView.data.node.waitingListEntries).toEqual([
      { status: 'WAITING', position: null, case: { id: foreign } },
    ]);
    const publicView = await t.gql<any>(QUEUE, { id: p.gid });
    expect(publicView.data.node.waitingListEntries).toBeNull();
  });

  it('sends cases to reserve instead when places are free', async () => {
    const p = await period(2);
    const [c] = await cases(1);
    const res = await t.gql<any>(JOIN, { i: { capacityPeriodId: p.gid, caseId: c } }, { token: caseManager });
    expect((res.errors as any)[0].extensions).toMatchObject({ code: 'CONFLICT', available: 2 });
  });
});

describe('expiry', () => {
  it('frees expired holds once, even with several sweepers at the same time', async () => {
    const p = await period(3);
    const ids = await cases(3);
    for (const caseId of ids)
      await t.gql<any>(RESERVE, { i: { capacityPeriodId: p.gid, caseId } }, { token: caseManager });
    await db.query(
      `update reservation set hold_until = now() - interval '1 minute' where capacity_period_id = $1`,
      [p.id],
    );
    const config = { holdDays: 7, maxHoldDays: 30, backdateMaxDays: 90, expirySweepIntervalMs: 1000 };
    const freed = await Promise.all([1, 2, 3].map(() => expireHolds(t.hub.database.orm, config)));
    expect(freed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3);
    expect(await counts(p.id)).toMatchObject({ reserved: 0, held: 0 });
    const expired = await db.query(
      `select count(*)::int as n from reservation where capacity_period_id = $1 and status = 'EXPIRED'`,
      [p.id],
    );
    expect(expired.rows[0].n).toBe(3);
    const audits = await db.query(
      `select count(*)::int as n from audit_entry where action = 'reservation.expired' and details->'after'->>'status' = 'EXPIRED' and entity_id in (select id from reservation where capacity_period_id = $1)`,
      [p.id],
    );
    expect(audits.rows[0].n).toBe(3);
  });
});

describe("a case's places", () => {
  const CASE_PLACES = `query($id: ID!) { case(id: $id) {
    reservations { id status holdUntil capacityPeriod { id } }
    waitingListEntries { status position capacityPeriod { id } } } }`;

  it('lists its holds (released ones as history, newest first) and waiting lists to its case managers', async () => {
    const open = await period(2);
    const full = await period(1);
    const [theCase, holder] = await cases(2);
    const first = (
      await t.gql<any>(
        RESERVE,
        { i: { capacityPeriodId: open.gid, caseId: theCase } },
        { token: caseManager },
      )
    ).data.reservePlace.id;
    await t.gql<any>(RELEASE, { id: first }, { token: caseManager });
    const second = (
      await t.gql<any>(
        RESERVE,
        { i: { capacityPeriodId: open.gid, caseId: theCase } },
        { token: caseManager },
      )
    ).data.reservePlace.id;
    await t.gql<any>(RESERVE, { i: { capacityPeriodId: full.gid, caseId: holder } }, { token: caseManager });
    await t.gql<any>(JOIN, { i: { capacityPeriodId: full.gid, caseId: theCase } }, { token: caseManager });

    const res = await t.gql<any>(CASE_PLACES, { id: theCase }, { token: caseManager });
    expect(res.errors).toBeUndefined();
    expect(res.data.case.reservations).toMatchObject([
      { id: second, status: 'HELD', capacityPeriod: { id: open.gid } },
      { id: first, status: 'RELEASED', capacityPeriod: { id: open.gid } },
    ]);
    expect(res.data.case.reservations[0].holdUntil).toEqual(expect.any(String));
    // The fixture's case manager belongs to the provider: the queue's length is theirs to read.
    expect(res.data.case.waitingListEntries).toEqual([
      { status: 'WAITING', position: 1, capacityPeriod: { id: full.gid } },
    ]);
  });

  it('reaches nobody else: another organisation’s case manager and the provider’s editor get no case', async () => {
    const [theCase] = await cases(1);
    const other = await t.gql<any>(CASE_PLACES, { id: theCase }, { token: otherCaseManager });
    expect(code(other)).toBe('NOT_FOUND');
    const byEditor = await t.gql<any>(CASE_PLACES, { id: theCase }, { token: editor });
    expect(byEditor.data?.case ?? null).toBeNull();
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code(byEditor));
  });
});
