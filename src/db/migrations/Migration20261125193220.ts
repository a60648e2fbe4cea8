import { Migration } from '@mikro-orm/migrations';

/**
 * case_state_span (statistics/case-state-span.entity.ts): each case's stage and residence status per
 * day range, kept by statement triggers on case_event in the writing transaction, so statistics look a
 * state up "as of a day" with one range join. Plus an index for the CASES rows of one frozen unit.
 */
export class Migration20261125193220 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "case_state_span" ("case_id" uuid not null, "valid_from" date not null, "valid_to" date null, "stage" text null, "residence_status" text null, constraint "case_state_span_pkey" primary key ("case_id", "valid_from"));`,
    );
    this.addSql(
      `alter table "case_state_span" add constraint "case_state_span_case_id_foreign" foreign key ("case_id") references "case_record" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `create index "statistics_snapshot_row_year_population_unit_index" on "statistics_snapshot_row" ("year", "population", "unit");`,
    );

    // The spans of the given cases, rebuilt from their events. A state "as of day D" is the last
    // event on or before D (by day, then seq) that set it: a span runs from an event's day to the
    // next event's day, and events sharing a day leave only the last one's span (the others are empty).
    // The case rows are locked first (ordered: no deadlock between bulk writers), so a concurrent writer
    // of the same case rebuilds after this transaction commits and sees its events.
    this.addSql(`create function case_state_span_rebuild(ids uuid[]) returns void language plpgsql as $$
begin
  perform 1 from case_record where id = any(ids) order by id for no key update;
  delete from case_state_span where case_id = any(ids);
  insert into case_state_span (case_id, valid_from, valid_to, stage, residence_status)
  select case_id, occurred_on, next_on, stage, residence_status
  from (
    select case_id, occurred_on, next_on,
           first_value(to_stage) over (partition by case_id, stages order by occurred_on, seq) as stage,
           first_value(to_status) over (partition by case_id, statuses order by occurred_on, seq) as residence_status
    from (
      select case_id, occurred_on, seq, to_stage, to_status,
             count(to_stage) over w as stages, count(to_status) over w as statuses,
             lead(occurred_on) over w as next_on
      from case_event
      where case_id = any(ids) and (to_stage is not null or to_status is not null)
      window w as (partition by case_id order by occurred_on, seq)
    ) numbered
  ) spans
  where next_on is null or next_on > occurred_on;
end $$;`);
    this.addSql(`create function case_state_span_on_event() returns trigger language plpgsql as $$
begin
  if tg_op = 'TRUNCATE' then
    -- not TRUNCATE: the statement that fired this may be truncating case_state_span as well
    delete from case_state_span;
  elsif tg_op = 'INSERT' then
    perform case_state_span_rebuild(array(select distinct case_id from new_rows));
  elsif tg_op = 'DELETE' then
    perform case_state_span_rebuild(array(select distinct case_id from old_rows));
  else
    perform case_state_span_rebuild(array(select case_id from new_rows union select case_id from old_rows));
  end if;
  return null;
end $$;`);
    this.addSql(
      `create trigger case_state_span_insert after insert on case_event referencing new table as new_rows for each statement execute function case_state_span_on_event();`,
    );
    this.addSql(
      `create trigger case_state_span_update after update on case_event referencing old table as old_rows new table as new_rows for each statement execute function case_state_span_on_event();`,
    );
    this.addSql(
      `create trigger case_state_span_delete after delete on case_event referencing old table as old_rows for each statement execute function case_state_span_on_event();`,
    );
    this.addSql(
      `create trigger case_state_span_truncate after truncate on case_event for each statement execute function case_state_span_on_event();`,
    );
    this.addSql(`select case_state_span_rebuild(array(select id from case_record));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists case_state_span_insert on case_event;`);
    this.addSql(`drop trigger if exists case_state_span_update on case_event;`);
    this.addSql(`drop trigger if exists case_state_span_delete on case_event;`);
    this.addSql(`drop trigger if exists case_state_span_truncate on case_event;`);
    this.addSql(`drop function if exists case_state_span_on_event();`);
    this.addSql(`drop function if exists case_state_span_rebuild(uuid[]);`);
    this.addSql(`drop table if exists "case_state_span" cascade;`);
    this.addSql(`drop index "statistics_snapshot_row_year_population_unit_index";`);
  }
}
