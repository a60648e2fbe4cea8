import { Migration } from '@mikro-orm/migrations';

export class Migration20261125153449 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_entry" add column "organisation_id" uuid null;`);
    this.addSql(
      `create index "audit_entry_organisation_id_occurred_at_index" on "audit_entry" ("organisation_id", "occurred_at");`,
    );

    this.addSql(
      `alter table "location" add column "active" boolean not null default true, add column "version" int not null default 1;`,
    );

    this.addSql(
      `alter table "offer" add column "version" int not null default 1, add column "search_vector" tsvector generated always as (setweight(to_tsvector('german', coalesce(title, '')), 'A') || setweight(to_tsvector('german', coalesce(description, '')), 'B')) stored;`,
    );
    this.addSql(`create index "offer_search_vector_index" on "offer" using gin ("search_vector");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "audit_entry_organisation_id_occurred_at_index";`);
    this.addSql(`alter table "audit_entry" drop column "organisation_id";`);

    this.addSql(`alter table "location" drop column "active", drop column "version";`);

    this.addSql(`drop index "offer_search_vector_index";`);
    this.addSql(`alter table "offer" drop column "version", drop column "search_vector";`);
  }
}
