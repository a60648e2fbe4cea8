import { Migration } from '@mikro-orm/migrations';

/**
 * German search that finds what people type. The offer's search document is no longer a generated column
 * (which may read only the offer's own row) but a column kept by triggers from the offer, its
 * organisation and its location, so every writer (API, import, seeds, psql) keeps it right:
 * title (A), description (B), organisation, location, district and the kind's German label (C), the
 * languages' German names (D). Each lexeme is stemmed twice (German Snowball stems "Sprachkurs" to
 * "sprachkur" but "Sprachkurse" to "sprachkurs"; a second pass brings both to one form), and a compound
 * also carries the field's word parts it contains (search_compound_part_words: "Sprachkurs" carries
 * "kur" and "sprach"), so "Kurs" finds "Berufssprachkurs". search_term is the vocabulary of public
 * words (titles, descriptions, organisation and location names, districts, kind labels) that typo
 * correction and suggestions draw from, with a trigram index (pg_trgm). Everything is in SQL from this
 * migration: no dictionary files in PostgreSQL's share directory, so the embedded server and the stock
 * image need no manual step. Changing the part list or a function means a new migration that replaces
 * it and recomputes the column (the last statement of up()).
 */
export class Migration20261210100000 extends Migration {
  override async up(): Promise<void> {
    // Superuser-free on PostgreSQL 13+: pg_trgm is a trusted extension.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(String.raw`create function search_norm(lexeme text) returns text language sql immutable strict parallel safe
as $$ select coalesce((ts_lexize('german_stem', lexeme))[1], lexeme) $$;`);
    this.addSql(String.raw`create function search_quote(lexeme text) returns text language sql immutable strict parallel safe
as $$ select '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''' $$;`);
    this.addSql(String.raw`create function search_and(a tsquery, b tsquery) returns tsquery language sql immutable parallel safe
as $$ select case when a is null then b when b is null then a else a && b end $$;
create function search_or(a tsquery, b tsquery) returns tsquery language sql immutable parallel safe
as $$ select case when a is null then b when b is null then a else a || b end $$;
create function search_not(a tsquery) returns tsquery language sql immutable parallel safe
as $$ select !! a $$;`);
    this.addSql(String.raw`create function search_kind_label(kind text) returns text language sql immutable parallel safe
as $$ select case kind
  when 'INTEGRATION_COURSE' then 'Integrationskurs'
  when 'JOB_LANGUAGE_COURSE' then 'Berufssprachkurs'
  when 'EQ' then 'Einstiegsqualifizierung (EQ)'
  when 'AUSBILDUNG' then 'Ausbildung'
  when 'ASSISTED_TRAINING' then 'Assistierte Ausbildung'
  when 'PREPARATION' then 'Berufsvorbereitung'
  when 'COUNSELLING' then 'Beratung'
  when 'ASSESSMENT' then 'Kompetenzfeststellung'
  end $$;`);
    this.addSql(String.raw`create function search_language_names(languages text[]) returns text language sql immutable parallel safe
as $$ select string_agg(case l
  when 'ar' then 'Arabisch' when 'fa' then 'Persisch Farsi Dari' when 'ti' then 'Tigrinya'
  when 'ps' then 'Paschtu' when 'en' then 'Englisch' when 'fr' then 'Französisch' when 'tr' then 'Türkisch'
  when 'uk' then 'Ukrainisch' when 'ru' then 'Russisch' when 'ku' then 'Kurdisch' when 'so' then 'Somali'
  when 'sq' then 'Albanisch' when 'ro' then 'Rumänisch' when 'pl' then 'Polnisch' when 'es' then 'Spanisch'
  when 'it' then 'Italienisch' when 'am' then 'Amharisch' when 'ur' then 'Urdu' when 'bg' then 'Bulgarisch'
  end, ' ') from unnest(languages) l where l <> 'de' $$;`);
    this.addSql(String.raw`create table search_term (term text primary key, display text not null, lexeme text not null);
create index search_term_lexeme_index on search_term (lexeme);
create index search_term_term_trgm_index on search_term using gist (term gist_trgm_ops);`);
    this.addSql(String.raw`create function search_words(body text) returns table (term text, display text, lexeme text)
language sql immutable parallel safe as $$
  select distinct on (lower(t.token)) lower(t.token), t.token, search_norm(v.lexeme)
    from ts_parse('default', translate(coalesce(body, ''), '/', ' ')) t
   cross join lateral unnest(to_tsvector('german', t.token)) v
   where t.tokid in (1, 2, 3, 9, 10, 11) and length(t.token) >= 3
   order by lower(t.token)
$$;`);
    this.addSql(String.raw`create function search_parts_in(lexeme text, parts text[]) returns setof text
language sql immutable parallel safe as $$
  select p from unnest(parts) p
   where length(lexeme) > length(p)
     and ((length(p) >= 4 and strpos(lexeme, p) > 0) or right(lexeme, length(p)) = p)
$$;`);
    this.addSql(String.raw`create function search_field(body text, weight "char", parts text[]) returns tsvector
language sql immutable parallel safe as $$
  with lexemes as (
    select search_norm(u.lexeme) as lexeme, u.positions
      from unnest(to_tsvector('german', translate(coalesce(body, ''), '/', ' '))) u
  ), expanded as (
    select l.lexeme, p from lexemes l cross join unnest(l.positions) p
    union
    select part, p from lexemes l cross join unnest(l.positions) p cross join lateral search_parts_in(l.lexeme, parts) part
  )
  select setweight(coalesce((select string_agg(search_quote(lexeme) || ':' || positions, ' ')
      from (select lexeme, string_agg(p::text, ',') as positions from expanded group by lexeme) g)::tsvector, ''::tsvector), weight)
$$;`);
    this.addSql(String.raw`create function search_compound_part_words() returns text[] language sql immutable parallel safe
as $$ select array['Kurs','Sprachkurs','Integrationskurs','Berufssprachkurs','Sprache','Deutsch','Integration','Beruf','Ausbildung','Platz','Ausbildungsplatz','Beratung','Jugend','Migration','Werkstatt','Pflege','Technik','Techn','Handwerk','Lager','Logistik','Chemie','Schulden','Schuldner','Wohnung','Wohnraum','Kinder','Betreuung','Frauen','Arbeit','Agentur','Schule','Analyse','Potenzial','Kompetenz','Qualifizierung','Einstieg','Vorbereitung','Orientierung','Bewerbung','Prüfung','Test','Verkauf','Verkäufer','Bäcker','Bäckerei','Elektro','Elektroniker','Metall','Holz','Mechatroniker','Mechatronik','Förderung','Klasse','Begleitung','Assistenz','Anerkennung','Abschluss','Coaching','Teilhabe','Management','Fachkraft','Handel','Produktion','Gesundheit','Alltag','Verfahren','Asyl','Duldung','Erlaubnis','Beschäftigung','Sprechstunde','Hilfe','Zentrum','Schrift','Alphabetisierung','Abend','Teilzeit','Vollzeit','Kita','Labor','Laborant','Kraftfahrer','Lagerist','Fachverkäufer','Gebäude','Energie','Lebensmittel','Betrieb','Praktikum','Praxis','Unterricht','Lehrgang','Coach','Dienst','Amt','Jobcenter','Einzelhandel'] $$;`);
    this.addSql(String.raw`-- The parts' normal forms as a constant, computed once here: stemming the list on every call would cost
-- milliseconds per search word.
do $$ begin
  execute format('create function search_compound_parts() returns text[] language sql immutable parallel safe as %L',
    'select ' || quote_literal((select array(select distinct search_norm(v.lexeme) from unnest(search_compound_part_words()) w
      cross join lateral unnest(to_tsvector('german', w)) v order by 1))::text) || '::text[]');
end $$;`);
    this.addSql(String.raw`-- PL/pgSQL with the parts in a variable: its plans are cached per session, about four times faster per
-- offer than the same body as an SQL function (which PostgreSQL re-plans on each call here).
create function search_document(title text, description text, organisation text, location text, district text, kind text, languages text[]) returns tsvector
language plpgsql immutable parallel safe as $$
declare
  parts text[] := search_compound_parts();
begin
  return search_field(title, 'A', parts) || search_field(search_kind_label(kind), 'A', parts)
      || search_field(description, 'B', parts)
      || search_field(concat_ws(' ', organisation, location, district), 'C', parts)
      || search_field(search_language_names(languages), 'D', parts);
end $$;`);
    this.addSql(String.raw`alter table "offer" drop column "search_vector";
alter table "offer" add column "search_vector" tsvector null;`);
    this.addSql(String.raw`create function offer_search_document() returns trigger language plpgsql as $$
begin
  select search_document(new.title, new.description, g.name, l.name, l.district, new.kind::text, new.languages)
    into new.search_vector
    from organisation g, location l where g.id = new.organisation_id and l.id = new.location_id;
  return new;
end $$;
create trigger offer_search_document before insert or update of title, description, kind, languages, organisation_id, location_id
  on offer for each row execute function offer_search_document();`);
    this.addSql(String.raw`create function organisation_offers_search_document() returns trigger language plpgsql as $$
begin
  update offer o set search_vector = search_document(o.title, o.description, new.name, l.name, l.district, o.kind::text, o.languages)
    from location l where l.id = o.location_id and o.organisation_id = new.id;
  return null;
end $$;
create trigger organisation_offers_search_document after update of name on organisation
  for each row when (old.name is distinct from new.name) execute function organisation_offers_search_document();`);
    this.addSql(String.raw`create function location_offers_search_document() returns trigger language plpgsql as $$
begin
  update offer o set search_vector = search_document(o.title, o.description, g.name, new.name, new.district, o.kind::text, o.languages)
    from organisation g where g.id = o.organisation_id and o.location_id = new.id;
  return null;
end $$;
create trigger location_offers_search_document after update of name, district on location
  for each row when (old.name is distinct from new.name or old.district is distinct from new.district)
  execute function location_offers_search_document();`);
    this.addSql(String.raw`create function search_terms_of_offers() returns trigger language plpgsql as $$
begin
  insert into search_term (term, display, lexeme)
  -- Distinct texts first: bulk inserts repeat descriptions (and templates) many times.
  select distinct on (w.term) w.term, w.display, w.lexeme
    from (select distinct c.title as body from changed c union select distinct c.description from changed c) b
   cross join lateral search_words(b.body) w
   order by w.term
  on conflict (term) do nothing;
  return null;
end $$;
create trigger offer_search_terms_insert after insert on offer referencing new table as changed
  for each statement execute function search_terms_of_offers();
create trigger offer_search_terms_update after update on offer referencing new table as changed
  for each statement execute function search_terms_of_offers();`);
    this.addSql(String.raw`create function search_terms_of_organisations() returns trigger language plpgsql as $$
begin
  insert into search_term (term, display, lexeme)
  select distinct on (w.term) w.term, w.display, w.lexeme from changed c cross join lateral search_words(c.name) w
   order by w.term
  on conflict (term) do nothing;
  return null;
end $$;
create trigger organisation_search_terms_insert after insert on organisation referencing new table as changed
  for each statement execute function search_terms_of_organisations();
create trigger organisation_search_terms_update after update on organisation referencing new table as changed
  for each statement execute function search_terms_of_organisations();`);
    this.addSql(String.raw`create function search_terms_of_locations() returns trigger language plpgsql as $$
begin
  insert into search_term (term, display, lexeme)
  select distinct on (w.term) w.term, w.display, w.lexeme from changed c cross join lateral search_words(c.name || ' ' || c.district) w
   order by w.term
  on conflict (term) do nothing;
  return null;
end $$;
create trigger location_search_terms_insert after insert on location referencing new table as changed
  for each statement execute function search_terms_of_locations();
create trigger location_search_terms_update after update on location referencing new table as changed
  for each statement execute function search_terms_of_locations();`);
    this.addSql(String.raw`insert into search_term (term, display, lexeme)
select distinct on (w.term) w.term, w.display, w.lexeme from (
  select w.* from unnest(search_compound_part_words()) p cross join lateral search_words(p) w
  union all select w.* from unnest(array['INTEGRATION_COURSE','JOB_LANGUAGE_COURSE','EQ','AUSBILDUNG','ASSISTED_TRAINING','PREPARATION','COUNSELLING','ASSESSMENT']) k cross join lateral search_words(search_kind_label(k)) w
  union all select w.* from search_words(search_language_names(array['ar','fa','ti','ps','en','fr','tr','uk','ru','ku','so','sq','ro','pl','es','it','am','ur','bg'])) w
  union all select w.* from offer o cross join lateral search_words(o.title || ' ' || o.description) w
  union all select w.* from organisation g cross join lateral search_words(g.name) w
  union all select w.* from location l cross join lateral search_words(l.name || ' ' || coalesce(l.district, '')) w
) w order by w.term on conflict (term) do nothing;`);
    this.addSql(String.raw`update offer o set search_vector = search_document(o.title, o.description, g.name, l.name, l.district, o.kind::text, o.languages)
  from organisation g, location l where g.id = o.organisation_id and l.id = o.location_id;
create index "offer_search_vector_index" on "offer" using gin ("search_vector");`);
    this.addSql(String.raw`create function search_phrase_query(phrase text) returns tsquery language plpgsql immutable parallel safe as $$
declare
  q tsquery;
  previous int;
  r record;
begin
  for r in select search_norm(u.lexeme) as lexeme, p
             from unnest(to_tsvector('german', translate(coalesce(phrase, ''), '/', ' '))) u cross join unnest(u.positions) p
            order by p loop
    if q is null then q := search_quote(r.lexeme)::tsquery;
    else q := tsquery_phrase(q, search_quote(r.lexeme)::tsquery, r.p - previous);
    end if;
    previous := r.p;
  end loop;
  return q;
end $$;`);
    this.addSql(String.raw`create function search_word_query(word text, loose boolean) returns tsquery language plpgsql stable parallel safe as $$
declare
  q tsquery := search_phrase_query(word);
  lexemes text[];
  known text[] := search_compound_parts();
  parts text[];
  alternative tsquery;
  t record;
begin
  if q is null or not loose then return q; end if;
  select array_agg(search_norm(u.lexeme)) into lexemes from unnest(to_tsvector('german', word)) u;
  if cardinality(lexemes) <> 1 then return q; end if;
  -- Compound: the known parts it is made of, none counted twice inside a longer one.
  select array_agg(p) into parts from search_parts_in(lexemes[1], known) p
   where not exists (select 1 from search_parts_in(lexemes[1], known) o
                      where o <> p and strpos(o, p) > 0);
  if cardinality(parts) >= 2 and not lexemes[1] = any(known) then
    for t in select unnest(parts) as part loop
      alternative := search_and(alternative, search_quote(t.part)::tsquery);
    end loop;
    return q || alternative;
  end if;
  -- One part that is nearly the whole word: the stem of the word alone and inside compounds may differ
  -- ("technik", but "gebaudetechn" in Gebäudetechnik).
  if cardinality(parts) = 1 and length(parts[1]) >= length(lexemes[1]) - 2 then
    return q || search_quote(parts[1])::tsquery;
  end if;
  -- A typo: a word the offers do not contain, replaced by the nearest words they do.
  if length(word) >= 5 and not exists (select 1 from search_term s where s.lexeme = lexemes[1]) then
    for t in select distinct c.lexeme from (
               select s.lexeme, s.term from search_term s order by s.term <-> lower(word) limit 5) c
              where similarity(c.term, lower(word)) >= 0.45 loop
      q := q || search_quote(t.lexeme)::tsquery;
    end loop;
  end if;
  return q;
end $$;`);
    this.addSql(String.raw`create function search_highlight(body text, q tsquery) returns text[] language plpgsql stable parallel safe as $$
declare
  wanted text[];
  parts text[] := search_compound_parts();
  segments text[] := array[''];
  r record;
  hit boolean;
begin
  if body is null or q is null then return null; end if;
  select array_agg(m[1]) into wanted from regexp_matches(q::text, '''((?:[^'']|'''')+)''', 'g') m;
  -- A hyphenated word comes as a whole and then as its parts: the parts alone rebuild the text.
  for r in select t.token, t.tokid from ts_parse('default', body) t where t.tokid not in (15, 16, 17) loop
    hit := false;
    if r.tokid in (1, 2, 3, 9, 10, 11) then
      select bool_or(search_norm(u.lexeme) = any(wanted) or exists (
               select 1 from search_parts_in(search_norm(u.lexeme), parts) p where p = any(wanted)))
        into hit from unnest(to_tsvector('german', r.token)) u;
    end if;
    if coalesce(hit, false) then
      segments := segments || array[r.token, ''];
    else
      segments[cardinality(segments)] := segments[cardinality(segments)] || r.token;
    end if;
  end loop;
  return segments;
end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists offer_search_document on offer;`);
    this.addSql(`drop trigger if exists offer_search_terms_insert on offer;`);
    this.addSql(`drop trigger if exists offer_search_terms_update on offer;`);
    this.addSql(`drop trigger if exists organisation_offers_search_document on organisation;`);
    this.addSql(`drop trigger if exists organisation_search_terms_insert on organisation;`);
    this.addSql(`drop trigger if exists organisation_search_terms_update on organisation;`);
    this.addSql(`drop trigger if exists location_offers_search_document on location;`);
    this.addSql(`drop trigger if exists location_search_terms_insert on location;`);
    this.addSql(`drop trigger if exists location_search_terms_update on location;`);
    this.addSql(
      `drop function if exists offer_search_document, organisation_offers_search_document, location_offers_search_document, search_terms_of_offers, search_terms_of_organisations, search_terms_of_locations, search_highlight, search_word_query, search_phrase_query, search_document, search_compound_parts, search_compound_part_words, search_field, search_parts_in, search_words, search_language_names, search_kind_label, search_not, search_or, search_and, search_quote, search_norm;`,
    );
    this.addSql(`drop table if exists search_term;`);
    this.addSql(`alter table "offer" drop column "search_vector";`);
    this.addSql(
      `alter table "offer" add column "search_vector" tsvector generated always as (setweight(to_tsvector('german', coalesce(title, '')), 'A') || setweight(to_tsvector('german', coalesce(description, '')), 'B')) stored;`,
    );
    this.addSql(`create index "offer_search_vector_index" on "offer" using gin ("search_vector");`);
  }
}
