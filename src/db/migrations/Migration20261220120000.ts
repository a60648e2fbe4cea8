import { Migration } from '@mikro-orm/migrations';

/**
 * Saved searches (an offers filter, how to be told) and their hits: events that matched, waiting to be
 * mailed, unique per search and event.
 */
export class Migration20261220120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "saved_search" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "account_id" uuid null, "email" varchar(320) null, "name" varchar(120) not null, "filter" jsonb not null, "notify" text check ("notify" in ('EMAIL_NOW', 'EMAIL_DIGEST', 'NONE')) not null, "digest_interval_minutes" int not null default 1440, "paused" boolean not null default false, "confirmed_at" timestamptz null, "last_mailed_at" timestamptz null, constraint "saved_search_pkey" primary key ("id"), constraint saved_search_digest_interval_check check (digest_interval_minutes between 15 and 43200), constraint saved_search_recipient_check check ((account_id is null) <> (email is null)));`,
    );
    this.addSql(`create index "saved_search_account_id_index" on "saved_search" ("account_id");`);
    this.addSql(
      `create table "saved_search_hit" ("id" bigserial primary key, "saved_search_id" uuid not null, "event_id" bigint not null, "offer_id" uuid not null, "capacity_period_id" uuid not null, "occurred_at" timestamptz not null, "created_at" timestamptz not null default now(), "mail_key" varchar(64) null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "locked_until" timestamptz null, "mailed_at" timestamptz null);`,
    );
    this.addSql(
      `create index "saved_search_hit_pending_index" on "saved_search_hit" ("saved_search_id", "next_attempt_at") where "mailed_at" is null;`,
    );
    this.addSql(
      `alter table "saved_search_hit" add constraint "saved_search_hit_saved_search_id_event_id_unique" unique ("saved_search_id", "event_id");`,
    );
    this.addSql(
      `alter table "saved_search" add constraint "saved_search_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "saved_search_hit" add constraint "saved_search_hit_saved_search_id_foreign" foreign key ("saved_search_id") references "saved_search" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "saved_search_hit" cascade;');
    this.addSql('drop table if exists "saved_search" cascade;');
  }
}
