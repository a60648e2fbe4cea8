import { Migration } from '@mikro-orm/migrations';

/**
 * Marks which outbox events were handed on to the durable recipients (webhooks, saved searches). The
 * column is added with default true so that events already in the outbox count as handed on — nobody
 * registered for them — and only then defaults to false for new events.
 */
export class Migration20261220100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "domain_event" add column "fanned_out" boolean not null default true;');
    this.addSql('alter table "domain_event" alter column "fanned_out" set default false;');
    this.addSql(
      'create index "domain_event_fan_out_pending_index" on "domain_event" ("id") where not "fanned_out";',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "domain_event_fan_out_pending_index";');
    this.addSql('alter table "domain_event" drop column if exists "fanned_out";');
  }
}
