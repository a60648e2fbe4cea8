import { Migration } from '@mikro-orm/migrations';

export class Migration20261125174147 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "offer" add column "external_key" varchar(100) null;`);
    this.addSql(
      `alter table "offer" add constraint "offer_organisation_external_key_unique" unique ("organisation_id", "external_key");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "offer" drop constraint "offer_organisation_external_key_unique";`);
    this.addSql(`alter table "offer" drop column "external_key";`);
  }
}
