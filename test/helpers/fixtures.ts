import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Role } from '../../src/domain/enums.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { testTokens } from './tokens.js';

export interface PartnerFixture {
  /** Raw UUIDs. */
  ids: {
    ownerOrg: string;
    otherOrg: string;
    granteeOrg: string;
    location: string;
    offer: string;
    period: string;
    case: string;
    reservation: string;
    fundingProgramme: string;
  };
  /** Global ids for GraphQL. */
  gid: {
    ownerOrg: string;
    otherOrg: string;
    granteeOrg: string;
    location: string;
    offer: string;
    period: string;
    case: string;
    reservation: string;
  };
  accounts: Record<
    | 'ownerStaff'
    | 'ownerEditor'
    | 'ownerCaseManager'
    | 'otherStaff'
    | 'otherCaseManager'
    | 'otherEditor'
    | 'granteeStaff',
    { id: string; org: string; roles: Role[] }
  >;
  token(account: { id: string; org: string; roles: Role[] }): Promise<string>;
}

/**
 * Three fresh organisations for permission tests: the owner (with an offer, a period running today,
 * a case holding a place, contact, funding and notes: every field filled), another partner with no
 * grants, and a partner the owner shares every shareable field group with.
 */
export async function createPartnerFixture(databaseUrl: string, label: string): Promise<PartnerFixture> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const id = () => randomUUID();
  const ids = {
    ownerOrg: id(),
    otherOrg: id(),
    granteeOrg: id(),
    location: id(),
    offer: id(),
    period: id(),
    case: id(),
    reservation: id(),
    fundingProgramme: id(),
  };
  const account = (org: string, roles: Role[]) => ({ id: id(), org, roles });
  const accounts = {
    ownerStaff: account(ids.ownerOrg, [Role.PARTNER_STAFF]),
    ownerEditor: account(ids.ownerOrg, [Role.PARTNER_EDITOR]),
    ownerCaseManager: account(ids.ownerOrg, [Role.CASE_MANAGER]),
    otherStaff: account(ids.otherOrg, [Role.PARTNER_STAFF]),
    otherCaseManager: account(ids.otherOrg, [Role.CASE_MANAGER]),
    otherEditor: account(ids.otherOrg, [Role.PARTNER_EDITOR]),
    granteeStaff: account(ids.granteeOrg, [Role.PARTNER_STAFF]),
  };
  try {
    await db.query('begin');
    for (const [org, name] of [
      [ids.ownerOrg, `Träger ${label}`],
      [ids.otherOrg, `Partner ${label}`],
      [ids.granteeOrg, `Freigabe-Partner ${label}`],
    ]) {
      await db.query(
        `insert into organisation (id, name, kind, description, website) values ($1, $2, 'EDUCATION_PROVIDER', 'Testträger', 'https://traeger.example')`,
        [org, name],
      );
    }
    for (const [key, a] of Object.entries(accounts)) {
      await db.query(
        'insert into account (id, organisation_id, email, display_name, roles) values ($1, $2, $3, $4, $5)',
        [
          a.id,
          a.org,
          `${key.toLowerCase()}-${a.id.slice(0, 8)}@${label.toLowerCase()}.example`,
          key,
          a.roles,
        ],
      );
    }
    await db.query(
      `insert into location (id, organisation_id, name, street, postal_code, city, district, wheelchair_accessible, accessibility_note)
       values ($1, $2, 'Haus', 'Weg 1', '51373', 'Leverkusen', 'Wiesdorf', true, 'Rampe am Seiteneingang')`,
      [ids.location, ids.ownerOrg],
    );
    await db.query(
      `insert into contact_person (organisation_id, name, function, email, phone) values ($1, 'Frau Test', 'Leitung', 'leitung@traeger.example', '0214 123')`,
      [ids.ownerOrg],
    );
    await db.query(
      `insert into funding_programme (id, code, name, funder, valid_from, valid_to) values ($1, $2, 'Testprogramm', 'Land NRW', '2020-01-01', '2099-12-31')`,
      [ids.fundingProgramme, `TEST_${label}_${ids.fundingProgramme.slice(0, 6)}`],
    );
    await db.query(
      `insert into offer (id, organisation_id, location_id, kind, title, description, schedule, internal_notes, funding_programme_id, cost_per_place_cents)
       values ($1, $2, $3, 'JOB_LANGUAGE_COURSE', 'Berufssprachkurs B2 Test', 'Kurs', 'Mo–Fr', 'nur intern: Dozentin fällt aus', $4, 123400)`,
      [ids.offer, ids.ownerOrg, ids.location, ids.fundingProgramme],
    );
    await db.query(
      `insert into eligibility_rule (offer_id, version, residence_statuses, min_age, max_age, min_german_level, legal_basis_note, valid_from, valid_to)
       values ($1, 1, '{GESTATTUNG,DULDUNG}', 18, 27, 'B1', '§ 45a AufenthG, DeuFöV', '2020-01-01', '2099-12-31')`,
      [ids.offer],
    );
    await db.query(
      `insert into capacity_period (id, offer_id, label, starts_on, ends_on, total, occupied, reserved)
       values ($1, $2, 'Laufender Kurs', current_date - 30, current_date + 60, 10, 3, 1)`,
      [ids.period, ids.offer],
    );
    await db.query(
      `insert into case_record (id, managing_organisation_id, intake_date, age_band, gender, nationality_group, residence_status, school_level, german_level, stage, closed_on)
       values ($1, $2, '2026-01-10', 'AGE_21_24', 'F', 'SY', 'DULDUNG', 'LOWER_SECONDARY', 'B1', 'LANGUAGE', '2026-10-01')`,
      [ids.case, ids.ownerOrg],
    );
    // A handover offered to the other partner, not yet accepted: the case stays the owner's.
    await db.query(
      `update case_record set handover_to_id = $1, handover_requested_at = now() where id = $2`,
      [ids.otherOrg, ids.case],
    );
    await db.query(
      `insert into reservation (id, capacity_period_id, case_id, reserved_by_id, status, hold_until) values ($1, $2, $3, $4, 'HELD', now() + interval '5 days')`,
      [ids.reservation, ids.period, ids.case, accounts.ownerCaseManager.id],
    );
    await db.query(`insert into waiting_list_entry (capacity_period_id) values ($1)`, [ids.period]);
    await db.query(
      `insert into audit_entry (actor_account_id, actor_organisation_id, organisation_id, action, entity_type, entity_id, details)
       values ($1, $2, $2, 'offer.updated', 'Offer', $3, '{"before": {"title": "alt"}, "after": {"title": "neu"}}')`,
      [accounts.ownerEditor.id, ids.ownerOrg, ids.offer],
    );
    for (const group of ['PLACES_DETAIL', 'INTERNAL_NOTES', 'FUNDING']) {
      await db.query(
        `insert into sharing_grant (organisation_id, field_group, audience, audience_organisation_id, valid_from, valid_to) values ($1, $2, 'ORGANISATION', $3, current_date - 1, current_date + 365)`,
        [ids.ownerOrg, group, ids.granteeOrg],
      );
    }
    // A revoked grant to the other partner: it must not count.
    await db.query(
      `insert into sharing_grant (organisation_id, field_group, audience, audience_organisation_id, valid_from, valid_to, revoked_at) values ($1, 'INTERNAL_NOTES', 'ORGANISATION', $2, current_date - 10, current_date + 10, now())`,
      [ids.ownerOrg, ids.otherOrg],
    );
    await db.query('commit');
  } finally {
    await db.end();
  }
  return {
    ids,
    gid: {
      ownerOrg: toGlobalId('Organisation', ids.ownerOrg),
      otherOrg: toGlobalId('Organisation', ids.otherOrg),
      granteeOrg: toGlobalId('Organisation', ids.granteeOrg),
      location: toGlobalId('Location', ids.location),
      offer: toGlobalId('Offer', ids.offer),
      period: toGlobalId('CapacityPeriod', ids.period),
      case: toGlobalId('Case', ids.case),
      reservation: toGlobalId('Reservation', ids.reservation),
    },
    accounts,
    token: async (a) =>
      (await testTokens.sign({ accountId: a.id, organisationId: a.org, roles: a.roles })).token,
  };
}
