import { Migration } from '@mikro-orm/migrations';

/** The tables whose writes can change which offers a search finds (capacity is not cached: see the cache). */
const SEARCHED_TABLES = ['offer', 'location', 'organisation', 'eligibility_rule'];

export class Migration20261125193327 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "offer_search_change" ("txid" bigint not null, "weight" bigint not null default 1, constraint "offer_search_change_pkey" primary key ("txid"));`,
    );
    // One row per writing transaction, whatever the statement (also 0 rows, TRUNCATE, bulk loads, psql):
    // conservative, and no writer waits for another (each inserts its own key).
    this.addSql(`create function "offer_search_changed"() returns trigger language plpgsql as $$
      begin
        insert into offer_search_change (txid) values (txid_current()) on conflict (txid) do nothing;
        return null;
      end $$;`);
    for (const table of SEARCHED_TABLES) {
      this.addSql(
        `create trigger "${table}_offer_search_changed" after insert or update or delete or truncate on "${table}" for each statement execute function "offer_search_changed"();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const table of SEARCHED_TABLES) {
      this.addSql(`drop trigger if exists "${table}_offer_search_changed" on "${table}";`);
    }
    this.addSql(`drop function if exists "offer_search_changed"();`);
    this.addSql(`drop table if exists "offer_search_change" cascade;`);
  }
}
