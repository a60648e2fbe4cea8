import { Migration } from '@mikro-orm/migrations';

/**
 * Typo correction asks what visible offers contain, not what the vocabulary once held. search_term only
 * grows (words of archived offers, of changed texts, of deactivated organisations stay in it), so a word
 * found only in an archived offer stopped the correction towards live offers and changed what an
 * anonymous search answered — a way to tell that a hidden text once held the word. Now a word counts as
 * known only when an active offer of an active organisation carries it (one probe of the search index),
 * and only such words are offered as corrections.
 */
/** search_word_query as Migration20261210100000 made it, with its typo step given (the one thing this changes). */
const searchWordQuery = (
  typo: string,
) => String.raw`create or replace function search_word_query(word text, loose boolean) returns tsquery language plpgsql stable parallel safe as $$
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
${typo}  return q;
end $$;`;

/** Before: any word the vocabulary ever held counts as known, and any may be a correction. */
const TYPO_BY_VOCABULARY = String.raw`  -- A typo: a word the offers do not contain, replaced by the nearest words they do.
  if length(word) >= 5 and not exists (select 1 from search_term s where s.lexeme = lexemes[1]) then
    for t in select distinct c.lexeme from (
               select s.lexeme, s.term from search_term s order by s.term <-> lower(word) limit 5) c
              where similarity(c.term, lower(word)) >= 0.45 loop
      q := q || search_quote(t.lexeme)::tsquery;
    end loop;
  end if;
`;

/** Now: only what an active offer of an active organisation carries. */
const TYPO_BY_VISIBLE_OFFERS = String.raw`  -- A typo: a word the offers do not contain, replaced by the nearest words they do.
  if length(word) >= 5 and not search_is_visible(lexemes[1]) then
    for t in select distinct c.lexeme from (
               select s.lexeme, s.term from search_term s order by s.term <-> lower(word) limit 20) c
              where similarity(c.term, lower(word)) >= 0.45 and search_is_visible(c.lexeme)
              limit 5 loop
      q := q || search_quote(t.lexeme)::tsquery;
    end loop;
  end if;
`;

export class Migration20261211100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(String.raw`create function search_is_visible(lexeme text) returns boolean language sql stable parallel safe as $$
  select exists (select 1 from offer o join organisation g on g.id = o.organisation_id
                  where o.active and g.active and o.search_vector @@ search_quote(lexeme)::tsquery)
$$;`);
    this.addSql(searchWordQuery(TYPO_BY_VISIBLE_OFFERS));
  }

  override async down(): Promise<void> {
    this.addSql(searchWordQuery(TYPO_BY_VOCABULARY));
    this.addSql('drop function search_is_visible(text);');
  }
}
