import { Migration } from '@mikro-orm/migrations';

/**
 * Statistics releases: the anonymised rows of a year frozen as of a day — the open year's once per
 * release period, a closed year's once and for good. Frozen years become final releases with their
 * rows kept as they are; a CASES row's unit becomes its snapshot day (a year, its fourth quarter and its
 * December counted the same cases three times).
 */
export class Migration20261201200000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "statistics_release" ("id" serial primary key, "year" smallint not null, "as_of" date not null, "cut_at" timestamptz not null default now(), "final" boolean not null default false, "rows" integer not null default 0);`,
    );
    this.addSql(`create index "statistics_release_year_index" on "statistics_release" ("year", "id");`);
    this.addSql(
      `create unique index "statistics_release_final_unique" on "statistics_release" ("year") where "final";`,
    );
    this.addSql(
      `insert into "statistics_release" ("year", "as_of", "cut_at", "final", "rows") select "year", make_date("year", 12, 31), "frozen_at", true, "rows" from "statistics_frozen_year";`,
    );
    this.addSql(`alter table "statistics_snapshot_row" alter column "unit" type varchar(10);`);
    this.addSql(`alter table "statistics_snapshot_row" add column "release_id" integer null;`);
    this.addSql(
      `delete from "statistics_snapshot_row" where "population" = 'CASES' and "unit" !~ '^[0-9]{4}-[0-9]{2}$';`,
    );
    this.addSql(
      `update "statistics_snapshot_row" set "unit" = to_char((("unit" || '-01')::date + interval '1 month' - interval '1 day')::date, 'YYYY-MM-DD') where "population" = 'CASES';`,
    );
    this.addSql(
      `update "statistics_snapshot_row" s set "release_id" = r."id" from "statistics_release" r where r."year" = s."year" and r."final";`,
    );
    this.addSql(`delete from "statistics_snapshot_row" where "release_id" is null;`);
    this.addSql(`alter table "statistics_snapshot_row" alter column "release_id" set not null;`);
    this.addSql(
      `alter table "statistics_snapshot_row" add constraint "statistics_snapshot_row_release_id_foreign" foreign key ("release_id") references "statistics_release" ("id") on delete cascade;`,
    );
    this.addSql(`drop index if exists "statistics_snapshot_row_year_population_target_index";`);
    this.addSql(`drop index if exists "statistics_snapshot_row_year_population_unit_index";`);
    this.addSql(
      `create index "statistics_snapshot_row_release_population_unit_index" on "statistics_snapshot_row" ("release_id", "population", "unit");`,
    );
    this.addSql(
      `create index "statistics_snapshot_row_release_population_target_index" on "statistics_snapshot_row" ("release_id", "population", "target");`,
    );
    this.addSql(`drop table "statistics_frozen_year";`);
  }
}
