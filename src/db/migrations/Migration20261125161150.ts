import { Migration } from '@mikro-orm/migrations';

export class Migration20261125161150 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "offer_active_title_id_index" on "offer" ("title", "id") where "active";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "offer_active_title_id_index";`);
  }
}
