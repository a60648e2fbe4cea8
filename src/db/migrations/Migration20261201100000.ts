import { Migration } from '@mikro-orm/migrations';

/**
 * rate-limiter-flexible's PostgreSQL table (sign-in attempts and request budgets, shared by every
 * instance), created here rather than by the library at run time: the hub never changes its schema
 * outside migrations, and the library's own CREATE raced between instances. The columns are the ones
 * its statements use; `key` is text because an e-mail with a prefix may pass varchar(255). Expired rows
 * are swept by `expire`, hence the index.
 */
export class Migration20261201100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "rate_limit" ("key" text not null, "points" integer not null default 0, "expire" bigint null, constraint "rate_limit_pkey" primary key ("key"));`,
    );
    this.addSql(`create index "rate_limit_expire_index" on "rate_limit" ("expire");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rate_limit" cascade;`);
  }
}
