import { Migration } from '@mikro-orm/migrations';

export class Migration20261125172701 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "statistics_frozen_year" ("year" smallint not null, "frozen_at" timestamptz not null default now(), "rows" int not null, constraint "statistics_frozen_year_pkey" primary key ("year"));`,
    );

    this.addSql(
      `create table "statistics_snapshot_row" ("id" bigserial primary key, "year" smallint not null, "population" varchar(12) not null, "target" varchar(20) null, "unit" varchar(8) not null, "stage" varchar(20) not null, "residence_status" varchar(40) not null, "age_band" varchar(20) not null, "gender" varchar(10) not null, "nationality_group" varchar(5) not null, "school_level" varchar(20) not null, "german_level" varchar(5) not null, "organisation_kind" varchar(30) not null, "days" int null);`,
    );
    this.addSql(
      `create index "statistics_snapshot_row_year_population_target_index" on "statistics_snapshot_row" ("year", "population", "target");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "statistics_frozen_year" cascade;`);

    this.addSql(`drop table if exists "statistics_snapshot_row" cascade;`);
  }
}
