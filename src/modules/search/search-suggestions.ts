import type { EntityManager } from '@mikro-orm/postgresql';
import { executeSql, sql } from '../../db/sql.js';
import type { Plan } from './plan.js';
import { wordArray } from './search-text.js';

/** How many suggestions, and how alike (pg_trgm similarity) a known word must be to one typed. */
const MAX_SUGGESTIONS = 5;
const MIN_SIMILARITY = 0.3;

/**
 * For a search that found nothing: the known words (search_term: words of public offer texts,
 * organisation and location names, districts, kind labels) nearest to the words typed, each of which
 * finds at least one offer under the same filters. One statement.
 */
export async function suggestTerms(em: EntityManager, pl: Plan): Promise<string[]> {
  const words = (pl.text?.words ?? []).map((w) => w.toLowerCase()).filter((w) => w.length >= 3);
  if (words.length === 0) return [];
  const finds = pl.filteredBy(sql`o.search_vector @@ search_word_query(c.display, false)`);
  const rows = await executeSql<{ display: string }[]>(
    em,
    sql`select c.display from (
          select distinct on (s.lexeme) s.display, similarity(s.term, w.w) as score
            from unnest(${wordArray(words)}) w(w)
           cross join lateral (select t.term, t.display, t.lexeme from search_term t order by t.term <-> w.w limit 8) s
           where similarity(s.term, w.w) >= ${MIN_SIMILARITY}
           order by s.lexeme, score desc) c
         where exists (${finds})
         order by c.score desc, c.display
         limit ${MAX_SUGGESTIONS}`,
  );
  return rows.map((r) => r.display);
}
