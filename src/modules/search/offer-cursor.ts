import { UUID } from '../../domain/ids.js';
import { badInput } from '../../errors.js';
import { decodeCursor, encodeCursor } from '../../graphql/cursor.js';
import { OfferOrderField } from './offer-filter.types.js';

/**
 * An offers cursor: the list, its ordering and the row's sort key and id. The ordering is part of it, so
 * a cursor handed to another ordering (or to `organisations`) is refused instead of cutting at a key of
 * another kind.
 */
export type SortKey = string | number;

export function offerCursor(field: OfferOrderField, descending: boolean, key: SortKey, id: string): string {
  return encodeCursor(['offers', field, descending ? 1 : 0, key, id]);
}

/** The cursor's key and id, or BAD_USER_INPUT naming `argument` (forged cursors are bad input, not 500s). */
export function readOfferCursor(
  value: string,
  field: OfferOrderField,
  descending: boolean,
  argument: string,
): { key: SortKey; id: string } {
  const values = decodeCursor(
    value,
    (v) =>
      v.length === 5 &&
      v[0] === 'offers' &&
      v[1] === field &&
      v[2] === (descending ? 1 : 0) &&
      keyFits(field, v[3]) &&
      typeof v[4] === 'string' &&
      UUID.test(v[4]),
  );
  if (!values)
    throw badInput('The cursor is malformed or belongs to another list or ordering.', { argument });
  return { key: values[3] as SortKey, id: values[4] as string };
}

/** A cursor's sort key must have the type its ordering produces. */
function keyFits(field: OfferOrderField, key: unknown): boolean {
  switch (field) {
    case OfferOrderField.TITLE:
      return typeof key === 'string' && key.length <= 300;
    case OfferOrderField.START_DATE:
      return typeof key === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(key);
    case OfferOrderField.FREE_PLACES:
      return Number.isSafeInteger(key);
    case OfferOrderField.RELEVANCE:
      return typeof key === 'number' && Number.isFinite(key);
  }
}
