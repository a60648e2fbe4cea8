import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in with the city's identity provider: identities linked to accounts, admins' one-time sign-in
 * invitations, and the hub's own sessions (a hash of the cookie's secret, the provider's tokens kept here).
 */
export class Migration20261214100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "identity_link" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "issuer" varchar(500) not null, "subject" varchar(255) not null, "account_id" uuid not null, "linked_by" varchar(20) not null, "last_sign_in_at" timestamptz null, constraint "identity_link_pkey" primary key ("id"), constraint "identity_link_linked_by_check" check ("linked_by" in ('email', 'invitation')));`,
    );
    this.addSql(
      `alter table "identity_link" add constraint "identity_link_issuer_account_unique" unique ("issuer", "account_id");`,
    );
    this.addSql(
      `alter table "identity_link" add constraint "identity_link_issuer_subject_unique" unique ("issuer", "subject");`,
    );
    this.addSql(
      `create table "hub_session" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "token_hash" varchar(64) not null, "account_id" uuid not null, "issuer" varchar(500) not null, "subject" varchar(255) not null, "provider_sid" varchar(255) null, "roles" text[] null, "id_token" text not null, "refresh_token_encrypted" text null, "access_expires_at" timestamptz null, "expires_at" timestamptz not null, "ended_at" timestamptz null, "end_reason" varchar(40) null, constraint "hub_session_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "hub_session" add constraint "hub_session_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "hub_session_expires_at_index" on "hub_session" ("expires_at");`);
    this.addSql(
      `create table "sign_in_invitation" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "token_hash" varchar(64) not null, "account_id" uuid not null, "created_by_id" uuid null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "sign_in_invitation_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "sign_in_invitation" add constraint "sign_in_invitation_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `alter table "identity_link" add constraint "identity_link_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "hub_session" add constraint "hub_session_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sign_in_invitation" add constraint "sign_in_invitation_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sign_in_invitation" add constraint "sign_in_invitation_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "hub_session" cascade;');
    this.addSql('drop table if exists "sign_in_invitation" cascade;');
    this.addSql('drop table if exists "identity_link" cascade;');
  }
}
