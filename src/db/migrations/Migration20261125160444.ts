import { Migration } from '@mikro-orm/migrations';

export class Migration20261125160444 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "case_event" add column "seq" bigserial;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "case_event" drop column "seq";`);
  }
}
