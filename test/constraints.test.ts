import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './helpers/hub.js';

/** The database itself refuses invalid data, whatever code writes it. */
let t: TestHub;
let db: pg.Client;
let orgId: string;
let offerId: string;
let caseId: string;

beforeAll(async () => {
  t = await startTestHub('constraints', { seed: false });
  db = new pg.Client({ connectionString: t.database.url });
  await db.connect();
  orgId = randomUUID();
  await db.query(
    `insert into organisation (id, name, kind, is_coordinator) values ($1, 'KI Teststadt', 'MUNICIPAL', true)`,
    [orgId],
  );
  const locationId = randomUUID();
  await db.query(
    `insert into location (id, organisation_id, name, street, postal_code, city, district) values ($1, $2, 'Haus', 'Weg 1', '51373', 'Leverkusen', 'Wiesdorf')`,
    [locationId, orgId],
  );
  offerId = randomUUID();
  await db.query(
    `insert into offer (id, organisation_id, location_id, kind, title, description) values ($1, $2, $3, 'EQ', 'EQ Bäckerei', 'Praktikum')`,
    [offerId, orgId, locationId],
  );
  caseId = randomUUID();
  await db.query(
    `insert into case_record (id, managing_organisation_id, intake_date, age_band, gender, nationality_group, residence_status, school_level, german_level, stage)
     values ($1, $2, '2026-01-10', 'AGE_21_24', 'F', 'SY', 'DULDUNG', 'LOWER_SECONDARY', 'A2', 'INTAKE')`,
    [caseId, orgId],
  );
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

const rejects = async (sql: string, params: unknown[], constraint: RegExp) => {
  await expect(db.query(sql, params)).rejects.toMatchObject({
    constraint: expect.stringMatching(constraint),
  });
};

describe('database constraints', () => {
  it('never lets occupied + reserved exceed total, nor counts go negative', async () => {
    const period = randomUUID();
    await db.query(
      `insert into capacity_period (id, offer_id, starts_on, ends_on, total, occupied, reserved) values ($1, $2, '2027-01-01', '2027-06-30', 2, 1, 1)`,
      [period, offerId],
    );
    await rejects(
      'update capacity_period set reserved = reserved + 1 where id = $1',
      [period],
      /no_overbooking/,
    );
    await rejects('update capacity_period set total = 1 where id = $1', [period], /no_overbooking/);
    await rejects('update capacity_period set occupied = -1, reserved = 0 where id = $1', [period], /counts/);
    await rejects(
      `insert into capacity_period (offer_id, starts_on, ends_on, total) values ($1, '2027-08-01', '2027-07-01', 5)`,
      [offerId],
      /dates/,
    );
    await rejects(
      `insert into capacity_period (offer_id, starts_on, ends_on, total) values ($1, '2027-01-01', '2027-03-01', 5)`,
      [offerId],
      /offer_id_starts_on_unique/,
    );
  });

  it('allows only one active reservation per case and period, and a held place needs an expiry', async () => {
    const period = randomUUID();
    await db.query(
      `insert into capacity_period (id, offer_id, starts_on, ends_on, total) values ($1, $2, '2028-01-01', '2028-06-30', 5)`,
      [period, offerId],
    );
    await db.query(
      `insert into reservation (capacity_period_id, case_id, hold_until) values ($1, $2, now() + interval '7 days')`,
      [period, caseId],
    );
    await rejects(
      `insert into reservation (capacity_period_id, case_id, hold_until) values ($1, $2, now() + interval '7 days')`,
      [period, caseId],
      /reservation_one_active_per_case/,
    );
    await rejects(
      `insert into reservation (capacity_period_id, case_id, status) values ($1, $2, 'HELD')`,
      [period, caseId],
      /reservation_hold/,
    );
  });

  it('keeps enums, roles and the single coordinator in the database', async () => {
    await rejects(`insert into organisation (name, kind) values ('X', 'BAKERY')`, [], /kind_check/);
    await rejects(
      `insert into organisation (name, kind, is_coordinator) values ('Zweites KI', 'MUNICIPAL', true)`,
      [],
      /single_coordinator/,
    );
    await rejects(
      `insert into account (organisation_id, email, display_name, roles) values ($1, 'a@b.example', 'A', '{SUPERUSER}')`,
      [orgId],
      /account_roles/,
    );
    await db.query(
      `insert into account (organisation_id, email, display_name, roles) values ($1, 'Editor@KI.example', 'E', '{PARTNER_EDITOR}')`,
      [orgId],
    );
    await rejects(
      `insert into account (organisation_id, email, display_name, roles) values ($1, 'editor@ki.example', 'E2', '{PARTNER_STAFF}')`,
      [orgId],
      /account_email_unique/,
    );
  });

  it('never accepts a sharing grant for cases or to the granting organisation itself', async () => {
    await rejects(
      `insert into sharing_grant (organisation_id, field_group, audience, valid_from) values ($1, 'CASES', 'ALLIANCE', '2026-01-01')`,
      [orgId],
      /field_group_check/,
    );
    await rejects(
      `insert into sharing_grant (organisation_id, field_group, audience, audience_organisation_id, valid_from) values ($1, 'CONTACTS', 'ORGANISATION', $1, '2026-01-01')`,
      [orgId],
      /not_self/,
    );
    await rejects(
      `insert into sharing_grant (organisation_id, field_group, audience, valid_from) values ($1, 'CONTACTS', 'ORGANISATION', '2026-01-01')`,
      [orgId],
      /audience_target/,
    );
  });

  it('requires the data each kind of case event carries, and has no column that could name a person', async () => {
    await rejects(
      `insert into case_event (case_id, kind, occurred_on) values ($1, 'STAGE_CHANGE', '2026-02-01')`,
      [caseId],
      /stage_change/,
    );
    await rejects(
      `insert into case_event (case_id, kind, occurred_on) values ($1, 'REFERRAL', '2026-02-01')`,
      [caseId],
      /referral/,
    );
    const columns = await db.query(
      `select column_name from information_schema.columns where table_name = 'case_record'`,
    );
    const names = columns.rows.map((r) => r.column_name as string);
    for (const forbidden of [
      'name',
      'first_name',
      'last_name',
      'birth_date',
      'date_of_birth',
      'address',
      'file_number',
      'notes',
    ]) {
      expect(names).not.toContain(forbidden);
    }
  });
});
