import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { executeSql, join, sql } from '../../db/sql.js';
import { batchScheduleFn } from '../../graphql/loader-kit.js';
import type { SearchText } from './search-text.js';

/**
 * Why an offer matched: its public texts (title, description, organisation, location with district) cut
 * into fragments, the matched words marked. Marked in SQL by search_highlight with the same normal
 * forms and compound parts as the search document, so what is marked is what matched (ts_headline
 * would stem differently and miss compound parts). Plain fragments, never markup: the page renders them.
 */

export enum OfferSearchField {
  TITLE = 'TITLE',
  DESCRIPTION = 'DESCRIPTION',
  ORGANISATION = 'ORGANISATION',
  LOCATION = 'LOCATION',
}

export interface TextFragment {
  text: string;
  matched: boolean;
}

export interface OfferHighlight {
  field: OfferSearchField;
  fragments: TextFragment[];
}

/** Characters of a description's snippet before its first match and in all. */
const SNIPPET_BEFORE = 60;
const SNIPPET_LENGTH = 220;

type HighlightRow = Record<'title' | 'description' | 'organisation' | 'location', string[] | null>;

/** One statement for every offer asked for in the same tick (a page's edges, every organisation's page). */
export function highlightLoader(em: EntityManager, text: SearchText): DataLoader<string, OfferHighlight[]> {
  return new DataLoader<string, OfferHighlight[]>(
    async (ids) => {
      const rows = await executeSql<(HighlightRow & { id: string })[]>(
        em,
        sql`select o.id, search_highlight(o.title, q.q) as title, search_highlight(o.description, q.q) as description,
                   search_highlight(g.name, q.q) as organisation,
                   search_highlight(concat_ws(', ', l.name, l.district), q.q) as location
              from offer o
              join organisation g on g.id = o.organisation_id
              join location l on l.id = o.location_id
             cross join (select ${text.loose} as q) q
             where o.id in (${join([...ids], ', ')})`,
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => {
        const row = byId.get(id);
        return row ? highlightsOf(row) : [];
      });
    },
    { batchScheduleFn },
  );
}

function highlightsOf(row: HighlightRow): OfferHighlight[] {
  const fields: [OfferSearchField, string[] | null][] = [
    [OfferSearchField.TITLE, row.title],
    [OfferSearchField.DESCRIPTION, row.description],
    [OfferSearchField.ORGANISATION, row.organisation],
    [OfferSearchField.LOCATION, row.location],
  ];
  return fields.flatMap(([field, segments]) => {
    if (!segments || segments.length < 2) return [];
    const fragments = fragmentsOf(segments);
    return [{ field, fragments: field === OfferSearchField.DESCRIPTION ? snippet(fragments) : fragments }];
  });
}

/** search_highlight's [plain, match, plain, match, …, plain] → fragments, empty ones left out. */
export function fragmentsOf(segments: string[]): TextFragment[] {
  return segments.flatMap((text, i) => (text ? [{ text, matched: i % 2 === 1 }] : []));
}

/** A window of the text around its first match, cut at spaces, with "…" where it was cut. */
export function snippet(fragments: TextFragment[]): TextFragment[] {
  const first = fragments.findIndex((f) => f.matched);
  if (first < 0) return fragments;
  const out: TextFragment[] = [];
  const before = fragments
    .slice(0, first)
    .map((f) => f.text)
    .join('');
  if (before.length > SNIPPET_BEFORE) {
    const cut = before.slice(before.length - SNIPPET_BEFORE);
    const space = cut.indexOf(' ');
    out.push({ text: `…${space >= 0 ? cut.slice(space) : cut}`, matched: false });
  } else if (before) out.push({ text: before, matched: false });
  let length = out[0]?.text.length ?? 0;
  for (const fragment of fragments.slice(first)) {
    if (length + fragment.text.length <= SNIPPET_LENGTH) {
      out.push(fragment);
      length += fragment.text.length;
      continue;
    }
    if (!fragment.matched) {
      const room = fragment.text.slice(0, Math.max(0, SNIPPET_LENGTH - length));
      const space = room.lastIndexOf(' ');
      out.push({ text: `${space > 0 ? room.slice(0, space) : room}…`, matched: false });
    } else out.push({ text: '…', matched: false });
    break;
  }
  return out;
}
