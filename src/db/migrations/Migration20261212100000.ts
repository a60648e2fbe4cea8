import { Migration } from '@mikro-orm/migrations';

/**
 * account.access_changed events in the outbox whenever what authenticate checks changes: an account's
 * roles, active flag or organisation, an organisation's active flag, or either being deleted. Each
 * instance caches that check per account and evicts on these events; as triggers they cover every
 * writer (the hub, seeds, the import, psql), and the event commits with the change or not at all.
 * Updates that leave the checked columns as they were add nothing.
 */
export class Migration20261212100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "account_access_changed"() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.roles is not distinct from new.roles and old.active is not distinct from new.active
     and old.organisation_id is not distinct from new.organisation_id then
    return null;
  end if;
  insert into domain_event (type, payload)
    values ('account.access_changed', jsonb_build_object('accountId', old.id));
  return null;
end $$;`);
    this.addSql(
      `create trigger "account_access_changed" after update of "roles", "active", "organisation_id" or delete on "account" for each row execute function "account_access_changed"();`,
    );
    this.addSql(`create function "organisation_access_changed"() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.active is not distinct from new.active then
    return null;
  end if;
  insert into domain_event (type, payload)
    values ('account.access_changed', jsonb_build_object('organisationId', old.id));
  return null;
end $$;`);
    this.addSql(
      `create trigger "organisation_access_changed" after update of "active" or delete on "organisation" for each row execute function "organisation_access_changed"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "organisation_access_changed" on "organisation";`);
    this.addSql(`drop function if exists "organisation_access_changed"();`);
    this.addSql(`drop trigger if exists "account_access_changed" on "account";`);
    this.addSql(`drop function if exists "account_access_changed"();`);
  }
}
