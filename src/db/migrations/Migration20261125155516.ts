import { Migration } from '@mikro-orm/migrations';

export class Migration20261125155516 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "domain_event" ("id" bigserial primary key, "occurred_at" timestamptz not null default now(), "type" varchar(100) not null, "payload" jsonb not null);`,
    );
    this.addSql(`create index "domain_event_occurred_at_index" on "domain_event" ("occurred_at");`);

    this.addSql(
      `alter table "case_record" add column "handover_to_id" uuid null, add column "handover_requested_at" timestamptz null, add column "version" int not null default 1;`,
    );
    this.addSql(
      `alter table "case_record" add constraint "case_record_handover_to_id_foreign" foreign key ("handover_to_id") references "organisation" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`create index "reservation_case_id_index" on "reservation" ("case_id");`);
    // Every committed domain event wakes the listeners of all hub instances (NOTIFY is sent on commit only).
    this.addSql(`create function "notify_domain_event"() returns trigger language plpgsql as $$
      begin perform pg_notify('hub_events', new.id::text); return new; end $$;`);
    this.addSql(
      `create trigger "domain_event_notify" after insert on "domain_event" for each row execute function "notify_domain_event"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "domain_event" cascade;`);
    this.addSql(`drop function if exists "notify_domain_event"();`);

    this.addSql(`alter table "case_record" drop constraint "case_record_handover_to_id_foreign";`);

    this.addSql(
      `alter table "case_record" drop column "handover_to_id", drop column "handover_requested_at", drop column "version";`,
    );

    this.addSql(`drop index "reservation_case_id_index";`);
  }
}
