import { Cursor } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/graphql/cursor.js';
import { offerCursor, readOfferCursor } from '../../src/modules/search/offer-cursor.js';
import { OfferOrderField } from '../../src/modules/search/offer-filter.types.js';

const ID = '0b7c4c1e-8f3a-4d7e-9a51-2f6c3b1d9e07';
const any = () => true;

describe('the cursor codec', () => {
  it('writes what MikroORM writes for paginate, byte for byte', () => {
    for (const values of [
      ['Caritasverband Leverkusen e.V.', ID],
      ['2026-10-01', ID],
      [0.0607927, 3, true, 'Ü ß — 🙂'],
      [],
    ]) {
      expect(encodeCursor(values)).toBe(Cursor.encode(values));
      expect(decodeCursor(Cursor.encode(values), any)).toEqual(values);
    }
  });

  it('keeps the offers cursor as it was: base64url of ["offers", field, desc, key, id]', () => {
    const cursor = offerCursor(OfferOrderField.TITLE, true, 'Berufssprachkurs B2', ID);
    expect(cursor).toBe(
      Buffer.from(JSON.stringify(['offers', 'TITLE', 1, 'Berufssprachkurs B2', ID])).toString('base64url'),
    );
    expect(readOfferCursor(cursor, OfferOrderField.TITLE, true, 'after')).toEqual({
      key: 'Berufssprachkurs B2',
      id: ID,
    });
  });

  it('answers undefined for anything but a JSON array that passes the check', () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect(decodeCursor('%%%', any)).toBeUndefined();
    expect(decodeCursor(enc({ a: 1 }), any)).toBeUndefined();
    expect(decodeCursor(enc('abc'), any)).toBeUndefined();
    expect(decodeCursor(enc(null), any)).toBeUndefined();
    expect(decodeCursor(enc([1, 2]), (v) => v.length === 3)).toBeUndefined();
    expect(decodeCursor(enc([1, 2, 3]), (v) => v.length === 3)).toEqual([1, 2, 3]);
  });

  it('refuses an offers cursor of another ordering, direction or key type as bad input', () => {
    const cursor = offerCursor(OfferOrderField.TITLE, false, 'A', ID);
    const refused = (value: string, field: OfferOrderField, descending: boolean) => {
      try {
        readOfferCursor(value, field, descending, 'before');
      } catch (error) {
        return error as { message: string; extensions: Record<string, unknown> };
      }
      throw new Error('accepted');
    };
    for (const [field, descending] of [
      [OfferOrderField.FREE_PLACES, false],
      [OfferOrderField.TITLE, true],
    ] as const) {
      const error = refused(cursor, field, descending);
      expect(error.message).toBe('The cursor is malformed or belongs to another list or ordering.');
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'before' });
    }
    refused(offerCursor(OfferOrderField.FREE_PLACES, false, 1.5, ID), OfferOrderField.FREE_PLACES, false);
    refused(
      offerCursor(OfferOrderField.START_DATE, false, '2026-1-1', ID),
      OfferOrderField.START_DATE,
      false,
    );
    refused(offerCursor(OfferOrderField.TITLE, false, 'A', 'not-a-uuid'), OfferOrderField.TITLE, false);
  });
});
