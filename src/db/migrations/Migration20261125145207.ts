import { Migration } from '@mikro-orm/migrations';

export class Migration20261125145207 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_entry" ("id" bigserial primary key, "occurred_at" timestamptz not null default now(), "actor_account_id" uuid null, "actor_organisation_id" uuid null, "action" varchar(100) not null, "entity_type" varchar(100) not null, "entity_id" uuid not null, "details" jsonb null);`,
    );
    this.addSql(`create index "audit_entry_occurred_at_index" on "audit_entry" ("occurred_at");`);
    this.addSql(
      `create index "audit_entry_entity_type_entity_id_index" on "audit_entry" ("entity_type", "entity_id");`,
    );

    this.addSql(
      `create table "funding_programme" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" varchar(50) not null, "name" varchar(300) not null, "description" text null, "funder" varchar(300) null, "valid_from" date not null, "valid_to" date null, constraint "funding_programme_pkey" primary key ("id"), constraint funding_programme_validity_check check (valid_to is null or valid_to >= valid_from));`,
    );
    this.addSql(
      `alter table "funding_programme" add constraint "funding_programme_code_unique" unique ("code");`,
    );

    this.addSql(
      `create table "organisation" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(200) not null, "kind" text check ("kind" in ('MUNICIPAL', 'YOUTH_SERVICES', 'WELFARE', 'EDUCATION_PROVIDER', 'SCHOOL', 'JOBCENTER', 'EMPLOYMENT_AGENCY', 'CHAMBER', 'EMPLOYER')) not null, "description" text null, "website" varchar(500) null, "is_coordinator" boolean not null default false, "active" boolean not null default true, constraint "organisation_pkey" primary key ("id"), constraint organisation_website_check check (website is null or website ~ '^https?://'));`,
    );
    this.addSql(`alter table "organisation" add constraint "organisation_name_unique" unique ("name");`);
    this.addSql(
      `create unique index "organisation_single_coordinator" on "organisation" ("is_coordinator") where "is_coordinator";`,
    );

    this.addSql(
      `create table "location" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organisation_id" uuid not null, "name" varchar(200) not null, "street" varchar(200) not null, "postal_code" varchar(10) not null, "city" varchar(100) not null, "district" varchar(100) not null, "wheelchair_accessible" boolean not null default false, "accessibility_note" text null, constraint "location_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "location_organisation_id_index" on "location" ("organisation_id");`);
    this.addSql(`create index "location_district_index" on "location" ("district");`);

    this.addSql(
      `create table "offer" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organisation_id" uuid not null, "location_id" uuid not null, "kind" text check ("kind" in ('INTEGRATION_COURSE', 'JOB_LANGUAGE_COURSE', 'EQ', 'AUSBILDUNG', 'ASSISTED_TRAINING', 'PREPARATION', 'COUNSELLING', 'ASSESSMENT')) not null, "title" varchar(300) not null, "description" text not null, "languages" text[] not null default '{de}', "required_german_level" text check ("required_german_level" in ('A0', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2')) not null default 'A0', "schedule" text null, "cost_cents" int not null default 0, "internal_notes" text null, "funding_programme_id" uuid null, "cost_per_place_cents" int null, "auto_offer_from_waiting_list" boolean not null default true, "active" boolean not null default true, constraint "offer_pkey" primary key ("id"), constraint offer_cost_check check (cost_cents >= 0 and (cost_per_place_cents is null or cost_per_place_cents >= 0)));`,
    );
    this.addSql(`create index "offer_kind_index" on "offer" ("kind");`);
    this.addSql(`create index "offer_organisation_id_index" on "offer" ("organisation_id");`);

    this.addSql(
      `create table "eligibility_rule" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "offer_id" uuid not null, "version" int not null, "residence_statuses" text[] not null, "min_age" int not null, "max_age" int not null, "min_german_level" text check ("min_german_level" in ('A0', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2')) null, "legal_basis_note" text null, "valid_from" date not null, "valid_to" date null, constraint "eligibility_rule_pkey" primary key ("id"), constraint eligibility_rule_statuses_check check (cardinality(residence_statuses) > 0 and residence_statuses <@ ARRAY['GESTATTUNG', 'DULDUNG', 'DULDUNG_AUSBILDUNG', 'DULDUNG_BESCHAEFTIGUNG', 'DULDUNG_UNGEKLAERTE_IDENTITAET', 'AE_CHANCEN', 'AE_GUT_INTEGRIERT', 'AE_AUSBILDUNG', 'AE_OTHER', 'NIEDERLASSUNG', 'UNKNOWN']::text[]), constraint eligibility_rule_version_positive_check check (version >= 1), constraint eligibility_rule_validity_check check (valid_to is null or valid_to >= valid_from), constraint eligibility_rule_age_check check (min_age between 14 and 99 and max_age between 14 and 99 and min_age <= max_age));`,
    );
    this.addSql(
      `alter table "eligibility_rule" add constraint "eligibility_rule_offer_id_version_unique" unique ("offer_id", "version");`,
    );

    this.addSql(
      `create table "capacity_period" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "offer_id" uuid not null, "label" varchar(200) null, "starts_on" date not null, "ends_on" date not null, "total" int not null, "occupied" int not null default 0, "reserved" int not null default 0, "version" int not null default 1, constraint "capacity_period_pkey" primary key ("id"), constraint capacity_period_no_overbooking_check check (occupied + reserved <= total), constraint capacity_period_counts_check check (total >= 0 and occupied >= 0 and reserved >= 0), constraint capacity_period_dates_check check (ends_on >= starts_on));`,
    );
    this.addSql(
      `alter table "capacity_period" add constraint "capacity_period_offer_id_starts_on_unique" unique ("offer_id", "starts_on");`,
    );

    this.addSql(
      `create table "contact_person" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organisation_id" uuid not null, "name" varchar(200) not null, "function" varchar(200) null, "email" varchar(320) null, "phone" varchar(50) null, constraint "contact_person_pkey" primary key ("id"), constraint contact_person_reachable_check check (email is not null or phone is not null));`,
    );

    this.addSql(
      `create table "case_record" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "managing_organisation_id" uuid not null, "intake_date" date not null, "age_band" text check ("age_band" in ('AGE_18_20', 'AGE_21_24', 'AGE_25_27')) not null, "gender" text check ("gender" in ('F', 'M', 'D', 'UNKNOWN')) not null, "nationality_group" varchar(5) not null, "residence_status" text check ("residence_status" in ('GESTATTUNG', 'DULDUNG', 'DULDUNG_AUSBILDUNG', 'DULDUNG_BESCHAEFTIGUNG', 'DULDUNG_UNGEKLAERTE_IDENTITAET', 'AE_CHANCEN', 'AE_GUT_INTEGRIERT', 'AE_AUSBILDUNG', 'AE_OTHER', 'NIEDERLASSUNG', 'UNKNOWN')) not null, "school_level" text check ("school_level" in ('NONE', 'PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'HIGHER_EDUCATION', 'UNKNOWN')) not null, "german_level" text check ("german_level" in ('A0', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2')) not null, "stage" text check ("stage" in ('INTAKE', 'ORIENTATION', 'LANGUAGE', 'PREPARATION', 'EQ', 'AUSBILDUNG', 'WORK', 'SCHOOL', 'ENDED_OTHER')) not null, "closed_on" date null, constraint "case_record_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "case_record_managing_organisation_id_index" on "case_record" ("managing_organisation_id");`,
    );

    this.addSql(
      `create table "case_event" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "case_id" uuid not null, "kind" text check ("kind" in ('INTAKE', 'STAGE_CHANGE', 'STATUS_CHANGE', 'REFERRAL', 'HANDOVER', 'CLOSED')) not null, "occurred_on" date not null, "from_stage" text check ("from_stage" in ('INTAKE', 'ORIENTATION', 'LANGUAGE', 'PREPARATION', 'EQ', 'AUSBILDUNG', 'WORK', 'SCHOOL', 'ENDED_OTHER')) null, "to_stage" text check ("to_stage" in ('INTAKE', 'ORIENTATION', 'LANGUAGE', 'PREPARATION', 'EQ', 'AUSBILDUNG', 'WORK', 'SCHOOL', 'ENDED_OTHER')) null, "from_status" text check ("from_status" in ('GESTATTUNG', 'DULDUNG', 'DULDUNG_AUSBILDUNG', 'DULDUNG_BESCHAEFTIGUNG', 'DULDUNG_UNGEKLAERTE_IDENTITAET', 'AE_CHANCEN', 'AE_GUT_INTEGRIERT', 'AE_AUSBILDUNG', 'AE_OTHER', 'NIEDERLASSUNG', 'UNKNOWN')) null, "to_status" text check ("to_status" in ('GESTATTUNG', 'DULDUNG', 'DULDUNG_AUSBILDUNG', 'DULDUNG_BESCHAEFTIGUNG', 'DULDUNG_UNGEKLAERTE_IDENTITAET', 'AE_CHANCEN', 'AE_GUT_INTEGRIERT', 'AE_AUSBILDUNG', 'AE_OTHER', 'NIEDERLASSUNG', 'UNKNOWN')) null, "offer_id" uuid null, "organisation_id" uuid null, constraint "case_event_pkey" primary key ("id"), constraint case_event_handover_check check (kind <> 'HANDOVER' or organisation_id is not null), constraint case_event_referral_check check (kind <> 'REFERRAL' or offer_id is not null), constraint case_event_status_change_check check (kind <> 'STATUS_CHANGE' or to_status is not null), constraint case_event_stage_change_check check (kind <> 'STAGE_CHANGE' or to_stage is not null));`,
    );
    this.addSql(
      `create index "case_event_case_id_occurred_on_index" on "case_event" ("case_id", "occurred_on");`,
    );

    this.addSql(
      `create table "account" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organisation_id" uuid not null, "email" varchar(320) not null, "display_name" varchar(200) not null, "roles" text[] not null, "password_hash" text null, "active" boolean not null default true, constraint "account_pkey" primary key ("id"), constraint account_roles_check check (cardinality(roles) > 0 and roles <@ ARRAY['PARTNER_STAFF', 'PARTNER_EDITOR', 'CASE_MANAGER', 'COORDINATOR', 'ADMIN']::text[]));`,
    );
    this.addSql(`create unique index "account_email_unique" on "account" (lower("email"));`);

    this.addSql(
      `create table "reservation" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "capacity_period_id" uuid not null, "case_id" uuid not null, "reserved_by_id" uuid null, "status" text check ("status" in ('HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED')) not null default 'HELD', "hold_until" timestamptz null, "from_waiting_list" boolean not null default false, constraint "reservation_pkey" primary key ("id"), constraint reservation_hold_check check (status <> 'HELD' or hold_until is not null));`,
    );
    this.addSql(`create index "reservation_expiry" on "reservation" ("hold_until") where status = 'HELD';`);
    this.addSql(
      `create unique index "reservation_one_active_per_case" on "reservation" ("capacity_period_id", "case_id") where status in ('HELD', 'CONFIRMED');`,
    );

    this.addSql(
      `create table "sharing_grant" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organisation_id" uuid not null, "field_group" text check ("field_group" in ('CONTACTS', 'PLACES_DETAIL', 'INTERNAL_NOTES', 'FUNDING')) not null, "audience" text check ("audience" in ('ORGANISATION', 'ALLIANCE')) not null, "audience_organisation_id" uuid null, "valid_from" date not null, "valid_to" date null, "granted_by_id" uuid null, "revoked_at" timestamptz null, constraint "sharing_grant_pkey" primary key ("id"), constraint sharing_grant_validity_check check (valid_to is null or valid_to >= valid_from), constraint sharing_grant_not_self_check check (audience_organisation_id is distinct from organisation_id), constraint sharing_grant_audience_target_check check ((audience = 'ORGANISATION') = (audience_organisation_id is not null)));`,
    );
    this.addSql(`create index "sharing_grant_organisation_id_index" on "sharing_grant" ("organisation_id");`);

    this.addSql(
      `create table "waiting_list_entry" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "capacity_period_id" uuid not null, "case_id" uuid null, "status" text check ("status" in ('WAITING', 'OFFERED', 'WITHDRAWN')) not null default 'WAITING', constraint "waiting_list_entry_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "waiting_list_entry_capacity_period_id_status_created_at_index" on "waiting_list_entry" ("capacity_period_id", "status", "created_at");`,
    );
    this.addSql(
      `create unique index "waiting_list_entry_one_per_case" on "waiting_list_entry" ("capacity_period_id", "case_id") where status = 'WAITING' and case_id is not null;`,
    );

    this.addSql(
      `alter table "location" add constraint "location_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "offer" add constraint "offer_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "offer" add constraint "offer_location_id_foreign" foreign key ("location_id") references "location" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "offer" add constraint "offer_funding_programme_id_foreign" foreign key ("funding_programme_id") references "funding_programme" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "eligibility_rule" add constraint "eligibility_rule_offer_id_foreign" foreign key ("offer_id") references "offer" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "capacity_period" add constraint "capacity_period_offer_id_foreign" foreign key ("offer_id") references "offer" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "contact_person" add constraint "contact_person_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "case_record" add constraint "case_record_managing_organisation_id_foreign" foreign key ("managing_organisation_id") references "organisation" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "case_event" add constraint "case_event_case_id_foreign" foreign key ("case_id") references "case_record" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "case_event" add constraint "case_event_offer_id_foreign" foreign key ("offer_id") references "offer" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "case_event" add constraint "case_event_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "account" add constraint "account_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "reservation" add constraint "reservation_capacity_period_id_foreign" foreign key ("capacity_period_id") references "capacity_period" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "reservation" add constraint "reservation_case_id_foreign" foreign key ("case_id") references "case_record" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "reservation" add constraint "reservation_reserved_by_id_foreign" foreign key ("reserved_by_id") references "account" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "sharing_grant" add constraint "sharing_grant_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sharing_grant" add constraint "sharing_grant_audience_organisation_id_foreign" foreign key ("audience_organisation_id") references "organisation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sharing_grant" add constraint "sharing_grant_granted_by_id_foreign" foreign key ("granted_by_id") references "account" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "waiting_list_entry" add constraint "waiting_list_entry_capacity_period_id_foreign" foreign key ("capacity_period_id") references "capacity_period" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "waiting_list_entry" add constraint "waiting_list_entry_case_id_foreign" foreign key ("case_id") references "case_record" ("id") on update cascade on delete cascade;`,
    );
  }
}
