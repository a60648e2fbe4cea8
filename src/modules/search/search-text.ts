import { join, type Sql, sql } from '../../db/sql.js';
import { badInput } from '../../errors.js';
import { LONGEST_SYNONYM, SYNONYM_INDEX, synonymKey } from './synonyms.js';

/**
 * A search text as people type it (websearch syntax: words, "quoted phrases", -excluded, `or`) → two
 * tsquery expressions built in SQL by the search functions of Migration20261210100000:
 * - `exact`: each word in its normal form or as one of its synonyms (synonyms.ts);
 * - `loose`: `exact`, and for each word also its compound parts ("Pflegeausbildung" → pflege & ausbildung)
 *   and, for a word no offer contains, the nearest words that offers do contain (typos).
 * Offers matching `exact` rank above those matching only `loose`. The text never becomes tsquery syntax:
 * each word is passed as a value and parsed as plain text, so operators typed into the search are just
 * punctuation.
 */
export interface SearchText {
  exact: Sql;
  loose: Sql;
  /** The words that must match (not excluded), for suggestions. */
  words: string[];
}

/** More terms than any real search; keeps the statement small. */
export const MAX_SEARCH_TERMS = 16;

interface Token {
  text: string;
  phrase: boolean;
  negated: boolean;
  /** Joined to the previous token by `or` instead of and. */
  or: boolean;
}

/** Letters or digits: a token without them (punctuation, operators) is dropped. */
const WORDY = /[\p{L}\p{N}]/u;

function tokenize(search: string): Token[] {
  const tokens: Token[] = [];
  let or = false;
  let i = 0;
  while (i < search.length) {
    const ch = search[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    let negated = false;
    if (ch === '-' && i + 1 < search.length && !/\s/.test(search[i + 1]!)) {
      negated = true;
      i++;
    }
    let text: string;
    let phrase = false;
    if (search[i] === '"') {
      const end = search.indexOf('"', i + 1);
      text = search.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? search.length : end + 1;
      phrase = true;
    } else {
      let end = i;
      while (end < search.length && !/[\s"]/.test(search[end]!)) end++;
      text = search.slice(i, end);
      i = end;
    }
    if (!phrase && !negated && text.toLowerCase() === 'or') {
      if (tokens.length) or = true;
      continue;
    }
    if (!WORDY.test(text)) continue;
    tokens.push({ text: text.trim(), phrase, negated, or });
    or = false;
  }
  return tokens;
}

/** Trailing and leading punctuation off a word, for matching synonyms ("Azubi," → "azubi"). */
const bare = (word: string) => synonymKey(word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));

const or = (parts: Sql[]): Sql => parts.reduce((a, b) => sql`search_or(${a}, ${b})`);

export function searchText(search: string): SearchText {
  const tokens = tokenize(search);
  if (tokens.length === 0) {
    throw badInput('filter.search needs at least one word (letters or digits).', {
      argument: 'filter.search',
    });
  }
  if (tokens.length > MAX_SEARCH_TERMS) {
    throw badInput(`filter.search may have at most ${MAX_SEARCH_TERMS} words.`, {
      argument: 'filter.search',
      maximum: MAX_SEARCH_TERMS,
    });
  }
  const items: { exact: Sql; loose: Sql; or: boolean }[] = [];
  const words: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i]!;
    if (token.phrase) {
      const phrase = sql`search_phrase_query(${token.text})`;
      const expanded = or([phrase, ...(SYNONYM_INDEX.get(bare(token.text)) ?? []).map(phraseQuery)]);
      const q = token.negated ? sql`search_not(${expanded})` : expanded;
      items.push({ exact: q, loose: q, or: token.or });
      if (!token.negated) words.push(...token.text.split(/\s+/).filter((w) => WORDY.test(w)));
      i++;
      continue;
    }
    // The longest run of plain words from here that the synonym list knows ("AsA flex"), else one word.
    let span = 1;
    let meanings: readonly string[] = [];
    for (let n = Math.min(LONGEST_SYNONYM, tokens.length - i); n >= 1; n--) {
      const run = tokens.slice(i, i + n);
      if (run.some((t, k) => t.phrase || (k > 0 && (t.negated || t.or)))) continue;
      const found = SYNONYM_INDEX.get(run.map((t) => bare(t.text)).join(' '));
      if (found) {
        span = n;
        meanings = found;
        break;
      }
    }
    const run = tokens.slice(i, i + span);
    const typed = run.map((t) => t.text).join(' ');
    const synonyms = meanings.map(phraseQuery);
    const word = (loose: boolean) =>
      span === 1 ? sql`search_word_query(${typed}, ${loose})` : sql`search_phrase_query(${typed})`;
    if (token.negated) {
      const q = sql`search_not(${or([word(false), ...synonyms])})`;
      items.push({ exact: q, loose: q, or: token.or });
    } else {
      items.push({
        exact: or([word(false), ...synonyms]),
        loose: or([word(true), ...synonyms]),
        or: token.or,
      });
      words.push(...run.map((t) => t.text));
    }
    i += span;
  }
  // As websearch_to_tsquery: `or` binds closer than the implicit and ("a b or c" = a & (b | c)).
  const groups: (typeof items)[] = [];
  for (const item of items) {
    if (item.or && groups.length) groups.at(-1)!.push(item);
    else groups.push([item]);
  }
  const combine = (pick: 'exact' | 'loose'): Sql =>
    groups.map((group) => or(group.map((item) => item[pick]))).reduce((a, b) => sql`search_and(${a}, ${b})`);
  return { exact: combine('exact'), loose: combine('loose'), words };
}

function phraseQuery(phrase: string): Sql {
  return sql`search_phrase_query(${phrase})`;
}

/** The words as a text[] value, for statements that look at each (suggestions). */
export function wordArray(words: string[]): Sql {
  return words.length ? sql`array[${join(words, ', ')}]::text[]` : sql`array[]::text[]`;
}
