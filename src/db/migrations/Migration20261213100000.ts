import { Migration } from '@mikro-orm/migrations';

/**
 * What each release hid, per population and tier. The next release of the year keeps those cells
 * hidden and treats what this one published as known, so a reader who kept this release learns nothing
 * more from the next; and every instance, also after a restart, answers a release with the cells it was
 * first protected with.
 */
export class Migration20261213100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "statistics_protection" ("release_id" int not null, "population" varchar(20) not null, "tiers" jsonb not null, primary key ("release_id", "population"));`,
    );
    this.addSql(
      `alter table "statistics_protection" add constraint "statistics_protection_release_id_foreign" foreign key ("release_id") references "statistics_release" ("id") on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "statistics_protection";');
  }
}
